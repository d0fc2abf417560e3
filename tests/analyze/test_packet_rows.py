"""The collector's packed rows give back what was packed, and keep growing after a look."""

from __future__ import annotations

from ptpip_analyzer.analyze.packet_rows import (
    HAS_CODE,
    HAS_TRANSACTION_ID,
    TO_HOST,
    PacketRows,
)
from ptpip_analyzer.model import Direction, Packet
from ptpip_analyzer.protocol import UNKNOWN_DATA_LENGTH


def _packet(frame: int, **fields: object) -> Packet:
    base: dict[str, object] = {"stream": 3, "direction": Direction.TO_RESPONDER,
                               "offset": 1 << 40, "length": 30, "ptype": 6, "frame": frame,
                               "time": 1.5 + frame}
    return Packet(**{**base, **fields})  # type: ignore[arg-type]


def test_fields_come_back_with_none_as_flags() -> None:
    rows = PacketRows()
    rows.add(_packet(1, transaction_id=7, code=0x1001, params=(1, 0xFFFFFFFF)))
    rows.add(_packet(2, direction=Direction.TO_INITIATOR, ptype=9, data_length=None))
    rows.add(_packet(3, ptype=9, data_length=UNKNOWN_DATA_LENGTH - 1, missing=5,
                     params=(1, 2, 3, 4, 5, 6)))
    fields = rows.columns()
    assert fields["frame"].tolist() == [1, 2, 3]
    assert fields["time"].tolist() == [2.5, 3.5, 4.5]
    assert fields["offset"].tolist() == [1 << 40] * 3
    flags = fields["flags"].tolist()
    assert flags[0] == HAS_TRANSACTION_ID | HAS_CODE and flags[1] == TO_HOST and flags[2] == 0
    assert fields["transaction_id"][0] == 7 and fields["code"][0] == 0x1001
    assert fields["nparams"].tolist() == [2, 0, 5]  # at most five kept
    assert [fields[f"p{i}"][0] for i in (1, 2)] == [1, 0xFFFFFFFF]
    assert fields["p5"][2] == 5
    assert fields["data_length"].tolist() == [UNKNOWN_DATA_LENGTH, UNKNOWN_DATA_LENGTH,
                                              UNKNOWN_DATA_LENGTH - 1]
    assert fields["missing"].tolist() == [0, 0, 5]


def test_rows_grow_after_a_look_and_a_look_from_a_row_on() -> None:
    rows = PacketRows()
    rows.add(_packet(1))
    frames = rows.columns()["frame"]
    rows.add(_packet(2))  # no export of the buffer is left behind by the look
    assert frames.tolist() == [1] and len(rows) == 2
    assert rows.columns(1)["frame"].tolist() == [2]
    assert rows.columns(5)["frame"].tolist() == []
    rows.release()
    assert len(rows) == 0 and rows.columns()["stream"].tolist() == []


def test_brief_rows_hold_frame_time_and_stream() -> None:
    rows = PacketRows(full=False)
    rows.add(_packet(4))
    fields = rows.columns()
    assert (fields["frame"].tolist(), fields["time"].tolist(), fields["stream"].tolist()) \
        == ([4], [5.5], [3])


def test_full_chunks_are_compressed_and_read_back_across_their_edges() -> None:
    rows = PacketRows(chunk=4)
    for frame in range(1, 11):  # two sealed chunks and two rows still open
        rows.add(_packet(frame, transaction_id=frame, params=(frame,) * (frame % 6)))
    assert len(rows._sealed) == 2 and len(rows) == 10
    assert rows.columns()["frame"].tolist() == list(range(1, 11))
    for start in (0, 3, 4, 5, 8, 9, 10):
        assert rows.columns(start)["transaction_id"].tolist() == list(range(start + 1, 11))
    assert rows.columns(2)["nparams"].tolist() == [min(f % 6, 5) for f in range(3, 11)]
    column = rows.columns(4)["frame"]
    column[0] = -1  # a column is the caller's own copy
    assert rows.columns(4)["frame"][0] == 5
    rows.release()
    assert len(rows) == 0 and rows.columns()["frame"].tolist() == []
