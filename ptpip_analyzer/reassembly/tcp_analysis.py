"""TCP health of one direction of a connection, judged segment by segment as Wireshark does.

Sans-IO, one ``DirectionAnalysis`` per direction, fed every captured segment of it (the flow
table does). The rules follow ``tcp_analyze_sequence_number`` in Wireshark's
epan/dissectors/packet-tcp.c (4.x), so our counts are tshark's ``tcp.analysis.*`` counts:

- *zero window*: window 0 and none of SYN, FIN, RST. *Zero window probe*: 1 byte at the next
  expected sequence number while the peer's window is 0 (not a retransmission; does not move
  the next expected number).
- *keep-alive*: 0 or 1 byte at next expected - 1, none of SYN/FIN/RST (never a retransmission).
- *duplicate ACK*: no payload, window non-zero and unchanged, seq at the next expected number,
  the same ACK number as this direction's last, none of SYN/FIN/RST, and not the ACK of a
  keep-alive or zero window probe; the count restarts whenever the ACK number changes.
- a segment with data (or SYN/FIN) that starts below the highest sequence number seen is, in
  this order: a *spurious retransmission* when all its bytes are at or below the peer's last
  ACK; a *fast retransmission* when the peer sent 2 or more duplicate ACKs for exactly its
  sequence number, the last under 20 ms ago (fast retransmission takes precedence over
  out-of-order, ``tcp_fastrt_precedence = TRUE``); *out-of-order* when it comes within the
  connection's initial RTT (3 ms without a captured handshake) of the highest segment and does
  not end at the next expected number; else a *retransmission*. ``tcp.analysis.retransmission``
  matches all three retransmission kinds, and so does ``retransmissions`` here.
- the initial RTT: from the most recent SYN (without ACK) to the first segment with ACK and
  without SYN.

Not modelled (they need per-segment lists, which we do not keep): Wireshark's list of unacked
segments (its ``tcp.analysis.rto`` is measured from the oldest unacked one; our stall is measured
from the last segment that advanced the stream), "ACKed unseen segment" and window scaling (raw
windows are compared; equal raw windows are equal scaled ones within a direction).

Stalls: a generic retransmission means the stream waited for a timer; the wait is the time since
the direction last advanced. A zero window stalls the peer's sending until this direction opens
its window again. ``stall_s`` sums both without counting overlapping waits twice.

Per-segment cost: the common segments (new data at the expected number, a pure ACK of new
bytes, window open) take the first tests in ``feed`` and a few attribute stores; everything
else the slow path. State is thirteen slots per direction; the counters, the event list and the
stall bookkeeping are made at the first event (tracemalloc: 528 bytes per connection after its
handshake, 10.6 MB for 20,000).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import ACK, FIN, RST, SYN

_MASK, _HALF = 0xFFFFFFFF, 1 << 31
NO_HANDSHAKE_OOO_S = 0.003  # out-of-order threshold without a captured handshake (packet-tcp.c)
FAST_RETRANSMISSION_S = 0.02  # a fast retransmission follows the dup ACKs within 20 ms
# Capture times are floats of seconds since 1970: at today's dates one step of a float is
# 2.4e-7 s, so nanosecond timestamps (Wireshark compares integers) come out up to that far off.
# Time thresholds get this much slack, so that a difference equal to one in the capture's own
# units is not decided by rounding.
TIME_SLACK_S = 5e-7
MAX_EVENTS = 4096  # events kept per direction (counters go on; ``events_dropped`` says how many)

# marks of one segment (what Wireshark's tcp_acked.flags holds for it)
ZERO_WINDOW, ZERO_WINDOW_PROBE, KEEP_ALIVE, DUP_ACK = 1, 2, 4, 8
KEEP_ALIVE_ACK, ZERO_WINDOW_PROBE_ACK = 16, 32
RETRANSMISSION, FAST_RETRANSMISSION, SPURIOUS_RETRANSMISSION, OUT_OF_ORDER = 64, 128, 256, 512
RETRANSMISSIONS = RETRANSMISSION | FAST_RETRANSMISSION | SPURIOUS_RETRANSMISSION
_EVENT_KINDS = ((RETRANSMISSION, "retransmission"), (FAST_RETRANSMISSION, "fast_retransmission"),
                (SPURIOUS_RETRANSMISSION, "spurious_retransmission"),
                (OUT_OF_ORDER, "out_of_order"), (DUP_ACK, "dup_ack"),
                (ZERO_WINDOW, "zero_window"))


class TcpEvent(NamedTuple):
    """Something TCP-level a frame showed: a retransmission, a zero window, ..."""

    frame: int
    time: float
    kind: str  # one of _EVENT_KINDS' names, or "zero_window_stall" (the whole episode)
    wait_s: float  # retransmission: time since the direction last advanced (first of an
    # episode, else 0); zero_window_stall: how long the window stayed shut
    stall_s: float  # this event's share of the direction's stall time (no overlaps)


@dataclass(slots=True)
class TcpCounts:
    """A direction's counters, made at its first event."""

    retransmissions: int = 0  # all kinds, as tcp.analysis.retransmission
    fast_retransmissions: int = 0
    spurious_retransmissions: int = 0
    out_of_order: int = 0
    dup_acks: int = 0
    zero_windows: int = 0  # segments advertising a zero window
    zero_window_probes: int = 0
    keep_alives: int = 0
    stall_s: float = 0.0
    max_wait_s: float = 0.0
    events: list[TcpEvent] = field(default_factory=list)
    events_dropped: int = 0
    # stall bookkeeping, here rather than in every direction's slots: only a direction with
    # events needs it
    stalled_until: float = 0.0  # retransmission waits are counted up to here
    zero_since: float | None = None  # the window is shut since then (its first frame: below)
    zero_frame: int = 0

    def add(self, event: TcpEvent) -> None:
        self.stall_s += event.stall_s
        self.max_wait_s = max(self.max_wait_s, event.wait_s)
        if len(self.events) < MAX_EVENTS:
            self.events.append(event)
        else:
            self.events_dropped += 1


