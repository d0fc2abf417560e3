"""TCP health as tables: the ``tcp`` table (one row per connection direction) and the
transactions table's ``retransmissions`` / ``stall_s`` columns, from the flow table's per
direction analysis (reassembly/tcp_analysis.py, counted as Wireshark's tcp.analysis).

    >>> cap = ptpip_analyzer.load("lossy.pcapng")
    >>> cap.tcp[["stream", "direction", "retransmissions", "out_of_order", "stall_s"]]
    >>> cap.transactions.sort_values("stall_s").tail(3)      # the transactions TCP held up
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..model import Connection, Direction, format_address
from ..reassembly.tcp_analysis import DirectionAnalysis
from .collect import DIRECTION_NAMES
from .schema import frame, series

if TYPE_CHECKING:
    from ..reassembly.flows import FlowTable
    from .transactions import Transaction

RETRANSMISSION_KINDS = frozenset({"retransmission", "fast_retransmission",
                                  "spurious_retransmission"})
COUNTERS = ("retransmissions", "fast_retransmissions", "spurious_retransmissions",
            "out_of_order", "dup_acks", "zero_windows", "stall_s", "max_wait_s")


def tcp_frame(flows: FlowTable, session_of: Mapping[int, int]) -> pd.DataFrame:
    """One row per direction of every PTP/IP connection, built column by column (20,000
    connections: one list of Python values at a time, not sixteen)."""
    halves = [(conn, direction, half)
              for conn, pair in zip(flows.connections, flows.tcp, strict=True)
              for direction, half in zip(Direction, pair, strict=True)]
    cols: dict[str, Callable[[], list[Any]]] = {
        "session": lambda: [session_of.get(conn.stream) for conn, _, _ in halves],
        "stream": lambda: [conn.stream for conn, _, _ in halves],
        "role": lambda: [conn.role.value for conn, _, _ in halves],
        "direction": lambda: [DIRECTION_NAMES[direction] for _, direction, _ in halves],
        "sender": lambda: [_sender(conn, direction) for conn, direction, _ in halves],
        "initial_rtt_s": lambda: [half.rtt for _, _, half in halves],
        "fin_frame": lambda: [half.fin_frame or None for _, _, half in halves],
        "rst_frame": lambda: [half.rst_frame or None for _, _, half in halves],
    }
    for name in COUNTERS:
        cols[name] = partial(_counter, halves, name)
    return frame("tcp", {name: series("tcp", name, values()) for name, values in cols.items()})


def _sender(conn: Connection, direction: Direction) -> str:
    src, _ = conn.endpoints(direction)
    return f"{format_address(src.address)}:{src.port}"


def _counter(halves: Sequence[tuple[Connection, Direction, DirectionAnalysis]],
             name: str) -> list[Any]:
    return [getattr(half.counts, name) if half.counts else 0 for _, _, half in halves]


class _StreamEvents:
    """A connection's events by frame with running sums: a frame range's totals by bisection
    (transactions x events would be quadratic on a capture full of retransmissions)."""

    def __init__(self, halves: Sequence[DirectionAnalysis]) -> None:
        events = sorted(e for h in halves if h.counts for e in h.counts.events)
        self.frames = np.array([e.frame for e in events], np.int64)
        self.resent = np.array([0, *itertools.accumulate(e.kind in RETRANSMISSION_KINDS
                                                          for e in events)], np.int64)
        self.stalls = np.array([0.0, *itertools.accumulate(e.stall_s for e in events)])

    def totals(self, first: np.ndarray, last: np.ndarray, open_: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
        """Retransmissions and stall seconds from each ``first`` frame to its ``last`` (to the
        end where ``open_``)."""
        lo = np.searchsorted(self.frames, first, "left")
        hi = np.where(open_, len(self.frames), np.searchsorted(self.frames, last, "right"))
        return self.resent[hi] - self.resent[lo], self.stalls[hi] - self.stalls[lo]


def transaction_columns(flows: FlowTable | None,
                        rows: Sequence[Transaction]) -> dict[str, Any]:
    """``retransmissions`` and ``stall_s`` of each transaction row (``span_columns``)."""
    ends = [t.end_frame for t in rows]
    return span_columns(flows, np.array([t.stream for t in rows], np.int64),
                        np.array([t.start_frame for t in rows], np.int64),
                        np.array([e or 0 for e in ends], np.int64),
                        np.array([e is None for e in ends], bool))


def span_columns(flows: FlowTable | None, streams: np.ndarray, first: np.ndarray,
                 last: np.ndarray, open_: np.ndarray) -> dict[str, Any]:
    """``retransmissions`` and ``stall_s`` of transactions given as columns: the TCP events
    of the command connection from the request's frame to the response's (to the end where
    ``open_``: unanswered). Without the flow table (a table built from records alone) both
    are NA."""
    if flows is None:
        return {"retransmissions": [None] * len(streams), "stall_s": [None] * len(streams)}
    by_stream = {conn.stream: pair for conn, pair in zip(flows.connections, flows.tcp,
                                                          strict=True)}
    resent, stalled = np.zeros(len(streams), np.int64), np.zeros(len(streams))
    for stream in np.unique(streams).tolist():
        rows = streams == stream
        resent[rows], stalled[rows] = _StreamEvents(by_stream.get(stream, ())).totals(
            first[rows], last[rows], open_[rows])
    return {"retransmissions": resent, "stall_s": stalled}


def summary(cap_tcp: pd.DataFrame) -> pd.DataFrame:
    """``stats``' TCP health table: the connection directions that had trouble."""
    counted = ["retransmissions", "out_of_order", "dup_acks", "zero_windows"]
    trouble = cap_tcp[(cap_tcp[counted].sum(axis=1) > 0) | cap_tcp["rst_frame"].notna()]
    out = trouble[["session", "stream", "role", "direction", *counted, "stall_s", "rst_frame"]]
    return out.assign(stall_s=out["stall_s"].round(3)).reset_index(drop=True)


def stall_by_session(cap_tcp: pd.DataFrame) -> pd.Series:
    """Seconds of TCP stalls per session (both connections, both directions): the time
    breakdown's ``tcp_stall_s``."""
    return cap_tcp.groupby("session")["stall_s"].sum()
