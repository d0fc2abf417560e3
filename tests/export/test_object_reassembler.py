"""ObjectReassembler transcripts: records in, object transfers and sink writes out."""

from __future__ import annotations

from ptpip_analyzer.export.objects import ObjectReassembler
from ptpip_analyzer.model import Buffer, Connection, Direction, Endpoint, Gap, Packet, Record

CONN = Connection(0, Endpoint(b"\x0a\x00\x00\x02", 50001), Endpoint(b"\x0a\x00\x00\x01", 15740), 1)
HOST, CAMERA = Direction.TO_RESPONDER, Direction.TO_INITIATOR


class Sink:
    def __init__(self) -> None:
        self.writes: list[tuple[int, bytes]] = []

    def write(self, offset: int, data: Buffer) -> None:
        self.writes.append((offset, bytes(data)))


class Store:
    def __init__(self) -> None:
        self.sinks: list[Sink] = []

    def create(self) -> Sink:
        self.sinks.append(Sink())
        return self.sinks[-1]


def _packet(direction: Direction, ptype: int, **fields: object) -> Packet:
    return Packet(0, direction, 0, 0, ptype, 1, 0.0, **fields)  # type: ignore[arg-type]


def _get_object(*middle: Record, chunks: tuple[bytes, ...] = (b"abcd", b"efgh")) -> list[Record]:
    data = [_packet(CAMERA, 10 if i < len(chunks) - 1 else 12, transaction_id=5,
                    data_length=len(c), payload=c) for i, c in enumerate(chunks)]
    return [_packet(HOST, 6, transaction_id=5, code=0x1009, params=(7,)),
            _packet(CAMERA, 9, transaction_id=5, data_length=sum(map(len, chunks))),
            data[0], *middle, *data[1:], _packet(CAMERA, 7, transaction_id=5, code=0x2001)]


def _run(records: list[Record]) -> tuple[list[object], Store]:
    store = Store()
    reassembler = ObjectReassembler(store)
    out = [t for r in records for t in reassembler.feed(CONN, r)] + reassembler.close()
    return out, store


def test_a_whole_object_is_written_chunk_by_chunk_as_it_arrives() -> None:
    [t], store = _run(_get_object())
    assert store.sinks[0].writes == [(0, b"abcd"), (4, b"efgh")]
    assert (t.handle, t.kind, t.complete, t.size, t.holes) == (7, "object", True, 8, ())


def test_a_gap_in_the_other_direction_leaves_the_object_whole() -> None:
    [t], _ = _run(_get_object(Gap(0, HOST, 100, 20, 1, 0.0, "lost")))
    assert t.complete and t.holes == ()


def test_a_gap_between_data_packets_stops_placing_bytes() -> None:
    [t], store = _run(_get_object(Gap(0, CAMERA, 100, 20, 1, 0.0, "lost")))
    assert store.sinks[0].writes == [(0, b"abcd")] and not t.complete
    assert "unknown position" in t.reason and t.holes == ((4, 4),)


def _partial_read(handle: int, tid: int, data: bytes) -> list[Record]:
    return [_packet(HOST, 6, transaction_id=tid, code=0x101B, params=(handle, 0, len(data))),
            _packet(CAMERA, 9, transaction_id=tid, data_length=len(data)),
            _packet(CAMERA, 12, transaction_id=tid, data_length=len(data), payload=data),
            _packet(CAMERA, 7, transaction_id=tid, code=0x2001)]


def test_objects_joined_from_pieces_are_bounded_in_number(monkeypatch: object) -> None:
    from ptpip_analyzer.export import objects
    monkeypatch.setattr(objects, "MAX_JOINING", 2)  # type: ignore[attr-defined]
    reassembler = ObjectReassembler(Store())
    early = [t for handle in (1, 2, 3) for r in _partial_read(handle, handle, b"xy")
             for t in reassembler.feed(CONN, r)]
    assert [(t.handle, "given out early" in t.reason) for t in early] == [(1, True)]
    assert sorted(t.handle for t in reassembler.close()) == [2, 3]


def test_object_infos_are_bounded_in_number() -> None:
    reassembler = ObjectReassembler(max_infos=3)
    for handle in range(10):
        reassembler._remember(0, handle, object())  # type: ignore[arg-type]
    assert list(reassembler.infos) == [(0, 7), (0, 8), (0, 9)]
