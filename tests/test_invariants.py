"""Invariants over every shipped capture (captures/ and all its folders): no exception escapes
the pipeline, every stream byte is accounted for once, in records that tile the stream, and the
records are the same whether the file is read whole, in 7-byte pieces or through a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ptpip_analyzer.engine import Engine, EngineOptions, dissect_file
from tests.stream_invariants import check_records

ROOT = Path(__file__).parent.parent
CAPTURES = sorted(p for p in (ROOT / "captures").rglob("*")
                  if p.suffix in (".pcap", ".pcapng", ".gz", ".xz", ".bz2"))


def test_corpus_is_found() -> None:
    assert len(CAPTURES) >= 20


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_records_tile_every_stream(path: Path) -> None:
    dissection = dissect_file(path)
    pairs = list(dissection.records())
    check_records(pairs, dissection.accounting)


def _records_in_chunks(path: Path, size: int) -> list[object]:
    engine = Engine(EngineOptions(annotate=False, validate=False))
    data, items = path.read_bytes(), []
    for at in range(0, len(data), size):
        items += engine.feed_bytes(data[at:at + size])
    items += engine.close()
    return [(item.conn.stream, item.record) for item in items]


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_same_records_whole_or_in_small_chunks(path: Path) -> None:
    whole = [(conn.stream, record) for conn, record in dissect_file(path).records()]
    assert _records_in_chunks(path, 7) == whole


@pytest.mark.parametrize("name", ["real/gphoto2-get-all-files.pcapng",
                                  "synthetic/loss-midstream-vlan.pcap",
                                  "hostile/ends-inside-gapped-packet.pcap",
                                  "hostile/truncated-pcapng-packet-block.pcapng"])
def test_the_same_records_through_a_pipe(name: str) -> None:
    path = ROOT / "captures" / name
    command = [sys.executable, "-m", "ptpip_analyzer", "dissect", "--format", "jsonl"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    from_file = subprocess.run([*command, str(path)], cwd=ROOT, env=env, capture_output=True,
                               text=True, check=False)
    with open(path, "rb") as stdin:
        piped = subprocess.run([*command, "-"], cwd=ROOT, env=env, stdin=stdin,
                               capture_output=True, text=True, check=False)
    assert (piped.returncode, piped.stdout) == (from_file.returncode, from_file.stdout)
