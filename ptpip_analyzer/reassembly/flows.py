"""The flow table: which TCP connections carry PTP/IP, and who is the initiator.

A connection is PTP/IP when one of its ports is a configured PTP/IP port (15740 by default),
or, with heuristics on, when the first bytes of its stream are an Init Command Request or an
Init Event Request (PROTOCOL.md "Transport": some vendors use other ports). Streams are
numbered from 0 over all TCP connections in order of appearance, as Wireshark's tcp.stream,
so a stream number here finds the same conversation there.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ..model import ACK, SYN, Connection, Direction, Endpoint, TcpSegment
from ..protocol import HEADER, PTPIP_PORT, starts_connection
from .tcp import DEFAULT_MAX_PENDING, HalfStream, StreamSink
from .tcp_analysis import DirectionAnalysis, connection_analysis

_HEADER = HEADER.unpack_from
_MASK, _HALF = 0xFFFFFFFF, 1 << 31
MAX_UNTRACKED = 1 << 16  # connections remembered as not PTP/IP (or not yet known to be)

# (connection, direction, midstream): midstream is True when the capture holds no SYN, so the
# stream's first byte need not be a packet boundary.
SinkFactory = Callable[[Connection, Direction, bool], StreamSink]


def looks_like_init_request(payload: bytes | memoryview) -> bool:
    """An Init Command Request (1) or Init Event Request (3) at the start of a stream."""
    if len(payload) < 8:
        return False
    length: int
    ptype: int
    length, ptype = _HEADER(payload, 0)
    return starts_connection(length, ptype)


class Flow:
    """One TCP connection: its PTP/IP identity (or None if ignored), both half streams and
    both directions' TCP health (``tcp_analysis``), indexed by ``Direction``."""

    __slots__ = ("connection", "halves", "initiator_key", "tcp")

    def __init__(self, connection: Connection | None, halves: tuple[HalfStream, HalfStream],
                 initiator_key: tuple[bytes, int]) -> None:
        self.connection = connection
        self.halves = halves
        self.initiator_key = initiator_key
        self.tcp = connection_analysis()

    def finished(self) -> bool:
        return all(h.fin is not None or h.reset for h in self.halves)


