"""The dissection stages: reassembly -> framing -> decode, over TCP segments (sans-IO).

``Dissector`` turns segments into ``(Connection, Record)`` pairs in the order their last byte
arrived, and accounts for every stream byte in ``accounting``. ``engine.Engine`` drives it (and
everything after it); nothing else wires these stages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .decode.packets import decode_pdu
from .framing import DEFAULT_MAX_LENGTH, Framer
from .framing_fuji import FUJI_PORTS, FujiFramer
from .model import Connection, Direction, Gap, Packet, Pdu, Record, Role, TcpSegment
from .protocol import FUJI_ROLES, PTPIP_PORT, role_of_type
from .reassembly.flows import FlowTable
from .reassembly.tcp import DEFAULT_MAX_PENDING

_UNKNOWN_ROLE = Role.UNKNOWN


@dataclass(frozen=True, slots=True)
class DissectOptions:
    ports: frozenset[int] = frozenset({PTPIP_PORT})
    heuristics: bool = True  # also find PTP/IP on other ports by its Init requests
    # Data / End Data bytes are kept in Packet.payload for data phases announced at most this
    # long (datasets); KEEP_ALL keeps every payload (each Data packet up to 16 MiB).
    keep_payload: int = 1 << 20
    max_pending: int = DEFAULT_MAX_PENDING  # out-of-order bytes buffered per direction
    max_packet_length: int = DEFAULT_MAX_LENGTH


@dataclass(slots=True)
class StreamAccounting:
    """Where the bytes of one direction of one stream went; total == the sum of the rest."""

    total: int = 0
    packets: int = 0
    gaps: int = 0
    malformed: int = 0

    @property
    def balanced(self) -> bool:
        return self.total == self.packets + self.gaps + self.malformed


PairList = list[tuple[Connection, Record]]


class Dissector:
    """Segments in, decoded records out (sans-IO)."""

    def __init__(self, options: DissectOptions = DissectOptions()) -> None:
        self.options = options
        self.pending: list[object] = []
        self._framers: dict[tuple[int, int], Framer | FujiFramer] = {}
        self.accounting: dict[tuple[int, Direction], StreamAccounting] = {}
        # Fuji's ports always carry its variant (framing_fuji); the per-segment path is unchanged
        self.flows = FlowTable(self._framer_for, options.ports | FUJI_PORTS, options.heuristics,
                               options.max_pending)
        self._by_stream: dict[int, Connection] = {}

    @property
    def connections(self) -> list[Connection]:
        return self.flows.connections

    def connection(self, stream: int) -> Connection | None:
        return self._by_stream.get(stream)

    def feed(self, segment: TcpSegment) -> PairList:
        self.flows.feed(segment)
        return self.collect() if self.pending else []

    def close(self) -> PairList:
        self.flows.close()
        for framer in self._framers.values():
            framer.close()
        out = self.collect()
        for (stream, direction), framer in self._framers.items():
            self.accounting[(stream, Direction(direction))].total = framer.pos
        return out

    def release(self) -> None:
        """After ``close``: forget what only more input would need (each direction's framer,
        half stream and the flow lookup: about 3 KB a connection), keeping the connections,
        their TCP health and the accounting, so the tables built next reuse that memory."""
        self._framers.clear()
        self.flows.release()

    def oldest_open_frame(self) -> int | None:
        """The lowest frame number a record still to come can carry: that of a packet begun
        but not finished, or of a segment held for reordering (None: nothing is open, every
        later record will carry a later frame). One look per stream direction."""
        frames = [f for f in (framer.open_frame() for framer in self._framers.values())
                  if f is not None]
        for flow, _ in self.flows.flows.values():
            for half in flow.halves:
                if half.pending:
                    frames.append(min(held[1] for held in half.pending.values()))
        return min(frames, default=None)

    def _framer_for(self, conn: Connection, direction: Direction,
                    midstream: bool) -> Framer | FujiFramer:
        framer: Framer | FujiFramer
        if conn.responder.port in FUJI_PORTS:
            conn.variant = "fuji"
            conn.role = FUJI_ROLES.get(conn.responder.port, conn.role)  # its port says it
            framer = FujiFramer(conn.stream, direction, self.pending, self.options.keep_payload)
        else:
            framer = Framer(conn.stream, direction, self.pending, self.options.keep_payload,
                            self.options.max_packet_length, midstream)
        self._framers[(conn.stream, direction)] = framer
        self.accounting[(conn.stream, direction)] = StreamAccounting()
        self._by_stream[conn.stream] = conn
        return framer

    def collect(self) -> PairList:
        """The records framing produced since the last call, decoded and counted (hot path:
        one pass, no per-record method calls)."""
        pending = self.pending[:]
        self.pending.clear()
        out: PairList = []
        append, by_stream, accounting = out.append, self._by_stream, self.accounting
        for item in pending:
            record: Record = decode_pdu(item) if type(item) is Pdu else item  # type: ignore
            conn = by_stream[record.stream]
            books = accounting[(record.stream, record.direction)]
            if type(record) is Packet:
                books.packets += record.length - record.missing
                if conn.role is _UNKNOWN_ROLE:
                    conn.role = role_of_type(record.ptype)
            elif type(record) is Gap:
                books.gaps += record.length
            else:
                books.malformed += record.length
            append((conn, record))
        return out
