"""Property timeline: descs, reads, accepted and refused sets, change events; diff."""

from __future__ import annotations

from pathlib import Path

from ptpip_analyzer.analyze.properties import PropertyChange, diff, properties, values_at
from ptpip_analyzer.decode import encode_ptp as enc
from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.model import Connection, Direction, Endpoint, Packet, Record

CONN = Connection(0, Endpoint(b"\x0a\x00\x00\x01", 50000), Endpoint(b"\x0a\x00\x00\x02", 15740),
                  1)
TO_CAM, TO_HOST = Direction.TO_RESPONDER, Direction.TO_INITIATOR
REAL = Path(__file__).resolve().parents[2] / "captures" / "real"


class Script:
    """A command-connection conversation, one packet per frame and second."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    def add(self, direction: Direction, ptype: int, **fields: object) -> None:
        n = len(self.records) + 1
        self.records.append(Packet(0, direction, 0, 8, ptype, n, float(n), **fields))  # type: ignore[arg-type]

    def transaction(self, tid: int, op: int, params: tuple[int, ...], data: bytes | None,
                    sender: Direction, response: int = 0x2001) -> None:
        self.add(TO_CAM, 6, code=op, transaction_id=tid, params=params, data_phase=1)
        if data is not None:
            self.add(sender, 9, transaction_id=tid, data_length=len(data))
            self.add(sender, 12, transaction_id=tid, data_length=len(data), payload=data)
        self.add(TO_HOST, 7, code=response, transaction_id=tid)

    def pairs(self) -> list[tuple[Connection, Record]]:
        return [(CONN, r) for r in self.records]


def timeline() -> list[PropertyChange]:
    s = Script()
    desc = enc.DevicePropDesc(0x500E, enc.DataType.UINT16, True, 2, 2, (1, 2, 3, 4))
    s.transaction(1, 0x1014, (0x500E,), enc.device_prop_desc(desc), TO_HOST)  # frames 1-4
    s.transaction(2, 0x1016, (0x500E,), enc.u16(3), TO_CAM)  # 5-8: accepted
    s.transaction(3, 0x1016, (0x500E,), enc.u16(9), TO_CAM, 0x201C)  # 9-12: refused
    s.add(TO_HOST, 8, code=0x4006, transaction_id=0, params=(0x500E,))  # 13
    s.transaction(4, 0x1015, (0x500E,), enc.u16(4), TO_HOST)  # 14-17
    s.transaction(5, 0x1015, (0x500E,), enc.u16(4), TO_HOST)  # 18-21: unchanged, no row
    return properties(s.pairs())


def test_timeline_rows() -> None:
    rows = timeline()
    assert [(r.source, r.old_value, r.new_value, r.transaction_id) for r in rows] == [
        ("GetDevicePropDesc", None, 2, 1),
        ("SetDevicePropValue", 2, 3, 2),
        ("DevicePropChanged", 3, None, 0),
        ("GetDevicePropValue", 3, 4, 4),
    ]
    assert {r.property_name for r in rows} == {"ExposureProgramMode"}
    assert rows[1].frame == 8 and rows[1].session == "10.0.0.2"


def test_before_after_diff() -> None:
    rows = timeline()
    assert values_at(rows, 4.0) == {("10.0.0.2", 0x500E): 2}
    assert values_at(rows, 13.0) == {("10.0.0.2", 0x500E): 3}  # change announced, value unread
    assert list(diff(rows, 4.0, 21.0)) == [("10.0.0.2", 0x500E, 2, 4)]
    assert list(diff(rows, 17.0, 21.0)) == []


def test_timeline_of_a_real_gphoto2_session() -> None:
    rows = properties(dissect_file(REAL / "gphoto2-summary.pcapng").records())
    assert {(r.property_name, r.new_value) for r in rows} == {
        ("BatteryLevel", 87), ("ImageSize", "320x240"), ("DateTime", "20240501T120000")}