class DirectionAnalysis:
    """Wireshark's per-flow sequence analysis state for one direction (tcp_analyze_seq_info)."""

    __slots__ = ("counts", "dupacks", "fin_frame", "lastack", "lastack_time", "lastflags",
                 "nextseq", "nextseq_time", "peer", "rst_frame", "rtt", "syn_time", "window")

    def __init__(self) -> None:
        # 0 = not known yet, as in packet-tcp.c (a real 0 is treated alike there too)
        self.nextseq = self.lastack = self.window = self.dupacks = self.lastflags = 0
        self.nextseq_time = self.lastack_time = 0.0
        # the latest SYN without ACK, while the initial RTT is not known yet
        self.syn_time: float | None = None
        self.rtt: float | None = None  # the connection's initial RTT (both directions hold it)
        self.fin_frame = self.rst_frame = 0  # 0: none
        self.counts: TcpCounts | None = None
        self.peer: DirectionAnalysis = self

    def feed(self, seq: int, ack: int, flags: int, seglen: int, window: int, frame: int,
             time: float) -> None:
        # Hot paths, where no rule can apply: new data at the expected number (not all of it
        # acknowledged by the peer yet), and a pure ACK of new bytes; both with the window open.
        if seq == self.nextseq and window and not flags & 7 and self.syn_time is None \
                and seq:
            if seglen > 1:
                end = (seq + seglen) & _MASK
                peer_ack = self.peer.lastack
                if not peer_ack or 0 < (end - peer_ack) & _MASK < _HALF:
                    if ack != self.lastack:
                        self.dupacks = 0
                    if not self.window:
                        self._window_opened(time)
                    self.nextseq, self.nextseq_time = end, time
                    self.window, self.lastack, self.lastack_time, self.lastflags = \
                        window, ack, time, 0
                    return
            elif not seglen and ack != self.lastack:
                self.dupacks = 0
                if not self.window:
                    self._window_opened(time)
                self.window, self.lastack, self.lastack_time, self.lastflags = \
                    window, ack, time, 0
                return
        self._slow(seq, ack, flags, seglen, window, frame, time)

    def close(self, time: float) -> None:
        """End of capture: a window still shut stalls until ``time`` (the last frame)."""
        self._window_opened(time)

    # -- the slow path: every rule of tcp_analyze_sequence_number ------------------------------
    def _slow(self, seq: int, ack: int, flags: int, seglen: int, window: int, frame: int,
              time: float) -> None:
        self._handshake(flags, time)
        if flags & RST and not self.rst_frame:
            self.rst_frame = frame
        if flags & FIN and not self.fin_frame:
            self.fin_frame = frame
        marks = self._window_marks(seq, ack, flags, seglen, window)
        if ack != self.lastack:
            self.dupacks = 0
        if (seglen > 0 or flags & (SYN | FIN)) and not marks & KEEP_ALIVE:
            marks |= self._resent(seq, flags, seglen, time)
        end = (seq + seglen + (1 if flags & (SYN | FIN) else 0)) & _MASK
        wait = stall = 0.0
        if marks & RETRANSMISSION:
            wait, stall = self._stalled(time)
        if (not self.nextseq or 0 < (end - self.nextseq) & _MASK < _HALF) \
                and not marks & ZERO_WINDOW_PROBE:
            self.nextseq, self.nextseq_time = end, time
        if window:
            self._window_opened(time)
        if marks & ZERO_WINDOW:
            counts = self._counts()
            if counts.zero_since is None:
                counts.zero_since, counts.zero_frame = time, frame
        self.window, self.lastack, self.lastack_time, self.lastflags = window, ack, time, marks
        if marks & ~(KEEP_ALIVE_ACK | ZERO_WINDOW_PROBE_ACK):
            self._count(marks, frame, time, wait, stall)

    def _handshake(self, flags: int, time: float) -> None:
        """Initial RTT: from the latest SYN to the first segment with ACK and without SYN."""
        if flags & SYN and not flags & ACK:
            if self.rtt is None:
                self.syn_time = self.peer.syn_time = time
        elif flags & ACK and not flags & SYN and self.syn_time is not None:
            self.rtt = self.peer.rtt = time - self.syn_time
            self.syn_time = self.peer.syn_time = None

    def _window_marks(self, seq: int, ack: int, flags: int, seglen: int, window: int) -> int:
        nxt = self.nextseq
        if seglen == 1 and seq == nxt and self.peer.window == 0:
            return ZERO_WINDOW_PROBE
        marks = ZERO_WINDOW if window == 0 and not flags & (RST | FIN | SYN) else 0
        if flags & (RST | FIN | SYN):
            return marks
        if seglen <= 1 and seq == (nxt - 1) & _MASK:
            marks |= KEEP_ALIVE
        if seglen or seq != nxt or ack != self.lastack:
            return marks
        if window and window == self.window and self.peer.lastflags & KEEP_ALIVE:
            return marks | KEEP_ALIVE_ACK
        if not window and not self.window and self.peer.lastflags & ZERO_WINDOW_PROBE:
            return marks | ZERO_WINDOW_PROBE_ACK
        if window and window == self.window:
            self.dupacks += 1
            marks |= DUP_ACK
        return marks

    def _resent(self, seq: int, flags: int, seglen: int, time: float) -> int:
        """Which kind of retransmission (or out-of-order) a segment starting at ``seq`` is."""
        nxt, peer = self.nextseq, self.peer
        behind = bool(nxt) and (seq - nxt) & _MASK >= _HALF
        if seglen > 1 and (nxt - 1) & _MASK == seq:
            behind = False  # the byte after a zero window probe: new data
        end = (seq + seglen) & _MASK
        if seglen > 0 and peer.lastack and (end == peer.lastack
                                            or (end - peer.lastack) & _MASK >= _HALF):
            return SPURIOUS_RETRANSMISSION
        if not behind:
            return 0
        if peer.dupacks >= 2 and peer.lastack == seq \
                and time - peer.lastack_time < FAST_RETRANSMISSION_S:
            return FAST_RETRANSMISSION
        threshold = self.rtt if self.rtt else NO_HANDSHAKE_OOO_S
        syn_fin = 1 if flags & (SYN | FIN) else 0
        if time - self.nextseq_time < threshold + TIME_SLACK_S \
                and nxt != (end + syn_fin) & _MASK:
            return OUT_OF_ORDER
        return RETRANSMISSION

    def _stalled(self, time: float) -> tuple[float, float]:
        """A retransmission after a timer: the wait since the direction last advanced (0 when
        an earlier retransmission already started this episode) and its uncounted part."""
        counts = self._counts()
        first = self.nextseq_time >= counts.stalled_until
        start = max(self.nextseq_time, counts.stalled_until)
        counts.stalled_until = max(counts.stalled_until, time)
        return (time - self.nextseq_time if first else 0.0), max(time - start, 0.0)

    def _window_opened(self, time: float) -> None:
        """A segment with the window open (or the end): a zero window episode ends here."""
        counts = self.counts
        if counts is None or counts.zero_since is None:
            return
        wait = max(time - counts.zero_since, 0.0)
        counts.add(TcpEvent(counts.zero_frame, counts.zero_since, "zero_window_stall", wait,
                            wait))
        counts.zero_since = None

    def _counts(self) -> TcpCounts:
        if self.counts is None:
            self.counts = TcpCounts()
        return self.counts

    def _count(self, marks: int, frame: int, time: float, wait: float, stall: float) -> None:
        c = self._counts()
        if marks & RETRANSMISSIONS:
            c.retransmissions += 1
            c.fast_retransmissions += bool(marks & FAST_RETRANSMISSION)
            c.spurious_retransmissions += bool(marks & SPURIOUS_RETRANSMISSION)
        c.out_of_order += bool(marks & OUT_OF_ORDER)
        c.dup_acks += bool(marks & DUP_ACK)
        c.zero_windows += bool(marks & ZERO_WINDOW)
        c.zero_window_probes += bool(marks & ZERO_WINDOW_PROBE)
        c.keep_alives += bool(marks & KEEP_ALIVE)
        for bit, kind in _EVENT_KINDS:
            if marks & bit:
                timed = bit == RETRANSMISSION
                c.add(TcpEvent(frame, time, kind, wait if timed else 0.0,
                               stall if timed else 0.0))


def connection_analysis() -> tuple[DirectionAnalysis, DirectionAnalysis]:
    """The two directions of a new connection, each the other's peer."""
    forward, backward = DirectionAnalysis(), DirectionAnalysis()
    forward.peer, backward.peer = backward, forward
    return forward, backward
