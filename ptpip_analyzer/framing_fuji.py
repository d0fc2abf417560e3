"""Fujifilm's PTP/IP variant on TCP ports 55740-55742: framing and decoding in one step.

Facts from libgphoto2 camlibs/ptp2/fujiptpip.c (commit 813de344e697, Marcus Meissner's
reverse engineering of Fuji X Acquire / the X-T4) and petabyt/fudge lib/fujiptp.h:
  * ports 55740 (commands and data), 55741 (events), 55742 (live view JPEGs);
  * the Init Command Request is a PTP/IP type-1 packet (82 bytes from libgphoto2 2.5.30,
    28 + the name in later ones) with the magic 0x8F53E4F2 at offset 8, the GUID at 12 and
    the host name (UTF-16LE, NUL-terminated) at 28. fujiptpip.c names offset 8
    ``fujiptpip_initcmd_protocolversion``: Fuji's version field sits where PTP/IP's GUID starts
    and holds the magic, and the PTP/IP version after the name is commented out. So the
    request has no PTP/IP protocol version (``version`` None, not the zero padding); the
    camera answers with an ordinary PTP/IP Init Command Ack (type 2);
  * the event connection (55741) and the JPEG one (55742) open with no handshake at all
    (``ptp_fujiptpip_init_event`` only connects): protocol.FUJI_ROLES and has_handshake;
  * after that, USB-style PTP containers: u32 length (including the 12-byte header), u16
    container type (1 command, 2 data, 3 response, 4 event), u16 code, u32 transaction id,
    then u32 parameters (command/response/event) or the data bytes. No Start/End Data.
Containers come out as the PTP/IP ``Packet`` they correspond to (command -> Operation
Request, data -> End Data carrying the whole data phase, response -> Operation Response,
event -> Event), so the validator, data phases and datasets work on them unchanged.
"""

from __future__ import annotations

import enum
import struct

from .decode.packets import split_name_and_version
from .model import Buffer, Direction, Gap, Malformed, Packet
from .protocol import FUJI_PORTS, PacketType

__all__ = ["FUJI_PORTS", "FujiFramer"]

# Fuji's wire facts, here once (the simulator's fuji.py writes what this reads)
FUJI_MAGIC = 0x8F53E4F2  # in the Init Command Request's version field, offset 8
INIT_GUID_OFFSET, INIT_NAME_OFFSET = 12, 28  # fujiptpip_initcmd_guid, fujiptpip_initcmd_name
CONTAINER_HEADER = struct.Struct("<IHHI")  # length (header included), type, code, tid


class ContainerType(enum.IntEnum):
    """The USB-style container types of fujiptpip.c's header comment."""

    COMMAND = 1
    DATA = 2
    RESPONSE = 3
    EVENT = 4


# each container comes out as the PTP/IP packet it stands for (plain ints, as framing's are)
CONTAINER_PTYPES = {int(k): int(v) for k, v in {
    ContainerType.COMMAND: PacketType.OPERATION_REQUEST, ContainerType.DATA: PacketType.END_DATA,
    ContainerType.RESPONSE: PacketType.OPERATION_RESPONSE,
    ContainerType.EVENT: PacketType.EVENT}.items()}
# (plain ints: a packet's ptype is one)
_INIT_REQUEST, _INIT_ACK = int(PacketType.INIT_COMMAND_REQUEST), int(PacketType.INIT_COMMAND_ACK)
_MAX_LENGTH = 1 << 30


