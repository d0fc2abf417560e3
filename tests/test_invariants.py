"""Invariants over every shipped capture (captures/ and all its folders): no exception escapes
the pipeline, and every stream byte is accounted for once, in records that tile the stream."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.engine import dissect_file
from tests.stream_invariants import check_records

CAPTURES = sorted(p for p in (Path(__file__).parent.parent / "captures").rglob("*")
                  if p.suffix in (".pcap", ".pcapng", ".gz", ".xz", ".bz2"))


def test_corpus_is_found() -> None:
    assert len(CAPTURES) >= 20


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_records_tile_every_stream(path: Path) -> None:
    dissection = dissect_file(path)
    pairs = list(dissection.records())
    check_records(pairs, dissection.accounting)
