"""TCP reassembly of one direction of a connection: segments in, contiguous stream ranges out.

Sans-IO. Output goes to a ``StreamSink`` (``data`` / ``gap`` calls) rather than returned lists:
this is called once per captured segment, and an in-order segment costs a handful of integer
operations and one call. Handles out-of-order segments (bounded buffer), exact and overlapping
retransmissions, sequence-number wraparound (RFC 9293 section 3.4: offsets are unwrapped to
64 bits near the expected one), captures starting mid-stream (no SYN), FIN/RST, bytes that
the capture lost (announced by the peer's ACK, by a full buffer, or by the end of the capture),
and frames cut short by the snapshot length.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from ..model import FIN, RST, SYN, Buffer

DEFAULT_MAX_PENDING = 4 << 20  # out-of-order bytes held per direction before declaring a gap
# Out-of-order segments held per direction: empty segments that only announce snaplen-cut bytes
# weigh nothing in max_pending, so their number is capped too.
MAX_PENDING_SEGMENTS = 1 << 14
_MASK = 0xFFFFFFFF
# What a direction has before its first segment off the hot path (see HalfStream.__init__).
_NOTHING_HELD: Mapping[int, tuple[bytes, int, float, int]] = MappingProxyType({})
_NOTHING_HELD_ORDER: tuple[int, ...] = ()
_HALF = 1 << 31


class StreamSink(Protocol):
    def data(self, offset: int, data: Buffer, frame: int, time: float) -> None: ...

    def gap(self, offset: int, length: int, frame: int, time: float, reason: str) -> None: ...


@dataclass(slots=True)
class ReassemblyStats:
    segments_slow: int = 0  # segments that took the slow path (not the next in order)
    retransmitted_bytes: int = 0  # duplicate bytes dropped (exact or overlapping copies)
    out_of_order_segments: int = 0
    before_start_bytes: int = 0  # bytes older than the first one seen (mid-stream start)
    conflicting_overlaps: int = 0  # retransmissions whose bytes differ from what came first


_NO_STATS = ReassemblyStats()  # a direction's stats until its first slow segment (never changed)


class HalfStream:
    """One direction of a TCP connection, delivering bytes in stream order to ``sink``."""

    __slots__ = (
        "base",
        "fin",
        "last_frame",
        "last_time",
        "max_pending",
        "next",
        "order",
        "pending",
        "pending_bytes",
        "reset",
        "sink",
        "stats",
    )

    def __init__(self, sink: StreamSink, max_pending: int = DEFAULT_MAX_PENDING) -> None:
        self.sink = sink
        self.base: int | None = None  # sequence number of stream offset 0
        self.next = 0  # stream offset of the next byte to deliver
        # Out-of-order segments by offset. It and the two below are made at the first segment
        # off the hot path: most directions never need them (20,000 connections: 8 MB).
        # (read-only and shared until then: ``_off_hot_path`` makes this direction's own)
        self.pending: dict[int, tuple[bytes, int, float, int]] = _NOTHING_HELD  # type: ignore
        # A heap of the offsets in ``pending`` (with stale entries, skipped when seen): the
        # first held segment in O(log n), where min(pending) made a burst of n held segments
        # cost n^2.
        self.order: list[int] = _NOTHING_HELD_ORDER  # type: ignore[assignment]
        self.pending_bytes = 0
        self.max_pending = max_pending
        self.fin: int | None = None  # stream offset of the FIN
        self.reset = False
        self.stats: ReassemblyStats = _NO_STATS
        self.last_frame, self.last_time = 0, 0.0

    def offset_of(self, seq: int) -> int:
        """64-bit stream offset of a 32-bit sequence number, nearest to what we expect."""
        assert self.base is not None
        delta = (seq - self.base - self.next) & _MASK
        return self.next + (delta - (1 << 32) if delta >= _HALF else delta)

    def feed(self, seq: int, flags: int, payload: Buffer, frame: int, time: float,
             missing: int = 0) -> None:
        self.last_frame, self.last_time = frame, time
        base = self.base
        if base is None or flags & (SYN | FIN | RST):
            if self._control(seq, flags, len(payload) + missing):
                return
            base = self.base
            assert base is not None
        if not payload and not missing:
            return  # a pure ACK
        nxt = self.next
        if not (seq - base - nxt) & _MASK and not self.pending and not missing:
            self.sink.data(nxt, payload, frame, time)  # hot path: the next in-order segment
            self.next = nxt + len(payload)
            return
        if self.stats is _NO_STATS:
            self._off_hot_path()
        self.stats.segments_slow += 1
        offset = self.offset_of(seq)
        if offset == nxt and not self.pending:
            self._deliver(offset, payload, frame, time, missing)
        elif offset > nxt:
            self._hold(offset, payload, frame, time, missing)
        else:
            self._overlap(offset, payload, frame, time, missing)

    def _control(self, seq: int, flags: int, size: int) -> bool:
        """SYN / FIN / RST and the first segment; True if the segment carries no stream bytes."""
        if self.base is None:
            self.base = (seq + 1) & _MASK if flags & SYN else seq
        elif flags & SYN:
            return True  # a retransmitted SYN
        if flags & RST:
            self.reset = True
        elif flags & FIN and self.fin is None:
            self.fin = self.offset_of(seq) + size
        return False

    def acknowledged(self, ack: int, frame: int, time: float) -> None:
        """The peer acknowledged bytes up to ``ack``: what we still lack there is lost.

        A direction the capture has not shown a single segment of yet starts counting at the
        first ACK for it (exactly ISN + 1 when that ACK is the SYN-ACK), so a capture holding
        only one direction still reports the other direction's bytes as gaps."""
        if self.base is None:
            self.base = ack
            return
        upto = self.offset_of(ack)
        if self.fin is not None:
            upto = min(upto, self.fin)
        if upto > self.next:
            self._flush_until(upto, frame, time, "bytes acknowledged by the peer but not captured")

    def close(self) -> None:
        """End of capture: deliver what is buffered, with gaps where bytes are missing."""
        if self.pending:
            end = max(off + len(item[0]) + item[3] for off, item in self.pending.items())
            self._flush_until(end, self.last_frame, self.last_time,
                              "bytes never captured before the end of the capture")

    # -- internals --------------------------------------------------------------------------
    def _off_hot_path(self) -> None:
        """The first segment that is not the next in order: this direction's own buffers.
        (Only the slow path below changes them; a pure ACK or in-order stream never does.)"""
        self.pending, self.order, self.stats = {}, [], ReassemblyStats()

    def _deliver(self, offset: int, payload: Buffer, frame: int, time: float,
                 missing: int) -> None:
        if payload:
            self.sink.data(offset, payload, frame, time)
        end = offset + len(payload)
        if missing:
            self.sink.gap(end, missing, frame, time, "frame cut short by the capture's snaplen")
        self.next = end + missing
        if self.pending:
            self._drain()

    def _hold(self, offset: int, payload: Buffer, frame: int, time: float, missing: int) -> None:
        self.stats.out_of_order_segments += 1
        held = self.pending.get(offset)
        if held is not None and len(held[0]) + held[3] >= len(payload) + missing:
            self.stats.retransmitted_bytes += len(payload)
            return
        self.pending[offset] = (bytes(payload), frame, time, missing)
        if held is None:
            heapq.heappush(self.order, offset)
        self.pending_bytes += len(payload) - (len(held[0]) if held else 0)
        if self.pending_bytes > self.max_pending or len(self.pending) > MAX_PENDING_SEGMENTS:
            self._flush_until(self._first(), frame, time,
                              "out-of-order buffer full: bytes never seen")

    def _overlap(self, offset: int, payload: Buffer, frame: int, time: float,
                 missing: int) -> None:
        skip = self.next - offset
        if offset + len(payload) + missing <= self.next:
            if offset < 0:
                self.stats.before_start_bytes += len(payload)
            else:
                self.stats.retransmitted_bytes += len(payload)
            return
        if skip >= len(payload):  # only snaplen-missing bytes reach past what we have
            missing -= skip - len(payload)
            skip = len(payload)
        self.stats.retransmitted_bytes += skip
        self._deliver(self.next, payload[skip:], frame, time, missing)

    def _first(self) -> int:
        """The lowest offset held (``pending`` must not be empty)."""
        order = self.order
        while order[0] not in self.pending:
            heapq.heappop(order)
        return order[0]

    def _drain(self) -> None:
        while self.pending:
            first = self._first()
            if first > self.next:
                return
            heapq.heappop(self.order)
            payload, frame, time, missing = self.pending.pop(first)
            self.pending_bytes -= len(payload)
            if first < self.next:
                self._overlap(first, payload, frame, time, missing)
            else:
                self._deliver(first, payload, frame, time, missing)

    def _flush_until(self, upto: int, frame: int, time: float, reason: str) -> None:
        """Declare the bytes before ``upto`` that are not buffered as lost, then deliver."""
        while self.next < upto:
            first = self._first() if self.pending else upto
            if first > self.next:  # nothing held reaches here: the bytes up to it are lost
                stop = min(upto, first)
                self.sink.gap(self.next, stop - self.next, frame, time, reason)
                self.next = stop
            self._drain()
