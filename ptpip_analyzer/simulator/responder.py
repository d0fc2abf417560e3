"""The PTP/IP responder for one command connection, sans-IO: packets in, plans out.

A ``Plan`` says what the socket code sends for one transaction (delay, data phase, response,
events) so faults and cancel handling are decided here and tested without sockets. Sequences
and layouts: PROTOCOL.md ("Sequences", "Packet types").
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..decode import encode
from ..decode.codes import PacketType, operation_name, response_name
from ..protocol import OPEN_SESSION, RESPONSE_OK, TRANSACTION_CANCELLED
from .camera import PtpSession, Reply, Request
from .faults import DATA_FAULTS, OBJECT_TRANSFERS, DataPhase, Fault, data_phase
from .personalities import Behaviour

REJECTED_INITIATOR = 1
DEFAULT_CHUNK_SIZE = 65536


class ProtocolError(ValueError):
    """The initiator sent something the responder can't follow; the connection is closed."""


@dataclass(frozen=True, slots=True)
class InitCommandRequest:
    guid: bytes
    name: str
    version: int | None


def parse_init_command_request(payload: bytes) -> InitCommandRequest:
    """GUID, NUL-terminated UTF-16LE name, then an optional u32 version (PROTOCOL.md)."""
    if len(payload) < 18:
        raise ProtocolError(f"Init Command Request payload of {len(payload)} bytes")
    guid, rest = payload[:16], payload[16:]
    end = next((i for i in range(0, len(rest) - 1, 2) if rest[i:i + 2] == b"\0\0"), len(rest))
    name = rest[:end].decode("utf-16-le", errors="replace")
    tail = rest[end + 2:]
    version = struct.unpack("<I", tail[:4])[0] if len(tail) >= 4 else None
    return InitCommandRequest(guid, name, version)


def parse_operation_request(payload: bytes) -> tuple[int, Request]:
    """(data-phase info, request) from an Operation Request payload."""
    if len(payload) < 10 or (len(payload) - 10) % 4:
        raise ProtocolError(f"Operation Request payload of {len(payload)} bytes")
    phase, code, tid = struct.unpack_from("<IHI", payload)
    params = struct.unpack_from(f"<{(len(payload) - 10) // 4}I", payload, 10)
    return phase, Request(code, tid, tuple(params))


def transaction_id(payload: bytes) -> int:
    if len(payload) < 4:
        raise ProtocolError("packet too short for a transaction id")
    tid: int = struct.unpack_from("<I", payload)[0]
    return tid


@dataclass(slots=True)
class Plan:
    """What to send for one transaction (or one probe), in order."""

    transaction_id: int = 0
    delay: float = 0.0
    data: DataPhase | None = None
    response: bytes = b""
    cancelled_response: bytes = b""  # replaces ``response`` if a Cancel stops the data phase
    events: list[bytes] = field(default_factory=list)
    drop_event: bool = False
    log: str = ""


@dataclass(slots=True)
class _Incoming:
    request: Request
    announced: int
    chunks: list[bytes] = field(default_factory=list)


