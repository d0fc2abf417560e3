"""The vendor table in force per session, for faces that do not annotate every record.

``dissect`` without -V/jsonl runs no annotator (it more than doubles the per-packet cost:
23 -> 53 µs on benchmarks/stage_profile.py's capture), yet must name vendor codes as the
annotated outputs do. ``SessionVendors`` feeds the annotator's own ``VendorDetector`` with
the few records that tell the vendor -- the Init Command Ack's name, signature operations,
and the DeviceInfo of a GetDeviceInfo data phase -- and passes over every other record
after two comparisons.
"""

from __future__ import annotations

from ..model import Connection, Packet, Record
from ..protocol import DATA_PACKET_TYPES, GET_DEVICE_INFO
from .codes import PacketType
from .dataset_types import DeviceInfo
from .vendor import VendorDetector

MAX_DEVICE_INFO = 1 << 16  # bytes gathered per DeviceInfo; a longer one is not decoded
_LEARN = frozenset({PacketType.INIT_COMMAND_ACK, PacketType.OPERATION_REQUEST})


class SessionVendors:
    __slots__ = ('_asked', '_parts', '_sizes', 'detector')

    def __init__(self, override: str | None = None) -> None:
        self.detector = VendorDetector(override)
        self._asked: dict[int, int] = {}  # stream -> transaction id of its GetDeviceInfo
        self._parts: dict[int, list[bytes]] = {}  # stream -> that data phase's bytes so far
        self._sizes: dict[int, int] = {}  # stream -> their length

    def feed(self, conn: Connection, record: Record) -> None:
        """Every record, in order; only a handful do any work."""
        if not isinstance(record, Packet):
            self._parts.pop(record.stream, None)  # lost bytes: that DeviceInfo is incomplete
            return
        ptype = record.ptype
        if ptype in _LEARN:
            self.detector.packet(conn, record)
            if record.code == GET_DEVICE_INFO and record.transaction_id is not None:
                self._asked[record.stream] = record.transaction_id
                self._parts[record.stream], self._sizes[record.stream] = [], 0
        elif ptype in DATA_PACKET_TYPES and record.stream in self._parts:
            self._gather(conn, record)

    def vendor(self, conn: Connection) -> str | None:
        return self.detector.vendor(conn)

    def _gather(self, conn: Connection, record: Packet) -> None:
        stream = record.stream
        parts = self._parts[stream]
        if record.transaction_id != self._asked.get(stream) or record.payload is None \
                or record.missing or self._sizes[stream] + len(record.payload) > MAX_DEVICE_INFO:
            del self._parts[stream]  # not its data, or not kept whole: nothing to decode
            return
        parts.append(record.payload)
        self._sizes[stream] += len(record.payload)
        if record.ptype == PacketType.END_DATA:
            del self._parts[stream]
            self._decode(conn, b"".join(parts))

    def _decode(self, conn: Connection, payload: bytes) -> None:
        from .dataset_decoder import decode_dataset  # Kaitai layouts: only once one is seen
        result = decode_dataset(GET_DEVICE_INFO, payload)
        value = getattr(result, "value", None)
        if isinstance(value, DeviceInfo):
            self.detector.device_info(conn, value)
