"""An object whose stream ends inside one of its Data packets (a reset mid-packet, a capture
that stops mid-transfer) still gets its ``.partial`` file: exactly the bytes captured, holes
named, and the byte accounting unchanged (the cut packet's bytes stay malformed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.engine import EngineOptions, dissect_file
from ptpip_analyzer.export.object_files import ManifestRow, export_objects
from ptpip_analyzer.framing import KEEP_ALL
from ptpip_analyzer.model import Malformed
from ptpip_analyzer.sources import tcp_trouble
from ptpip_analyzer.sources.synthetic import jpeg_like
from tests.stream_invariants import check_records

HOSTILE = Path(__file__).resolve().parent.parent.parent / "captures" / "hostile"
OBJECT = jpeg_like(200_000, 3)  # basic_session's GetObject (transaction 3)


def _reset_capture(path: Path, rst: bool = True) -> Path:
    """The camera's RST inside a 64 KiB Data packet; without ``rst``, the capture simply
    stops there (the connection still open)."""
    script = tcp_trouble.reset_mid_download()
    if not rst:
        del script.command.segments[-1]
    with open(path, "wb") as out:
        tcp_trouble.write_pcapng(script, out)
    return path


def _export(capture: Path, folder: Path) -> ManifestRow:
    _, rows = export_objects(capture, folder)
    [row] = rows
    return row


def _cut_region(capture: Path) -> Malformed:
    dissection = dissect_file(capture, EngineOptions(annotate=False, validate=False,
                                                     keep_payload=KEEP_ALL))
    pairs = list(dissection.records())
    check_records(pairs, dissection.accounting)  # every byte once, records tile the stream
    [cut] = [r for _, r in pairs if isinstance(r, Malformed) and r.data_head is not None]
    assert dissection.accounting[(cut.stream, cut.direction)].malformed >= cut.length
    return cut


def test_a_reset_inside_a_data_packet_leaves_the_captured_bytes_in_a_partial_file(
        tmp_path: Path) -> None:
    capture = _reset_capture(tmp_path / "reset.pcapng")
    cut = _cut_region(capture)
    head = cut.data_head
    assert head is not None and head.transaction_id == 3 and head.ptype == 10
    row = _export(capture, tmp_path / "out")
    assert row.file.endswith(".partial") and row.status == "partial"
    data = (tmp_path / "out" / row.file).read_bytes()
    # the reset comes inside the first Data packet: its captured payload is the file
    assert len(data) == row.size == head.size == 59_356
    assert data == OBJECT[:len(data)]
    assert row.holes == [(row.size, 200_000 - row.size)]
    assert "the stream ends inside its Data packet" in row.reason
    assert row.capture_gaps is False  # the camera's reset ended the stream, not the capture


def test_export_exit_code_says_whether_the_capture_or_the_sender_cut_the_object(
        tmp_path: Path) -> None:
    reset = _reset_capture(tmp_path / "reset.pcapng")
    stopped = _reset_capture(tmp_path / "stopped.pcapng", rst=False)
    assert main(["export-objects", str(reset), "-d", str(tmp_path / "a")]) == 0
    assert main(["export-objects", str(stopped), "-d", str(tmp_path / "b")]) == 1
    row = _export(stopped, tmp_path / "c")
    assert row.capture_gaps is True and row.file.endswith(".partial")
    assert (tmp_path / "c" / row.file).read_bytes() == OBJECT[:row.size]


def test_a_packet_cut_by_the_end_and_by_gaps_keeps_its_holes(tmp_path: Path) -> None:
    capture = HOSTILE / "ends-inside-gapped-packet.pcap"
    cut = _cut_region(capture)
    assert cut.data_head is not None and cut.data_head.holes == ((2988, 2000),)
    row = _export(capture, tmp_path)
    data = (tmp_path / row.file).read_bytes()
    payload = bytes(range(256)) * 160  # the hostile Data packet's payload
    assert len(data) == 9988 and data[2988:4988] == bytes(2000)
    assert data[:2988] == payload[:2988] and data[4988:] == payload[4988:9988]
    assert row.holes == [(2988, 2000), (9988, 40_000 - 9988)]
    assert row.capture_gaps is True
    assert main(["export-objects", str(capture), "-d", str(tmp_path / "again")]) == 1


@pytest.mark.parametrize("keep", [0, KEEP_ALL])
def test_the_head_holds_only_captured_bytes(tmp_path: Path, keep: int) -> None:
    """Kept or not, the head is bounded by what arrived: never by its length field."""
    capture = _reset_capture(tmp_path / "reset.pcapng")
    dissection = dissect_file(capture, EngineOptions(annotate=False, validate=False,
                                                     keep_payload=keep))
    [head] = [r.data_head for _, r in dissection.records()
              if isinstance(r, Malformed) and r.data_head is not None]
    assert head.length == 65548 and head.size < head.length - 12
    if keep:
        assert head.payload == OBJECT[:head.size]
    else:
        assert head.payload is None