class FujiFramer:
    """A ``StreamSink`` for one direction of a Fuji connection; records go to ``out``."""

    def __init__(self, stream: int, direction: Direction, out: list[object],
                 keep_payload: int) -> None:
        self.stream, self.direction, self.out = stream, direction, out
        self.keep_payload = keep_payload
        self.pos = 0  # stream bytes consumed (accounting)
        self.buf = bytearray()
        self.buf_offset = 0
        self.frame, self.time = 0, 0.0
        self.broken = False  # after a gap or bad length: the rest is reported, not parsed

    def open_frame(self) -> int | None:
        """The frame the record being built will carry (None: between containers)."""
        return self.frame if self.buf else None

    def data(self, offset: int, data: Buffer, frame: int, time: float) -> None:
        if not self.buf:
            self.buf_offset, self.frame, self.time = offset, frame, time
        self.buf += data
        self.pos = offset + len(data)
        self._cut()

    def gap(self, offset: int, length: int, frame: int, time: float, reason: str) -> None:
        self._flush_malformed("bytes before a capture gap", frame, time)
        self.out.append(Gap(self.stream, self.direction, offset, length, frame, time, reason))
        self.pos = offset + length
        self.buf_offset = self.pos
        self.broken = True  # no resync on this framing: its headers carry no type magic

    def close(self) -> None:
        self._flush_malformed("incomplete container at the end of the stream", self.frame,
                              self.time)

    def _cut(self) -> None:
        while len(self.buf) >= 8 and not self.broken:
            length = struct.unpack_from("<I", self.buf)[0]
            if length < 8 or length > _MAX_LENGTH:
                self.broken = True
                break
            if len(self.buf) < length:
                return
            unit = bytes(self.buf[:length])
            del self.buf[:length]
            self.out.append(self._decode(unit))
            self.buf_offset += length
        if self.broken:
            self._flush_malformed("not a Fuji PTP container (bad length)", self.frame, self.time)

    def _flush_malformed(self, reason: str, frame: int, time: float) -> None:
        if self.buf:
            self.out.append(Malformed(self.stream, self.direction, self.buf_offset,
                                      len(self.buf), frame, time, reason))
            self.buf_offset += len(self.buf)
            self.buf.clear()

    def _decode(self, unit: bytes) -> Packet | Malformed:
        ptype = struct.unpack_from("<I", unit, 4)[0] if len(unit) >= 8 else 0
        if ptype in (_INIT_REQUEST, _INIT_ACK) and len(unit) >= INIT_NAME_OFFSET:
            return self._init(unit, ptype)
        if len(unit) < CONTAINER_HEADER.size or CONTAINER_HEADER.unpack_from(unit)[1] not in CONTAINER_PTYPES:
            return Malformed(self.stream, self.direction, self.buf_offset, len(unit),
                             self.frame, self.time, "not a Fuji PTP container")
        return self._container(unit)

    def _packet(self, unit: bytes, ptype: int, **fields: object) -> Packet:
        return Packet(self.stream, self.direction, self.buf_offset, len(unit), ptype,
                      self.frame, self.time, raw=unit, **fields)  # type: ignore[arg-type]

    def _init(self, unit: bytes, ptype: int) -> Packet:
        guid, rest = unit[INIT_GUID_OFFSET:INIT_NAME_OFFSET], unit[INIT_NAME_OFFSET:]
        if ptype == _INIT_REQUEST:  # version field (the magic) at 8, GUID, name, no version after it
            name, _ = split_name_and_version(rest)  # what follows the name is padding
            return self._packet(unit, _INIT_REQUEST, guid=guid, name=name, version=None)
        name, version = split_name_and_version(rest)  # an ordinary PTP/IP Ack
        return self._packet(unit, _INIT_ACK, connection_number=struct.unpack_from("<I", unit, 8)[0],
                            guid=guid, name=name, version=version)

    def _container(self, unit: bytes) -> Packet:
        length, kind, code, tid = CONTAINER_HEADER.unpack_from(unit)
        ptype = CONTAINER_PTYPES[kind]
        if kind == ContainerType.DATA:
            size = length - CONTAINER_HEADER.size
            payload = unit[CONTAINER_HEADER.size:] if size <= self.keep_payload else None
            return self._packet(unit, ptype, transaction_id=tid, data_length=size,
                                payload=payload, code=None)
        count = (length - CONTAINER_HEADER.size) // 4
        params = struct.unpack_from(f"<{count}I", unit, CONTAINER_HEADER.size)
        return self._packet(unit, ptype, code=code, transaction_id=tid, params=params,
                            data_phase=1 if kind == ContainerType.COMMAND else None)