class CommandResponder:
    """PTP/IP main loop of one command connection after the handshake."""

    def __init__(self, session: PtpSession, faults: frozenset[Fault] = frozenset(),
                 fault_delay: float = 0.5, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        self.session = session
        self.faults = faults
        self.fault_delay = fault_delay
        self.chunk_size = chunk_size
        self.incoming: _Incoming | None = None
        self.cancelled: int | None = None  # transaction id of an honoured Cancel
        self._data_fault_fired = False
        self._event_dropped = False
        self._last_in_end = Behaviour.DATA_THEN_EMPTY_END not in session.camera.behaviours

    def receive(self, ptype: int, payload: bytes) -> Plan | None:
        """One packet from the initiator; a plan when there is something to send."""
        if ptype == PacketType.PROBE_REQUEST:
            return Plan(response=encode.probe_response())
        if ptype == PacketType.PROBE_RESPONSE:
            return None
        if ptype == PacketType.OPERATION_REQUEST:
            return self._request(payload)
        if ptype in (PacketType.START_DATA, PacketType.DATA, PacketType.END_DATA):
            return self._incoming_data(ptype, payload)
        if ptype == PacketType.CANCEL:
            return self.cancel(transaction_id(payload))
        raise ProtocolError(f"unexpected packet type {ptype} on the command connection")

    def cancel(self, tid: int) -> Plan | None:
        """A Cancel: honoured unless the ignore-cancel fault is on (then nothing changes)."""
        if Fault.IGNORE_CANCEL in self.faults:
            return None
        self.cancelled = tid
        if self.incoming is not None and self.incoming.request.transaction_id == tid:
            self.incoming = None
            return Plan(tid, response=encode.operation_response(TRANSACTION_CANCELLED, tid),
                        log=f"tid {tid} cancelled by initiator during its data phase")
        return None

    def is_cancelled(self, tid: int) -> bool:
        return self.cancelled == tid

    def _request(self, payload: bytes) -> Plan | None:
        phase, request = parse_operation_request(payload)
        if self.session.expects_data(request.code) or phase == 2:
            self.incoming = _Incoming(request, 0)
            return None
        return self._reply(request)

    def _incoming_data(self, ptype: int, payload: bytes) -> Plan | None:
        incoming = self.incoming
        tid = transaction_id(payload)
        if incoming is None or incoming.request.transaction_id != tid:
            raise ProtocolError(f"data packet for transaction {tid} outside its data phase")
        if ptype == PacketType.START_DATA:
            incoming.announced = struct.unpack_from("<Q", payload, 4)[0] if len(payload) >= 12 else 0
            return None
        incoming.chunks.append(payload[4:])
        if ptype == PacketType.DATA:
            return None
        self.incoming = None
        request = incoming.request
        full = Request(request.code, request.transaction_id, request.params,
                       b"".join(incoming.chunks))
        return self._reply(full)

    def _data_fault(self, request: Request) -> Fault | None:
        if self._data_fault_fired or request.code not in OBJECT_TRANSFERS:
            return None
        fault = next((f for f in Fault if f in DATA_FAULTS and f in self.faults), None)
        self._data_fault_fired = fault is not None
        return fault

    def _reply(self, request: Request) -> Plan:
        reply = self.session.handle(request)
        fault = self._data_fault(request) if reply.data is not None else None
        tid = request.transaction_id
        response_tid = tid + 1 if fault is Fault.WRONG_TRANSACTION_ID else tid
        plan = Plan(
            transaction_id=tid,
            delay=self.fault_delay if Fault.SLOW in self.faults else 0.0,
            data=None if reply.data is None else data_phase(tid, reply.data, self.chunk_size,
                                                            fault, self._last_in_end),
            response=encode.operation_response(reply.code, response_tid, reply.params),
            cancelled_response=encode.operation_response(TRANSACTION_CANCELLED, tid),
            events=[encode.event(e.code, e.transaction_id, e.params) for e in reply.events],
            drop_event=self._drop_event(request, reply),
            log=_log_line(request, reply, fault),
        )
        return plan

    def _drop_event(self, request: Request, reply: Reply) -> bool:
        if Fault.DROP_EVENT not in self.faults or self._event_dropped:
            return False
        self._event_dropped = request.code == OPEN_SESSION and reply.code == RESPONSE_OK
        return self._event_dropped


def _log_line(request: Request, reply: Reply, fault: Fault | None) -> str:
    params = ",".join(f"0x{p:X}" for p in request.params)
    line = (f"tid {request.transaction_id} {operation_name(request.code)}({params})"
            f" -> {response_name(reply.code)}")
    if request.data is not None:
        line += f" data-in {len(request.data)} B"
    if reply.data is not None:
        line += f" data-out {len(reply.data)} B"
    if reply.params:
        line += " params " + ",".join(f"0x{p:X}" for p in reply.params)
    return line + (f" [fault {fault.value}]" if fault else "")


def handshake_reply(request: InitCommandRequest, faults: frozenset[Fault], number: int,
                    guid: bytes, name: str, registered: frozenset[bytes] | None = None) -> bytes:
    """Init Command Ack, or Init Fail (rejected initiator) under the refuse fault or, for a
    camera that pairs (``registered`` not None: Nikon, Sony), an unregistered host GUID."""
    if Fault.REFUSE in faults or (registered is not None and request.guid not in registered):
        return encode.init_fail(REJECTED_INITIATOR)
    return encode.init_command_ack(number, guid, name)
