"""Transactions on one command connection: PROTOCOL.md "Sequences", main loop.

    IDLE --6--> REQUESTED --7--> IDLE                  (no data, or a response instead of data)
                REQUESTED --9--> DATA --10*--> DATA --12--> AWAITING_RESPONSE --7--> IDLE
                REQUESTED | DATA --11--> CANCELLED --7--> IDLE
    any --gap/malformed--> UNCERTAIN --6--> REQUESTED  (resynchronise at the next request)

Each handler is one transition and names the rules it checks.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ..decode.codes import PacketType, operation_name, packet_type_name
from ..model import Direction, Finding, Packet
from ..protocol import RESPONSE_OK, UNKNOWN_DATA_LENGTH
from . import rules
from .data_direction import DataDirection, expected_data_direction
from .scope import Scope
from .transaction_ids import TransactionIds

DATA_PHASE_HOST_TO_CAMERA = 2  # Operation Request's data-phase field
MAX_WAITING = 16  # requests kept in line behind a running one; older ones count as abandoned


class Clock:
    """When the records being fed became whole: the capture time of the frame holding their
    last byte (the engine sets it per TCP segment that completes records; None: not known,
    e.g. records fed directly). A packet's own time is its first byte's frame, so the end of
    a data phase sent as one large packet is only known from here."""

    __slots__ = ('time',)

    def __init__(self) -> None:
        self.time: float | None = None


class CommandPhase(enum.Enum):
    IDLE = "idle"
    REQUESTED = "requested"
    DATA = "data"
    AWAITING_RESPONSE = "awaiting response"
    CANCELLED = "cancelled"
    UNCERTAIN = "uncertain"


@dataclass(slots=True)
class TransactionState:
    """What the capture showed of one transaction; finished when its response (or the end) comes."""

    session: int | None
    stream: int
    transaction_id: int
    opcode: int
    params: tuple[int, ...]
    data_phase: int | None
    start_frame: int
    start_time: float
    data_direction: DataDirection | None = None  # of the Start Data sender
    announced_bytes: int | None = None  # None: no Start Data, or length unknown
    data_bytes: int = 0
    response_code: int | None = None
    response_params: tuple[int, ...] = ()
    end_frame: int | None = None
    end_time: float | None = None
    cancelled: bool = False
    uncertain: bool = False  # the capture lost bytes while it ran
    # The time breakdown (analyze.transactions): Start Data's time, the last data packet's
    # time, and the previous response's on this connection (None: none yet)
    data_start_time: float | None = None
    data_end_time: float | None = None
    previous_end_time: float | None = None


class Finished(Protocol):
    """Where a connection puts its transactions as they end (the validator's shared
    ``TransactionStore``; a plain list serves too)."""

    def append(self, state: TransactionState, /) -> None: ...

    def extend(self, states: Iterable[TransactionState], /) -> None: ...


class CommandChannel:
    """The transaction state machine of one command connection."""

    __slots__ = ('_data_sender', 'clock', 'finished', 'ids', 'last_response_time', 'phase',
                 'running', 'scope', 'waiting')


    def __init__(self, scope: Scope, handshake_seen: bool,
                 finished: Finished | None = None,
                 clock: Clock | None = None) -> None:
        self.scope = scope
        self.clock = Clock() if clock is None else clock  # the validator's, shared
        # Without its handshake the capture may start mid-transaction (a response or data
        # whose request came before the capture): judge nothing until the first request.
        self.phase = CommandPhase.IDLE if handshake_seen else CommandPhase.UNCERTAIN
        self.running: TransactionState | None = None
        self.ids = TransactionIds(handshake_seen)
        # Transactions as they end, in that order (the validator shares one list among its
        # connections, so tables can take the new ones without a scan)
        self.finished: Finished = [] if finished is None else finished
        self.waiting: list[TransactionState] = []  # requests sent while another ran (TX-001)
        self._data_sender: Direction | None = None  # who sent the running Start Data
        self.last_response_time: float | None = None  # idle time before the next request

    def feed(self, packet: Packet) -> list[Finding]:
        transition = _TRANSITIONS.get(packet.ptype)
        return transition(self, packet) if transition is not None else []

    @property
    def in_data_phase(self) -> bool:
        return self.phase is CommandPhase.DATA

    def lose_sync(self) -> None:
        """Bytes were lost: stop judging until the next Operation Request (PK-004/005)."""
        self.phase = CommandPhase.UNCERTAIN
        self.ids.lose_sync()
        for transaction in self._unanswered():
            transaction.uncertain = True

    def lose_bytes(self) -> None:
        """Bytes lost inside a packet whose length framing still knew: the running
        transaction is uncertain (not all its bytes are here), its lengths still count."""
        for transaction in self._unanswered():
            transaction.uncertain = True

    def close(self) -> list[Finding]:
        """End of capture: requests never answered (TX-009)."""
        findings = []
        if self.phase is not CommandPhase.UNCERTAIN:
            where = " during its data phase" if self.phase is CommandPhase.DATA else ""
            findings = [self._report(rules.REQUEST_UNANSWERED, t.start_frame,
                                     f"{_describe(t)} got no response{where}", t.transaction_id)
                        for t in self._unanswered()]
        self._abandon_all()
        return findings

    def unanswered(self) -> list[TransactionState]:
        """The running transaction and the requests waiting behind it."""
        return self._unanswered()

    def _unanswered(self) -> list[TransactionState]:
        return ([self.running] if self.running is not None else []) + self.waiting

    # -- transitions --------------------------------------------------------------------------

    def _on_request(self, packet: Packet) -> list[Finding]:
        opcode, tid = packet.code or 0, packet.transaction_id or 0
        resync = self.phase is CommandPhase.UNCERTAIN
        request = TransactionState(self.scope.session, self.scope.stream, tid, opcode,
                                   packet.params, packet.data_phase, packet.frame, packet.time,
                                   uncertain=resync,
                                   previous_end_time=self.last_response_time)
        findings = [self._report(rule, packet.frame, message, tid)
                    for rule, message in self.ids.on_request(opcode, tid, packet.frame)]
        if resync or self.running is None:
            self._abandon_all()
            self.running, self.phase = request, CommandPhase.REQUESTED
            return findings
        return [self._interrupt(request)] + findings

    def _interrupt(self, request: TransactionState) -> Finding:
        """TX-001: a request while another transaction still waits for its response.

        The camera may still serve both in turn (seen with an interrupted gphoto2), so the new
        request waits in line instead of replacing the running one: one finding, no cascade."""
        running = self.running
        assert running is not None
        self.waiting.append(request)
        if len(self.waiting) > MAX_WAITING:
            self.finished.append(self.waiting.pop(0))
        return self._report(rules.REQUEST_WHILE_BUSY, request.start_frame,
                            f"request {request.transaction_id} sent while {_describe(running)} "
                            "still waits for its response", request.transaction_id)

    def _catch_up(self, transaction_id: int | None) -> TransactionState | None:
        """A packet for a waiting request: the ones before it were abandoned, it runs now."""
        ids = [t.transaction_id for t in self.waiting]
        running = self.running
        if running is None or transaction_id == running.transaction_id or transaction_id not in ids:
            return running
        self._finish(None)
        position = ids.index(transaction_id)
        self.finished.extend(self.waiting[:position])
        self.running, self.phase = self.waiting[position], CommandPhase.REQUESTED
        del self.waiting[:position + 1]
        return self.running

    def _serve_next(self) -> None:
        """After a response: the next waiting request runs, else the connection is idle."""
        if self.waiting:
            self.running, self.phase = self.waiting.pop(0), CommandPhase.REQUESTED
        else:
            self.phase = CommandPhase.IDLE

    def _abandon_all(self) -> None:
        self._finish(None)
        self.finished.extend(self.waiting)
        self.waiting.clear()

    def _on_response(self, packet: Packet) -> list[Finding]:
        tid = packet.transaction_id
        running = self._catch_up(tid) if self.waiting else self.running
        if self.phase is CommandPhase.UNCERTAIN:
            if running is not None and running.transaction_id == tid:
                self._finish(packet)
            return []
        if running is None:
            return [self._report(rules.RESPONSE_WITHOUT_REQUEST, packet.frame,
                                 f"response for transaction {tid} arrived with no request "
                                 "running", tid)]
        findings = self._check_response(packet, running) + self._check_cancelled(packet, running)
        self._finish(packet)
        self._serve_next()
        return findings

    def _check_cancelled(self, packet: Packet, running: TransactionState) -> list[Finding]:
        """CN-002 (a note): OK to a cancelled transaction. The Cancel may have come too late
        to matter, or the camera ignored it; PROTOCOL.md expects TransactionCancelled."""
        if not running.cancelled or packet.code != RESPONSE_OK \
                or packet.transaction_id != running.transaction_id:
            return []
        return [self._report(rules.CANCEL_NOT_HONOURED, packet.frame,
                             f"{_describe(running)} was cancelled but answered OK after "
                             f"{running.data_bytes} data bytes", running.transaction_id)]

    def _check_response(self, packet: Packet, running: TransactionState) -> list[Finding]:
        tid = packet.transaction_id
        if tid != running.transaction_id:
            # filed under the running transaction: the one left without its response
            return [self._report(rules.RESPONSE_ID_MISMATCH, packet.frame,
                                 f"response carries transaction id {tid} but "
                                 f"{_describe(running)} is running", running.transaction_id)]
        if self.phase is CommandPhase.DATA:
            return [self._report(rules.RESPONSE_DURING_DATA, packet.frame,
                                 f"response to {_describe(running)} came before End Data", tid)]
        return []

    def _on_start_data(self, packet: Packet) -> list[Finding]:
        tid = packet.transaction_id
        running = self._catch_up(tid) if self.waiting else self.running
        if self.phase is CommandPhase.CANCELLED and running is not None \
                and running.data_direction is None:
            # Cancel sent before the camera started sending: the data phase was in flight.
            self._record_start(packet, running)
        if self.phase in (CommandPhase.UNCERTAIN, CommandPhase.CANCELLED):
            return []
        if running is None:
            return [self._report(rules.START_DATA_WITHOUT_REQUEST, packet.frame,
                                 f"Start Data for transaction {tid} with no request running", tid)]
        if self.phase is not CommandPhase.REQUESTED:
            return [self._report(rules.SECOND_START_DATA, packet.frame,
                                 f"second Start Data in {_describe(running)}", tid)]
        self.phase = CommandPhase.DATA
        self._record_start(packet, running)
        findings = self._check_data_id(packet, running) + self._check_direction(packet, running)
        if packet.data_length == UNKNOWN_DATA_LENGTH:
            findings.append(self._report(rules.UNKNOWN_DATA_LENGTH, packet.frame,
                                         f"Start Data of {_describe(running)} announces an "
                                         "unknown length (0xFFFFFFFFFFFFFFFF); libgphoto2 "
                                         "cannot receive that", running.transaction_id))
        return findings

    def _record_start(self, packet: Packet, running: TransactionState) -> None:
        self._data_sender = packet.direction
        running.data_direction = DataDirection.of_sender(packet.direction)
        running.data_start_time = running.data_end_time = packet.time
        if packet.data_length != UNKNOWN_DATA_LENGTH:
            running.announced_bytes = packet.data_length

    def _check_data_id(self, packet: Packet, running: TransactionState) -> list[Finding]:
        if packet.transaction_id == running.transaction_id:
            return []
        return [self._report(rules.DATA_ID_MISMATCH, packet.frame,
                             f"{packet_type_name(packet.ptype)} carries transaction id "
                             f"{packet.transaction_id} but {_describe(running)} is running",
                             running.transaction_id)]

    def _check_direction(self, packet: Packet, running: TransactionState) -> list[Finding]:
        """DP-004 against the operation's definition; DP-006 against the advisory field."""
        sent = DataDirection.of_sender(packet.direction)
        defined = expected_data_direction(running.opcode)
        tid = running.transaction_id
        if defined is not None and defined is not sent:
            return [self._report(rules.DATA_DIRECTION_MISMATCH, packet.frame,
                                 f"{_describe(running)} defines data direction "
                                 f"'{defined.value}' but the data goes '{sent.value}'", tid)]
        field_says_out = running.data_phase == DATA_PHASE_HOST_TO_CAMERA
        if running.data_phase is not None and field_says_out != (sent is DataDirection.OUT):
            return [self._report(rules.DATA_PHASE_FIELD_MISMATCH, packet.frame,
                                 f"request's data-phase field is {running.data_phase} but the "
                                 f"data goes '{sent.value}'", tid)]
        return []

    def _on_data(self, packet: Packet) -> list[Finding]:
        running = self.running
        if running is None or self.phase is not CommandPhase.DATA:
            return self._data_outside_phase(packet, running)
        running.data_bytes += packet.data_length or 0
        running.data_end_time = self._arrival(packet)
        findings = []
        if packet.transaction_id != running.transaction_id:
            findings += self._check_data_id(packet, running)
        if packet.direction is not self._data_sender:
            findings.append(self._report(rules.DATA_FROM_BOTH_SIDES, packet.frame,
                                         f"{packet_type_name(packet.ptype)} sent by the side "
                                         f"that did not send Start Data in {_describe(running)}",
                                         running.transaction_id))
        if packet.ptype == PacketType.END_DATA:
            self.phase = CommandPhase.AWAITING_RESPONSE
            findings += self._check_length(packet, running)
        return findings

    def _data_outside_phase(self, packet: Packet,
                            running: TransactionState | None) -> list[Finding]:
        if self.phase in (CommandPhase.UNCERTAIN, CommandPhase.CANCELLED):
            # Not judged: bytes were lost, or the data was in flight when Cancel was sent.
            if running is not None:
                running.data_bytes += packet.data_length or 0
                running.data_end_time = self._arrival(packet)
            return []
        return [self._report(rules.DATA_WITHOUT_START, packet.frame,
                             f"{packet_type_name(packet.ptype)} outside a data phase",
                             packet.transaction_id)]

    def _check_length(self, packet: Packet, running: TransactionState) -> list[Finding]:
        announced = running.announced_bytes
        if announced is None or announced == running.data_bytes:
            return []
        return [self._report(rules.DATA_LENGTH_MISMATCH, packet.frame,
                             f"{_describe(running)} announced {announced} data bytes but sent "
                             f"{running.data_bytes}", running.transaction_id)]

    def on_cancel(self, packet: Packet) -> list[Finding]:
        """Cancel (on either connection) ends the data phase; a response still follows."""
        tid = packet.transaction_id
        running = self._catch_up(tid) if self.waiting else self.running
        if self.phase is CommandPhase.UNCERTAIN:
            return []
        if running is None or running.transaction_id != tid:
            return [self._report(rules.CANCEL_WITHOUT_TRANSACTION, packet.frame,
                                 f"Cancel for transaction {tid}, which is not running", tid)]
        running.cancelled = True
        self.phase = CommandPhase.CANCELLED
        return []

    # -- bookkeeping --------------------------------------------------------------------------

    def _arrival(self, packet: Packet) -> float:
        """When the packet's last byte was captured (at least its first byte's time)."""
        now = self.clock.time
        return packet.time if now is None or now < packet.time else now

    def _finish(self, response: Packet | None) -> None:
        running, self.running = self.running, None
        if running is None:
            return
        if response is not None:
            end = running.data_end_time
            if end is not None and end > response.time:  # released late (reordering, hunt)
                running.data_end_time = max(response.time, running.data_start_time or end)
            running.response_code = response.code
            running.response_params = response.params
            running.end_frame, running.end_time = response.frame, response.time
            self.last_response_time = response.time
            self.ids.on_response(running.opcode, response.code or 0, response.frame)
        self.finished.append(running)

    def _report(self, rule: rules.Rule, frame: int, message: str,
                transaction_id: int | None) -> Finding:
        return self.scope.report(rule, frame, message, transaction_id)


def _describe(transaction: TransactionState) -> str:
    return f"{operation_name(transaction.opcode)} (transaction {transaction.transaction_id})"


# The transitions of every command connection, by packet type: one table for the class (a
# dict of bound methods per connection cost about 750 bytes each; 20,000 connections, 15 MB).
_TRANSITIONS: dict[int, Callable[[CommandChannel, Packet], list[Finding]]] = {
    PacketType.OPERATION_REQUEST: CommandChannel._on_request,
    PacketType.OPERATION_RESPONSE: CommandChannel._on_response,
    PacketType.START_DATA: CommandChannel._on_start_data,
    PacketType.DATA: CommandChannel._on_data,
    PacketType.END_DATA: CommandChannel._on_data,
    PacketType.CANCEL: CommandChannel.on_cancel,
}