class FlowTable:
    """Maps segments to flows and feeds each PTP/IP flow's half streams (sans-IO)."""

    def __init__(self, sink_factory: SinkFactory, ports: frozenset[int] = frozenset({PTPIP_PORT}),
                 heuristics: bool = True, max_pending: int = DEFAULT_MAX_PENDING) -> None:
        self.sink_factory = sink_factory
        self.ports = ports
        self.heuristics = heuristics
        self.max_pending = max_pending
        # both orientations of a connection's 4-tuple -> (flow, direction of that orientation)
        self.flows: dict[tuple[bytes, int, bytes, int], tuple[Flow, int]] = {}
        self.connections: list[Connection] = []
        # each connection's TCP health, in the order of ``connections`` (a flow whose 4-tuple
        # is reused leaves ``flows``, its health stays here)
        self.tcp: list[tuple[DirectionAnalysis, DirectionAnalysis]] = []
        self.streams = 0  # TCP streams seen, PTP/IP or not
        # Connections that are not PTP/IP, and (with heuristics) connections waiting for their
        # first payload byte, both orientations of each. A capture of nothing but SYNs to other
        # ports would grow these by one per frame (300k SYNs: 140 MB), so each holds at most
        # MAX_UNTRACKED entries, the oldest forgotten first; a forgotten connection that shows
        # up again counts as a new TCP stream (``forgotten`` says how often that could happen).
        # (OrderedDict: popping the oldest of a plain dict is O(n) once many are deleted)
        self._ignored: OrderedDict[tuple[bytes, int, bytes, int], None] = OrderedDict()
        self._undecided: OrderedDict[tuple[bytes, int, bytes, int], int] = OrderedDict()
        self.forgotten = 0

    def feed(self, seg: TcpSegment) -> None:
        frame, time, src, sport, dst, dport, seq, ack, flags, payload, missing, window = seg
        entry = self.flows.get((src, sport, dst, dport))
        if entry is None or (flags & SYN and not flags & ACK and entry[0].finished()):
            entry = self._new_flow(seg, (src, sport, dst, dport), reuse=entry is not None)
            if entry is None:
                return
        flow, direction = entry
        if flags & ACK:
            other = flow.halves[1 - direction]
            base = other.base
            # Only an ACK beyond what we have seen says anything (hot path: a cheap test).
            if base is None or 0 < (ack - base - other.next) & _MASK < _HALF:
                other.acknowledged(ack, frame, time)
        flow.tcp[direction].feed(seq, ack, flags, len(payload) + missing, window, frame, time)
        flow.halves[direction].feed(seq, flags, payload, frame, time, missing)

    def close(self) -> None:
        for flow in self._live_flows():
            for half in flow.halves:
                half.close()
        for forward, backward in self.tcp:
            last = max(forward.lastack_time, backward.lastack_time)
            forward.close(last)
            backward.close(last)

    def release(self) -> None:
        """After ``close``: drop the lookup of flows and their half streams; ``connections``
        and ``tcp`` stay (the tables read them)."""
        self.flows.clear()
        self._ignored.clear()
        self._undecided.clear()

    def _live_flows(self) -> list[Flow]:
        seen: dict[int, Flow] = {}
        for flow, _ in self.flows.values():
            seen[id(flow)] = flow
        return list(seen.values())

    def _new_flow(self, seg: TcpSegment, key: tuple[bytes, int, bytes, int],
                  reuse: bool = False) -> tuple[Flow, int] | None:
        reverse = (seg.dst, seg.dport, seg.src, seg.sport)
        if key in self._ignored and not reuse:
            return None
        if key not in self._undecided and (reuse or key not in self.flows):
            self.streams += 1
            self._undecided[key] = self._undecided[reverse] = self.streams - 1
            self._bound(self._undecided)
        initiator = self._initiator(seg)
        if initiator is None:
            if len(seg.payload) or not self.heuristics:
                self._ignore(key, reverse)
            return None
        stream = self._undecided.pop(key)
        self._undecided.pop(reverse, None)
        flow = self._register(seg, key, reverse, stream, initiator)
        return flow, (0 if (seg.src, seg.sport) == initiator else 1)

    def _initiator(self, seg: TcpSegment) -> tuple[bytes, int] | None:
        """The initiator's (address, port) if this segment shows the flow is PTP/IP."""
        if seg.dport in self.ports:
            return seg.src, seg.sport
        if seg.sport in self.ports:
            return seg.dst, seg.dport
        if self.heuristics and seg.flags & SYN:
            return None  # wait for the first payload
        if self.heuristics and looks_like_init_request(seg.payload):
            return seg.src, seg.sport
        return None

    def _register(self, seg: TcpSegment, key: tuple[bytes, int, bytes, int],
                  reverse: tuple[bytes, int, bytes, int], stream: int,
                  initiator: tuple[bytes, int]) -> Flow:
        if initiator == (seg.src, seg.sport):
            responder = (seg.dst, seg.dport)
        else:
            responder = (seg.src, seg.sport)
        conn = Connection(stream, Endpoint(*initiator), Endpoint(*responder), seg.frame)
        # Found by its Init request at the first payload byte: that byte starts a packet.
        midstream = not seg.flags & SYN and not looks_like_init_request(seg.payload)
        sinks = (self.sink_factory(conn, Direction.TO_RESPONDER, midstream),
                 self.sink_factory(conn, Direction.TO_INITIATOR, midstream))
        halves = (HalfStream(sinks[0], self.max_pending), HalfStream(sinks[1], self.max_pending))
        flow = Flow(conn, halves, initiator)
        forward = 0 if (seg.src, seg.sport) == initiator else 1
        self.flows[key] = (flow, forward)
        self.flows[reverse] = (flow, 1 - forward)
        self.connections.append(conn)
        self.tcp.append(flow.tcp)
        return flow

    def _ignore(self, key: tuple[bytes, int, bytes, int],
                reverse: tuple[bytes, int, bytes, int]) -> None:
        self._ignored[key] = self._ignored[reverse] = None
        self._bound(self._ignored)
        self._undecided.pop(key, None)
        self._undecided.pop(reverse, None)

    def _bound(self, table: OrderedDict[tuple[bytes, int, bytes, int], Any]) -> None:
        """Forget the oldest connection (both orientations) of a table over its cap."""
        while len(table) > 2 * MAX_UNTRACKED:
            (src, sport, dst, dport), _ = table.popitem(last=False)
            table.pop((dst, dport, src, sport), None)
            self.forgotten += 1
