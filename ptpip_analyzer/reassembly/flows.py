"""The flow table: which TCP connections carry PTP/IP, and who is the initiator.

A connection is PTP/IP when one of its ports is a configured PTP/IP port (15740 by default),
or, with heuristics on, when the first bytes of its stream are an Init Command Request or an
Init Event Request (PROTOCOL.md "Transport": some vendors use other ports). Streams are
numbered from 0 over all TCP connections in order of appearance, as Wireshark's tcp.stream,
so a stream number here finds the same conversation there.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from ..model import ACK, SYN, Connection, Direction, Endpoint, TcpSegment
from .tcp import DEFAULT_MAX_PENDING, HalfStream, StreamSink

_HEADER = struct.Struct("<II").unpack_from
PTPIP_PORT = 15740

SinkFactory = Callable[[Connection, Direction], StreamSink]


def looks_like_init_request(payload: bytes | memoryview) -> bool:
    """An Init Command Request (1) or Init Event Request (3) at the start of a stream."""
    if len(payload) < 8:
        return False
    length, ptype = _HEADER(payload, 0)
    return (ptype == 1 and 25 <= length <= 2048) or (ptype == 3 and length == 12)


class Flow:
    """One TCP connection: its PTP/IP identity (or None if ignored) and both half streams."""

    __slots__ = ("connection", "halves", "initiator_key")

    def __init__(self, connection: Connection | None, halves: tuple[HalfStream, HalfStream],
                 initiator_key: tuple[bytes, int]) -> None:
        self.connection = connection
        self.halves = halves
        self.initiator_key = initiator_key

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
        self.flows: dict[tuple[bytes, int, bytes, int], Flow | None] = {}
        self.connections: list[Connection] = []
        self.streams = 0  # TCP streams seen, PTP/IP or not
        self._ignored: set[tuple[bytes, int, bytes, int]] = set()
        self._undecided: dict[tuple[bytes, int, bytes, int], int] = {}

    def feed(self, seg: TcpSegment) -> None:
        key = (seg.src, seg.sport, seg.dst, seg.dport)
        flow = self.flows.get(key)
        if flow is None:
            flow = self._new_flow(seg, key)
            if flow is None:
                return
        elif seg.flags & SYN and not seg.flags & ACK and flow.finished():
            flow = self._new_flow(seg, key, reuse=True)  # port reuse: a new connection
            if flow is None:
                return
        direction = 0 if (seg.src, seg.sport) == flow.initiator_key else 1
        if seg.flags & ACK:
            flow.halves[1 - direction].acknowledged(seg.ack, seg.frame, seg.time)
        flow.halves[direction].feed(seg.seq, seg.flags, seg.payload, seg.frame, seg.time,
                                    seg.missing)

    def close(self) -> None:
        for flow in self._live_flows():
            for half in flow.halves:
                half.close()

    def _live_flows(self) -> list[Flow]:
        seen: dict[int, Flow] = {}
        for flow in self.flows.values():
            if flow is not None:
                seen[id(flow)] = flow
        return list(seen.values())

    def _new_flow(self, seg: TcpSegment, key: tuple[bytes, int, bytes, int],
                  reuse: bool = False) -> Flow | None:
        reverse = (seg.dst, seg.dport, seg.src, seg.sport)
        if key in self._ignored and not reuse:
            return None
        if key not in self._undecided and (reuse or key not in self.flows):
            self.streams += 1
            self._undecided[key] = self._undecided[reverse] = self.streams - 1
        initiator = self._initiator(seg)
        if initiator is None:
            if len(seg.payload) or not self.heuristics:
                self._ignore(key, reverse)
            return None
        stream = self._undecided.pop(key)
        self._undecided.pop(reverse, None)
        return self._register(seg, key, reverse, stream, initiator)

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
        sinks = (self.sink_factory(conn, Direction.TO_RESPONDER),
                 self.sink_factory(conn, Direction.TO_INITIATOR))
        halves = (HalfStream(sinks[0], self.max_pending), HalfStream(sinks[1], self.max_pending))
        flow = Flow(conn, halves, initiator)
        self.flows[key] = self.flows[reverse] = flow
        self.connections.append(conn)
        return flow

    def _ignore(self, key: tuple[bytes, int, bytes, int],
                reverse: tuple[bytes, int, bytes, int]) -> None:
        self._ignored.add(key)
        self._ignored.add(reverse)
        self._undecided.pop(key, None)
        self._undecided.pop(reverse, None)
