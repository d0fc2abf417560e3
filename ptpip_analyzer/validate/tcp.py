"""Findings from TCP health (reassembly/tcp_analysis.py): resets that cut a transaction off and
stalls long enough for a user to notice.

Run once at the end of the capture (``Engine.close``), when every transaction's end is known:
a reset is judged against the transactions of its connection, a stall against the transaction
running on that connection when it happened. Rules PTPIP-TCP-001..003 (rules.py).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from ..decode.codes import operation_name
from ..model import Connection, Direction, Finding
from ..reassembly.tcp_analysis import DirectionAnalysis, TcpEvent
from .command import TransactionState
from .rules import RESET_MID_TRANSACTION, RETRANSMISSION_TIMEOUT, ZERO_WINDOW_STALL
from .validator import Validator

# A wait this long is a stall worth a finding: Linux's smallest retransmission timeout
# (TCP_RTO_MIN, 200 ms); a healthy loopback or LAN transfer never waits that long.
STALL_THRESHOLD_S = 0.2
SENDER = {Direction.TO_RESPONDER: "host", Direction.TO_INITIATOR: "camera"}

Health = tuple[DirectionAnalysis, DirectionAnalysis]


class _Running:
    """The transactions of one connection by start frame: which ran at a given frame."""

    def __init__(self, states: list[TransactionState]) -> None:
        self.states = sorted(states, key=lambda t: t.start_frame)
        self.starts = [t.start_frame for t in self.states]

    def at(self, frame: int) -> TransactionState | None:
        """The latest transaction begun before ``frame`` and not answered before it."""
        for t in reversed(self.states[:bisect.bisect_left(self.starts, frame)]):
            if t.end_frame is None or t.end_frame > frame:
                return t
        return None


def tcp_findings(connections: Sequence[Connection], health: Sequence[Health],
                 validator: Validator) -> list[Finding]:
    """Findings for the connections (with their health, in the same order), judged against
    the validator's transactions and sessions (at the end of the capture)."""
    by_stream = _transactions_of(validator, {
        conn.stream for conn, pair in zip(connections, health, strict=True)
        if any(half.rst_frame or (half.counts is not None
                                  and half.counts.max_wait_s >= STALL_THRESHOLD_S)
               for half in pair)})
    session_of = _session_map(validator)
    out: list[Finding] = []
    for conn, pair in zip(connections, health, strict=True):
        running = _Running(by_stream.get(conn.stream, []))
        session = session_of.get(conn.stream)
        reset = _reset(conn, pair, running, session)
        if reset is not None:
            out.append(reset)
        for direction, half in zip(Direction, pair, strict=True):
            out += _stalls(conn, direction, half, running, session)
    return out


def _transactions_of(validator: Validator,
                     streams: set[int]) -> dict[int, list[TransactionState]]:
    """The finished transactions of ``streams`` (the ones with a reset or a stall), by
    stream; the others are not made (100,000s of them on a packet-heavy capture)."""
    by_stream: dict[int, list[TransactionState]] = defaultdict(list)
    if streams:
        done = validator.completed
        for i in range(len(done)):
            if done.stream(i) in streams:
                t = done[i]
                by_stream[t.stream].append(t)
    return by_stream


def _session_map(validator: Validator) -> dict[int, int]:
    out: dict[int, int] = {}
    for s in validator.session_list():
        out[s.command_stream] = s.number
        if s.event_stream is not None:
            out[s.event_stream] = s.number
    return out


def _reset(conn: Connection, pair: Health, running: _Running,
           session: int | None) -> Finding | None:
    resets = [(half.rst_frame, d) for d, half in zip(Direction, pair, strict=True)
              if half.rst_frame]
    if not resets:
        return None
    frame, direction = min(resets)
    cut = running.at(frame)
    if cut is None:
        return None  # closing an idle connection with RST is common (libgphoto2 does)
    return RESET_MID_TRANSACTION.finding(
        frame, conn.stream, session if cut.session is None else cut.session,
        cut.transaction_id,
        f"connection reset by the {SENDER[direction]} (RST in frame {frame}) while "
        f"{operation_name(cut.opcode)} (transaction {cut.transaction_id}, frame "
        f"{cut.start_frame}) ran: {_left(cut)}")


def _left(t: TransactionState) -> str:
    if t.announced_bytes is not None and t.data_bytes < t.announced_bytes:
        return (f"{t.data_bytes:,} of the {t.announced_bytes:,} data bytes announced came in "
                "whole packets, no response")
    return "no response"


def _stalls(conn: Connection, direction: Direction, half: DirectionAnalysis,
            running: _Running, session: int | None) -> list[Finding]:
    if half.counts is None or half.counts.max_wait_s < STALL_THRESHOLD_S:
        return []
    return [_stall(conn, direction, e, running.at(e.frame), session)
            for e in half.counts.events if e.wait_s >= STALL_THRESHOLD_S]


def _stall(conn: Connection, direction: Direction, e: TcpEvent, t: TransactionState | None,
           session: int | None) -> Finding:
    during = "" if t is None else \
        f" during {operation_name(t.opcode)} (transaction {t.transaction_id})"
    sender = SENDER[direction]
    if e.kind == "zero_window_stall":
        peer = SENDER[Direction(1 - direction)]
        rule, text = ZERO_WINDOW_STALL, (
            f"the {sender} advertised a zero window in frame {e.frame}: the {peer} could not "
            f"send for {e.wait_s:.3f} s{during}")
    else:
        rule, text = RETRANSMISSION_TIMEOUT, (
            f"the {sender} retransmitted in frame {e.frame} after {e.wait_s:.3f} s without "
            f"progress (a retransmission timeout){during}")
    return rule.finding(e.frame, conn.stream, session if t is None or t.session is None
                        else t.session, None if t is None else t.transaction_id, text)
