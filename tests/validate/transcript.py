"""Transcript tests: a PTP/IP conversation written line by line, the validator's findings out.

Frames are numbered from 1 in the order lines are written, so a test reads as
``t.host(REQUEST, ...)`` / ``t.camera(RESPONSE, ...)`` and expects ``[(rule id, frame), ...]``.
"""

from __future__ import annotations

from typing import Any

from ptpip_analyzer.analyze.transactions import ValidationResult
from ptpip_analyzer.decode.codes import PacketType as P
from ptpip_analyzer.engine import validate_records
from ptpip_analyzer.model import Connection, Direction, Endpoint, Gap, Malformed, Packet, Record

HOST = bytes([192, 168, 1, 10])
CAMERA = bytes([192, 168, 1, 1])
OK, OPEN_SESSION, GET_DEVICE_INFO, GET_OBJECT = 0x2001, 0x1002, 0x1001, 0x1009
SEND_OBJECT, CLOSE_SESSION = 0x100D, 0x1003
PADDED = (0, 0, 0, 0, 0)  # senders that pad parameters to five zeros (PROTOCOL.md)


class Transcript:
    def __init__(self) -> None:
        self.pairs: list[tuple[Connection, Record]] = []
        self._connections: dict[int, Connection] = {}
        self._offsets: dict[tuple[int, Direction], int] = {}

    def connection(self, stream: int, host: bytes = HOST) -> Connection:
        if stream not in self._connections:
            self._connections[stream] = Connection(
                stream, Endpoint(host, 50000 + stream), Endpoint(CAMERA, 15740), self._next())
        return self._connections[stream]

    def host(self, ptype: int, stream: int = 0, **fields: Any) -> int:
        return self._packet(Direction.TO_RESPONDER, ptype, stream, fields)

    def camera(self, ptype: int, stream: int = 0, **fields: Any) -> int:
        return self._packet(Direction.TO_INITIATOR, ptype, stream, fields)

    def gap(self, stream: int = 0, direction: Direction = Direction.TO_INITIATOR) -> int:
        frame = self._next()
        self._add(stream, Gap(stream, direction, self._advance(stream, direction, 100), 100,
                              frame, frame / 100, "lost"))
        return frame

    def malformed(self, stream: int = 0, direction: Direction = Direction.TO_INITIATOR) -> int:
        frame = self._next()
        self._add(stream, Malformed(stream, direction, self._advance(stream, direction, 8), 8,
                                    frame, frame / 100, "bad length"))
        return frame

    # -- conversation building blocks ---------------------------------------------------------

    def command_handshake(self, stream: int = 0, number: int = 1) -> None:
        self.host(P.INIT_COMMAND_REQUEST, stream, guid=bytes(16), name="host", version=0x10000)
        self.camera(P.INIT_COMMAND_ACK, stream, connection_number=number, guid=bytes(16),
                    name="cam", version=0x10000)

    def event_handshake(self, stream: int = 1, number: int = 1) -> None:
        self.host(P.INIT_EVENT_REQUEST, stream, connection_number=number)
        self.camera(P.INIT_EVENT_ACK, stream)

    def transaction(self, opcode: int, tid: int, data: int | None = None,
                    from_host: bool = False, response: int = OK, stream: int = 0,
                    data_phase: int = 1) -> int:
        """Request, optional data phase (``data`` bytes: all in Data, empty End Data), response.

        Returns the request's frame."""
        request = self.host(P.OPERATION_REQUEST, stream, code=opcode, transaction_id=tid, params=PADDED,
                  data_phase=data_phase)
        if data is not None:
            send = self.host if from_host else self.camera
            send(P.START_DATA, stream, transaction_id=tid, data_length=data)
            send(P.DATA, stream, transaction_id=tid, data_length=data)
            send(P.END_DATA, stream, transaction_id=tid, data_length=0)
        self.camera(P.OPERATION_RESPONSE, stream, code=response, transaction_id=tid)
        return request

    def session_start(self) -> None:
        """Both handshakes and OpenSession (transaction 0), as gphoto2 does it."""
        self.command_handshake()
        self.event_handshake()
        self.transaction(OPEN_SESSION, 0)

    # -- results ------------------------------------------------------------------------------

    def result(self) -> ValidationResult:
        return validate_records(self.pairs)

    def findings(self) -> list[tuple[str, int]]:
        return [(f.rule, f.frame) for f in self.result().findings]

    def _packet(self, direction: Direction, ptype: int, stream: int,
                fields: dict[str, Any]) -> int:
        frame, length = self._next(), 8 + (fields.get("data_length") or 0)
        offset = self._advance(stream, direction, length)
        self._add(stream, Packet(stream, direction, offset, length, ptype, frame, frame / 100,
                                 **fields))
        return frame

    def _add(self, stream: int, record: Record) -> None:
        self.pairs.append((self.connection(stream), record))

    def _advance(self, stream: int, direction: Direction, length: int) -> int:
        offset = self._offsets.get((stream, direction), 0)
        self._offsets[stream, direction] = offset + length
        return offset

    def _next(self) -> int:
        return len(self.pairs) + 1
