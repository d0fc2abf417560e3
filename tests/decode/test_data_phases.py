"""Data phase assembly over real captures and a transcript."""

from __future__ import annotations

from pathlib import Path

from ptpip_analyzer.decode.data_phases import DataPhase, DataPhaseAssembler
from ptpip_analyzer.engine import DissectOptions, dissect_file
from ptpip_analyzer.model import Connection, Direction, Endpoint, Gap, Packet

CAPTURES = Path(__file__).resolve().parent.parent.parent / "captures"
CONN = Connection(0, Endpoint(b"\x7f\x00\x00\x01", 5000), Endpoint(b"\x7f\x00\x00\x01", 15740), 1)
IN = Direction.TO_INITIATOR


def pkt(ptype: int, frame: int, **kw: object) -> Packet:
    return Packet(0, kw.pop("direction", IN), 0, 0, ptype, frame, float(frame), **kw)  # type: ignore


def run(records: list) -> list[DataPhase]:
    asm = DataPhaseAssembler()
    out: list[DataPhase] = []
    for r in records:
        out += asm.feed(CONN, r)
    return out + asm.close()


def test_phase_joins_chunks_and_names_its_operation() -> None:
    phases = run([
        pkt(6, 1, direction=Direction.TO_RESPONDER, code=0x1008, transaction_id=4, params=(7,)),
        pkt(9, 2, transaction_id=4, data_length=6),
        pkt(10, 3, transaction_id=4, data_length=4, payload=b"abcd"),
        pkt(12, 4, transaction_id=4, data_length=2, payload=b"ef"),
        pkt(7, 5, code=0x2001, transaction_id=4),
    ])
    assert [(p.opcode, p.params, p.announced, p.size, p.payload, p.complete, p.first_frame,
             p.last_frame) for p in phases] == [(0x1008, (7,), 6, 6, b"abcdef", True, 2, 4)]


def test_gap_or_unkept_chunk_leaves_no_payload_but_counts_size() -> None:
    phases = run([
        pkt(9, 1, transaction_id=1, data_length=0xFFFFFFFFFFFFFFFF),
        pkt(10, 2, transaction_id=1, data_length=4, payload=None),
        Gap(0, IN, 0, 3, 3, 3.0, "lost"),
        pkt(12, 4, transaction_id=1, data_length=0, payload=b""),
    ])
    assert [(p.announced, p.size, p.payload, p.opcode) for p in phases] == [(None, 4, None, None)]


def test_lost_bytes_are_told_apart_from_unkept_payloads() -> None:
    unkept = run([pkt(9, 1, transaction_id=1, data_length=4),
                  pkt(12, 2, transaction_id=1, data_length=4, payload=None)])
    cut = run([pkt(9, 1, transaction_id=1, data_length=4),
               pkt(12, 2, transaction_id=1, data_length=4, payload=None, missing=3)])
    gap = run([pkt(9, 1, transaction_id=1, data_length=8),
               Gap(0, IN, 0, 4, 2, 2.0, "lost"),
               pkt(12, 3, transaction_id=1, data_length=4, payload=b"abcd")])
    assert [p.lost for p in unkept + cut + gap] == [False, True, True]


def test_response_instead_of_end_data_closes_an_incomplete_phase() -> None:
    phases = run([pkt(9, 1, transaction_id=1, data_length=10),
                  pkt(10, 2, transaction_id=1, data_length=5, payload=b"12345"),
                  pkt(7, 3, code=0x201F, transaction_id=1)])
    assert [(p.complete, p.size) for p in phases] == [(False, 5)]


def test_real_gphoto2_session_gives_device_info_and_object_bytes() -> None:
    asm = DataPhaseAssembler()
    phases: list[DataPhase] = []
    for conn, record in dissect_file(CAPTURES / "real" / "gphoto2-get-all-files.pcapng",
                                     DissectOptions()).records():
        phases += asm.feed(conn, record)
    phases += asm.close()
    by_op = {p.opcode: p for p in phases}
    assert by_op[0x1001].payload and by_op[0x1001].size == len(by_op[0x1001].payload)
    objects = [p for p in phases if p.opcode == 0x1009]
    assert objects and all(p.complete and p.payload and p.payload[:2] == b"\xff\xd8"
                           for p in objects)
