"""The record store: random access to every record, and bulk payloads re-read from the file.

A run that keeps no payload must give, through ``bytes_of``, exactly the bytes a run keeping
every payload holds; input that can't be re-read (a pipe, a compressed file) says so.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from ptpip_analyzer.engine import Dissection, Engine, EngineOptions
from ptpip_analyzer.framing import KEEP_ALL
from ptpip_analyzer.model import Packet
from ptpip_analyzer.store import RecordStore

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
SHIPPED = sorted(p for p in CAPTURES.glob("*/*.pcap*") if p.parent.name != "hostile")


def stored(path: Path, keep: int) -> RecordStore:
    run = Dissection(path, EngineOptions(store=True, keep_payload=keep))
    for _ in run.items():
        pass
    assert run.engine.store is not None
    return run.engine.store


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_bulk_payloads_are_re_read_byte_for_byte(path: Path) -> None:
    lean, full = stored(path, 0), stored(path, KEEP_ALL)
    assert len(lean) == len(full)
    for i in range(len(lean)):
        record, whole = lean.record(i), full.record(i)
        where = (record.stream, record.direction, record.offset, record.length)
        assert where == (whole.stream, whole.direction, whole.offset, whole.length)
        if isinstance(record, Packet):
            got = lean.bytes_of(i)
            assert got.data == whole.raw
            assert got.complete == (whole.missing == 0), got.note


def test_a_store_entry_has_its_connection_and_annotation() -> None:
    store = stored(CAPTURES / "real" / "gphoto2-summary-nikon.pcapng", 1 << 20)
    requests = [s for s in store if isinstance(s.record, Packet) and s.record.ptype == 6]
    assert requests and all(s.conn.stream == s.record.stream for s in requests)
    device_info = next(s for s in store if s.annotation is not None
                       and s.annotation.dataset is not None)
    assert device_info.annotation.data_phase is not None  # type: ignore[union-attr]
    names = store.annotation(requests[1].index, "nikon")
    assert names is not None and names.vendor == "nikon"
    assert store[-1].index == len(store) - 1


def test_compressed_input_keeps_what_framing_kept_and_says_so(tmp_path: Path) -> None:
    packed = tmp_path / "x.pcapng.gz"
    packed.write_bytes(gzip.compress((CAPTURES / "real" / "gphoto2-get-all-files.pcapng")
                                     .read_bytes()))
    store = stored(packed, 0)
    bulk = [i for i in range(len(store)) if isinstance(store.record(i), Packet)
            and len(store.record(i).raw) < store.record(i).length]  # type: ignore[union-attr]
    assert bulk
    got = store.bytes_of(bulk[0])
    assert not got.complete and "can't be re-read" in got.note and len(got.data) == 12


def test_fed_bytes_without_a_file_are_not_re_read() -> None:
    engine = Engine(EngineOptions(store=True, keep_payload=0))
    engine.feed_bytes((CAPTURES / "real" / "gphoto2-get-all-files.pcapng").read_bytes())
    engine.close()
    assert engine.store is not None and engine.store.path is None
    notes = {engine.store.bytes_of(i).note for i in range(len(engine.store))}
    assert "payload not kept (input can't be re-read)" in notes


def test_stdin_input_is_not_re_read() -> None:
    code = ("import sys; from ptpip_analyzer.engine import *; d = Dissection('-', "
            "EngineOptions(store=True, keep_payload=0)); [0 for _ in d.items()]; "
            "print(d.engine.store.path)")
    data = (CAPTURES / "synthetic" / "basic-ethernet.pcap").read_bytes()
    out = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                         check=True).stdout
    assert out.strip() == b"None"


def test_index_at_frame_finds_the_record_a_frame_holds() -> None:
    store = stored(CAPTURES / "real" / "gphoto2-summary-nikon.pcapng", 1 << 20)
    for i in (0, 7, len(store) // 2, len(store) - 1):
        found = store.index_at_frame(store.record(i).frame)
        assert found is not None and store.record(found).frame == store.record(i).frame
        assert found <= i
    frames = {store.record(i).frame for i in range(len(store))}
    between = next(f for f in range(1, max(frames)) if f not in frames)
    after = store.index_at_frame(between)
    assert after is not None and store.record(after).frame > between
    assert store.index_at_frame(max(frames) + 1) is None
