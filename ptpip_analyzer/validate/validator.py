"""The validator: a sans-IO layer over decoded records, ``feed(conn, record) -> findings``.

It routes each packet of each TCP connection through that connection's state machines
(handshake.py, command.py, probes.py) and pairs connections into sessions (sessions.py).
Gaps and malformed bytes make a connection's state uncertain instead of raising a cascade of
findings; checks resume at the next Operation Request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..decode.codes import PacketType, event_name, packet_type_name
from ..model import Connection, Direction, Finding, Gap, Malformed, Packet, Record, Role
from ..protocol import EVENT_LOOP_TYPES, MAIN_LOOP_TYPES, SENDERS, has_handshake
from . import rules
from .command import Clock, CommandChannel, TransactionState
from .handshake import Handshake, HandshakePhase
from .probes import Probes
from .quirks import HANDSHAKE_ANSWERS, CameraQuirks
from .scope import Scope
from .sessions import Session, SessionTable
from .transaction_ids import NO_TRANSACTION
from .transaction_store import TransactionsByStart, TransactionStore

ALLOWED_SENDERS = SENDERS
_REQUESTS = frozenset({PacketType.INIT_COMMAND_REQUEST, PacketType.INIT_EVENT_REQUEST})
_ANSWERS = frozenset({PacketType.INIT_COMMAND_ACK, PacketType.INIT_EVENT_ACK,
                      PacketType.INIT_FAIL})
_SETTLED = (HandshakePhase.ESTABLISHED, HandshakePhase.NOT_CAPTURED)


@dataclass(slots=True)
class ConnectionState:
    scope: Scope
    handshake: Handshake
    # made at the connection's first probe: most never see one (issue 17: 20,000 connections)
    probes: Probes | None = None
    command: CommandChannel | None = None
    paired: bool = False  # joined to a session (command: at creation; event: when matched)
    settled: bool = False  # paired and handshake over (or not captured): nothing left to learn
    # A capture gap not judged yet: inside a packet (framing kept in step: its length still
    # counts) or not (the state is lost), which the next record of its direction tells
    pending_gap: Gap | None = None

    @classmethod
    def new(cls, stream: int) -> ConnectionState:
        scope = Scope(stream)
        return cls(scope, Handshake(scope))


class Validator:
    def __init__(self) -> None:
        self.sessions = SessionTable()
        self._connections: dict[int, ConnectionState] = {}
        # every connection's, in the order they end, packed (issue 17: 137 bytes each)
        self.completed = TransactionStore()
        self.quirks = CameraQuirks()  # known cameras' behaviour: notes naming the camera
        self._closed: dict[int, int] = {}  # stream -> frame of its first FIN or RST
        self.clock = Clock()  # set by the engine: when the records fed became whole
        self._watched: Sequence[Connection] = ()  # the dissector's connections (watch)
        self._looked = 0  # how many of them were looked at

    def watch(self, connections: Sequence[Connection]) -> None:
        """The dissector's list of connections (it grows). A connection that opens with no
        handshake (Fuji's event connection) may carry no packet at all in a healthy session:
        it is paired from this list when sessions are asked for, not only at its first record."""
        self._watched = connections

    def session_of(self, stream: int) -> int | None:
        return self.sessions.session_of(stream)

    def feed(self, conn: Connection, record: Record) -> list[Finding]:
        state = self._connections.get(conn.stream)
        if state is None:
            state = self._new_state(conn)
        if state.pending_gap is not None:
            self._settle_gap(state, record)
        if isinstance(record, Packet):
            found = self._on_packet(conn, state, record)
            if record.ptype in HANDSHAKE_ANSWERS or conn.stream in self.quirks.watched:
                return self.quirks.review(conn, state.scope.session, record, found)  # quirks.py
            return found
        return self._on_lost_bytes(state, record)

    def close(self) -> list[Finding]:
        """End of capture: requests, data phases, handshakes and probes left unanswered."""
        self._pair_silent()
        findings: list[Finding] = []
        for state in self._connections.values():
            if state.pending_gap is not None:
                self._lose_sync(state)
            findings += state.handshake.close()
            if state.probes is not None:
                findings += state.probes.close()
            if state.command is not None:
                findings += state.command.close()
        for early in self.sessions.unmatched_event_requests():
            findings.append(rules.UNKNOWN_CONNECTION_NUMBER.finding(
                early.frame, early.stream, None, None,
                f"Init Event Request names connection number {early.connection_number}, which "
                "no Init Command Ack gave to this initiator"))
        return findings

    def connection_closed(self, stream: int, closer: Direction, frame: int,
                          reset: bool) -> list[Finding]:
        """A TCP connection's FIN or RST (from whoever watches TCP flags; the validator sees
        only stream bytes), at any time after its frame: EV-004 when the camera closed an
        event connection first (not answering the host's FIN) while its session was open and
        its command connection still up.
        ``connections_closed`` takes every close at the end of a capture."""
        state = self._connections.get(stream)
        earlier = self._closed.setdefault(stream, frame)
        if state is None or state.handshake.kind is not Role.EVENT \
                or closer is not Direction.TO_INITIATOR or earlier < frame:
            return []  # not the camera closing an event connection first
        session = state.scope.session
        command = self._command_of_session(session)
        if session is None or command is None or not command.ids.open_at(frame):
            return []
        command_closed = self._closed.get(self.sessions.session(session).command_stream)
        if command_closed is not None and command_closed < frame:
            return []
        how = "reset (RST)" if reset else "closed (FIN)"
        return [state.scope.report(rules.EVENT_CONNECTION_CLOSED, frame,
                                   f"the camera {how} the event connection while session "
                                   f"{session} was open: no more events reach the host")]

    def connections_closed(self, closes: Iterable[tuple[int, Direction, int, bool]]
                           ) -> list[Finding]:
        """``connection_closed`` for each ``(stream, closer, frame, reset)``, in frame order."""
        return [f for close in sorted(closes, key=lambda c: c[2])
                for f in self.connection_closed(*close)]

    def transactions(self) -> TransactionsByStart:
        """Every transaction seen so far (finished ones; after close(), all), by start frame
        (a view: each is made when read)."""
        return self.completed.by_start()

    def open_transactions(self) -> list[TransactionState]:
        """Transactions still waiting for their response, by start frame."""
        found = [t for s in self._connections.values() if s.command
                 for t in s.command.unanswered()]
        return sorted(found, key=lambda t: t.start_frame)

    def session_list(self) -> list[Session]:
        self._pair_silent()
        return list(self.sessions.sessions)

    def _new_state(self, conn: Connection) -> ConnectionState:
        state = self._connections[conn.stream] = ConnectionState.new(conn.stream)
        if not has_handshake(conn):  # its kind is its port's (protocol.FUJI_ROLES)
            state.handshake.without_handshake(conn.role)
            self._attach(conn, state, conn.first_frame)
        return state

    def _pair_silent(self) -> None:
        """Pair the handshake-less event connections the dissector opened that no record has
        shown yet (watch)."""
        watched = self._watched
        while self._looked < len(watched):
            conn = watched[self._looked]
            self._looked += 1
            if conn.role is Role.EVENT and conn.stream not in self._connections \
                    and not has_handshake(conn):
                self._new_state(conn)

    # -- per record ---------------------------------------------------------------------------

    def _on_lost_bytes(self, state: ConnectionState, record: Gap | Malformed) -> list[Finding]:
        if isinstance(record, Gap):  # judged by the next record (_settle_gap)
            if state.pending_gap is None:
                state.pending_gap = record
            return [state.scope.report(rules.CAPTURE_GAP, record.frame,
                                       f"capture lost {record.length} bytes ({record.reason})")]
        self._lose_sync(state)
        if record.unknown_type is not None:
            return [state.scope.report(rules.UNKNOWN_PACKET_TYPE, record.frame,
                                       f"packet of unknown type {record.unknown_type} "
                                       f"(0x{record.unknown_type:X}); {record.length} bytes "
                                       "skipped")]
        return [state.scope.report(rules.MALFORMED_BYTES, record.frame,
                                   f"{record.length} bytes are not PTP/IP ({record.reason})")]

    def _lose_sync(self, state: ConnectionState) -> None:
        state.pending_gap = None
        state.handshake.lose_sync()
        if state.probes is not None:
            state.probes.lose_sync()
        if state.command is not None:
            state.command.lose_sync()

    def _settle_gap(self, state: ConnectionState, record: Record) -> None:
        """A gap followed by the packet it lies in (framing found that packet's end, e.g. a
        snaplen cut or an excerpt's --trim-data) leaves the state in step: the packet's length
        counts, the transaction is marked uncertain. Anything else loses the state."""
        gap = state.pending_gap
        assert gap is not None
        if isinstance(record, Gap) and record.direction is gap.direction:
            return  # a further hole: the next packet must hold the first
        if isinstance(record, Packet) and record.direction is gap.direction \
                and record.missing and record.offset <= gap.offset < record.offset + record.length:
            state.pending_gap = None
            if state.command is not None:
                state.command.lose_bytes()
            return
        self._lose_sync(state)

    def _on_packet(self, conn: Connection, state: ConnectionState,
                   packet: Packet) -> list[Finding]:
        ptype = packet.ptype
        if packet.direction not in ALLOWED_SENDERS.get(ptype, ()):
            return [self._misplaced(state, packet)]
        if ptype in _REQUESTS:
            return self._on_init_request(conn, state, packet)
        if ptype in _ANSWERS:
            return self._on_init_answer(conn, state, packet)
        if state.settled:  # the per-packet fast path: handshake over, session known
            return self._route(state, packet)
        handshake = state.handshake
        handshake.learn_kind(ptype, conn.role)
        self._attach(conn, state, packet.frame)
        findings = handshake.on_traffic(packet)
        if handshake.phase is HandshakePhase.FAILED:  # refused: its traffic is not judged
            return findings
        state.settled = state.paired and handshake.phase in _SETTLED
        return findings + self._route(state, packet)

    def _misplaced(self, state: ConnectionState, packet: Packet) -> Finding:
        """PK-003 for types PTP/IP doesn't define, PK-002 for a type from the wrong side."""
        if packet.ptype not in ALLOWED_SENDERS:
            return state.scope.report(rules.UNKNOWN_PACKET_TYPE, packet.frame,
                                      f"packet type {packet.ptype} is not defined")
        side = "initiator" if packet.direction is Direction.TO_RESPONDER else "camera"
        return state.scope.report(rules.WRONG_SENDER, packet.frame,
                                  f"{packet_type_name(packet.ptype)} sent by the {side}")

    def _on_init_request(self, conn: Connection, state: ConnectionState,
                         packet: Packet) -> list[Finding]:
        findings = state.handshake.on_request(packet)
        if state.handshake.request is packet:
            self._attach(conn, state, packet.frame)
            findings += state.handshake.check_version(packet)
        return findings

    def _on_init_answer(self, conn: Connection, state: ConnectionState,
                        packet: Packet) -> list[Finding]:
        findings = state.handshake.on_answer(packet)
        self._attach(conn, state, packet.frame)
        accepted = state.handshake.phase is HandshakePhase.ESTABLISHED
        if accepted and packet.ptype == PacketType.INIT_COMMAND_ACK:
            findings += state.handshake.check_version(packet) + self._record_ack(state, packet)
        return findings

    def _record_ack(self, state: ConnectionState, packet: Packet) -> list[Finding]:
        """EV-002: an event connection that asked for this number before it was given out."""
        early = self.sessions.on_command_ack(state.scope.stream, packet.connection_number or 0)
        if early is None:
            return []
        event_state = self._connections[early.stream]
        event_state.scope.session, event_state.paired = state.scope.session, True
        return [event_state.scope.report(
            rules.EVENT_CONNECTION_TOO_EARLY, early.frame,
            f"Init Event Request (connection number {early.connection_number}) came before "
            f"the Init Command Ack in frame {packet.frame} gave that number out")]

    def _attach(self, conn: Connection, state: ConnectionState, frame: int) -> None:
        """Once a connection's kind is known, give it its session and state machines."""
        if state.paired:
            return
        kind, handshake = state.handshake.kind, state.handshake
        if kind is Role.COMMAND:
            seen = handshake.captured
            state.scope.session = self.sessions.open_command(conn, frame, seen)
            state.command = CommandChannel(state.scope, seen, self.completed, self.clock)
            state.paired = True
            if not seen:
                self._adopt_early_event(state.scope.session)
        elif kind is Role.EVENT:
            state.scope.session = self._join_event(conn, handshake)
            state.paired = state.scope.session is not None or handshake.request is not None

    def _adopt_early_event(self, session: int) -> None:
        early = self.sessions.adopt_early_event(session)
        if early is not None:
            self._connections[early.stream].scope.session = session

    def _join_event(self, conn: Connection, handshake: Handshake) -> int | None:
        request = handshake.request
        if request is None:  # a handshake-less connection joins the session open when it opened
            return self.sessions.adopt_event(conn, None if has_handshake(conn)
                                             else conn.first_frame)
        return self.sessions.join_event(conn, request.connection_number or 0, request.frame)

    # -- main loop and event loop -------------------------------------------------------------

    def _route(self, state: ConnectionState, packet: Packet) -> list[Finding]:
        ptype, command = packet.ptype, state.command
        if command is not None and ptype in MAIN_LOOP_TYPES:
            return command.feed(packet)
        if ptype == PacketType.PROBE_REQUEST or ptype == PacketType.PROBE_RESPONSE:
            return self._on_probe(state, packet)
        if command is not None:  # an Event
            return [self._wrong_connection(state, packet, "command")]
        if state.handshake.kind is not Role.EVENT:
            return []
        if ptype not in EVENT_LOOP_TYPES:
            return [self._wrong_connection(state, packet, "event")]
        return self._on_event_loop(state, packet)

    def _on_probe(self, state: ConnectionState, packet: Packet) -> list[Finding]:
        if state.probes is None:
            state.probes = Probes(state.scope)
        if packet.ptype == PacketType.PROBE_RESPONSE:
            return state.probes.on_response(packet)
        findings = state.probes.on_request(packet)
        if state.command is not None and state.command.in_data_phase:  # answering one is fine
            findings.append(state.scope.report(rules.PROBE_IN_DATA_PHASE, packet.frame,
                                               "Probe Request sent between Start Data and "
                                               "End Data"))
        return findings

    def _wrong_connection(self, state: ConnectionState, packet: Packet, kind: str) -> Finding:
        return state.scope.report(rules.WRONG_CONNECTION, packet.frame,
                                  f"{packet_type_name(packet.ptype)} on the {kind} connection",
                                  packet.transaction_id)

    def _on_event_loop(self, state: ConnectionState, packet: Packet) -> list[Finding]:
        command = self._command_of_session(state.scope.session)
        if command is None:
            return []
        if packet.ptype == PacketType.CANCEL:  # a Cancel may travel on the event connection
            return command.on_cancel(packet)
        tid = packet.transaction_id
        ids = command.ids
        if tid in (0, NO_TRANSACTION, None) or not ids.handshake_seen or tid in ids.used:
            return []
        return [state.scope.report(rules.EVENT_FOR_UNKNOWN_TRANSACTION, packet.frame,
                                   f"{event_name(packet.code or 0)} refers to transaction "
                                   f"{tid}, which the command connection never used", tid)]

    def _command_of_session(self, session: int | None) -> CommandChannel | None:
        if session is None:
            return None
        state = self._connections.get(self.sessions.session(session).command_stream)
        return state.command if state is not None else None


class _CloseFrames(Protocol):
    fin_frame: int  # 0: none (reassembly.tcp_analysis.DirectionAnalysis)
    rst_frame: int


def closes_of(connections: Sequence[Connection],
              health: Sequence[tuple[_CloseFrames, _CloseFrames]]
              ) -> list[tuple[int, Direction, int, bool]]:
    """``(stream, closer, frame, reset)`` of each direction's first FIN or RST, from the TCP
    layer's per-direction state (indexed by the direction its segments travel)."""
    out = []
    for conn, pair in zip(connections, health, strict=True):
        for direction, half in zip(Direction, pair, strict=True):
            frames = [f for f in (half.fin_frame, half.rst_frame) if f]
            if frames:
                out.append((conn.stream, direction, min(frames),
                            half.rst_frame == min(frames)))
    return out
