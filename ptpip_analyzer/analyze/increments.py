"""Incremental tables: the rows a view has not seen yet, for the price of those rows only.

The collector's columns only grow, and transactions enter the validator's ``completed`` list in
the order they end, so "what changed since my last look" is a slice: a view keeps one cursor
per table (``TableCursor``) and asks for the rows past it. The columns listed in
``LATE_COLUMNS`` are resolved when the slice is built (the session a connection was paired
into, names from the vendor table detected so far, a transaction's findings count): they can
differ between a row's first and a later look; every other column of a row never changes.
Tables whose rows change in place (``sessions``, ``objects``) have no cursor: a view rebuilds
them from ``Engine.snapshot()``; they are small (one row per session or object).

A transaction row's late columns can change after a view took it: a finding raised later (at
the capture's end: a reset that cut it, a TCP stall) changes its ``findings`` and ``status``, a
vendor table learnt later its names. ``rows_updated`` gives those rows again, by position, for
the price of the rows that changed (a scan of the rows taken only when something did):
``TableCursor.updated_rows()`` keeps what the view's rows were built with (``Seen``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from . import tables
from .collect import CaptureCollector
from .transactions import FindingsByTransaction, transactions_of

if TYPE_CHECKING:
    from ..engine import Engine

LATE_COLUMNS: dict[str, frozenset[str]] = {
    "packets": frozenset({"session", "code_name", "role"}),
    "events": frozenset({"session", "code_name"}),
    "gaps": frozenset({"session"}),
    "transactions": frozenset({"session", "opcode_name", "response_name", "findings"}),
    "findings": frozenset({"time"}),
    "data_phases": frozenset({"session", "opcode_name"}),
    # readings use the session's vendor table and DevicePropDesc, both possibly learnt later
    "properties": frozenset({"session", "old_text", "new_text"}),
}
APPEND_ONLY = tuple(LATE_COLUMNS)
# tables whose rows rows_updated gives again when their late columns changed
UPDATABLE = frozenset({"transactions"})


def _packets(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    return tables.packets_frame(c, _sessions(engine), start)


def _events(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    return tables.events_frame(c, _sessions(engine), start)


def _gaps(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    return tables.gaps_frame(c, _sessions(engine), start)


def _transactions(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    assert engine.validator is not None
    rows = tuple(transactions_of(engine.validator.completed[start:], engine.findings))
    return tables.transactions_frame(c, rows, c.t0 or 0.0, engine.dissector.flows)


def _findings(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    findings = engine.findings[start:]
    times = tables.frame_times(c, (f.frame for f in findings), gaps=False)
    return tables.findings_frame(findings, times)


def _data_phases(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    return tables.data_phases_frame(c, _sessions(engine), start)


def _properties(engine: Engine, c: CaptureCollector, start: int) -> pd.DataFrame:
    view = CaptureCollector(c.annotator, packets=c.packets, streams=c.streams, t0=c.t0)
    view.properties.rows = c.properties.rows[start:]
    view.properties.descs = c.properties.descs  # the readings' forms (battery range)
    return tables.properties_frame(view, _sessions(engine))


def _sessions(engine: Engine) -> dict[int, int]:
    assert engine.validator is not None
    return tables.session_map(engine.validator.session_list())


_SIZES: dict[str, Callable[[Engine, CaptureCollector], int]] = {
    "packets": lambda e, c: len(c.packets),
    "events": lambda e, c: len(c.events),
    "gaps": lambda e, c: len(c.gaps.get("frame", ())),
    "transactions": lambda e, c: len(e.validator.completed) if e.validator else 0,
    "findings": lambda e, c: len(e.findings),
    "data_phases": lambda e, c: len(c.phases),
    "properties": lambda e, c: len(c.properties.rows),
}
_BUILDERS: dict[str, Callable[[Engine, CaptureCollector, int], pd.DataFrame]] = {
    "packets": _packets, "events": _events, "gaps": _gaps, "transactions": _transactions,
    "findings": _findings, "data_phases": _data_phases, "properties": _properties,
}


def rows_since(engine: Engine, name: str, start: int) -> tuple[pd.DataFrame, int]:
    """Rows ``start`` onwards of an append-only table, and the cursor for the next look.
    Transactions come in the order they ended; findings in the order they were raised."""
    if name not in _BUILDERS:
        raise KeyError(f"no incremental table {name!r}; these grow by appending: "
                       f"{', '.join(APPEND_ONLY)} (rebuild the others from snapshot())")
    c = engine.collector
    if c is None:
        raise ValueError("this engine collects no tables (EngineOptions(tables=True))")
    c.refresh()
    size = _SIZES[name](engine, c)
    return _BUILDERS[name](engine, c, min(start, size)), size


def rows_available(engine: Engine, name: str) -> int:
    """How many rows an append-only table has now (the cursor ``rows_since`` would return)."""
    c = engine.collector
    return 0 if c is None else _SIZES[name](engine, c)


@dataclass(slots=True)
class Seen:
    """What a view's rows were built with: how many findings had been raised (the engine's
    findings list only grows, in the order raised) and each connection's vendor table."""

    findings: int
    vendors: dict[int, str | None]


def seen_now(engine: Engine) -> Seen:
    return Seen(len(engine.findings),
                {conn.stream: engine.vendor_of(conn.stream) for conn in engine.connections})


def rows_updated(engine: Engine, name: str, delivered: int, seen: Seen
                 ) -> tuple[pd.DataFrame, Seen]:
    """The rows among the first ``delivered`` of ``name`` whose late columns may have changed
    since ``seen`` (``seen_now`` when they were taken, or the previous call's): for
    transactions, those a finding raised since counts for (``findings``, ``status``) and
    those of connections whose vendor table changed (``opcode_name``, ``response_name``),
    rebuilt whole. Indexed by the row's position (``row``: as ``rows_since`` counts them);
    and what is seen now, for the next call."""
    if name not in UPDATABLE:
        raise KeyError(f"no updated rows for {name!r}: only {', '.join(sorted(UPDATABLE))}")
    c, validator = engine.collector, engine.validator
    if c is None or validator is None:
        raise ValueError("this engine collects no tables (EngineOptions(tables=True))")
    now = seen_now(engine)
    found = FindingsByTransaction(engine.findings[seen.findings:])
    renamed = {s for s, vendor in now.vendors.items() if seen.vendors.get(s, vendor) != vendor}
    positions: list[int] = []
    if found or renamed:
        done = validator.completed  # (keys read from the packed store: nothing made)
        positions = [i for i in range(delivered)
                     if done.stream(i) in renamed or found.hits_at(*done.keys(i))]
    if not positions:  # the usual look: nothing changed (an empty frame costs ~25 ms)
        return _no_updates(c, engine), now
    states = [validator.completed[i] for i in positions]
    rows = tuple(transactions_of(states, engine.findings))
    frame = tables.transactions_frame(c, rows, c.t0 or 0.0, engine.dissector.flows)
    frame.index = pd.Index(positions, name="row", dtype="int64")
    return frame, now


_EMPTY: dict[str, pd.DataFrame] = {}


def _no_updates(c: CaptureCollector, engine: Engine) -> pd.DataFrame:
    if "transactions" not in _EMPTY:
        empty = tables.transactions_frame(c, (), 0.0, engine.dissector.flows)
        empty.index = pd.Index([], name="row", dtype="int64")
        _EMPTY["transactions"] = empty
    return _EMPTY["transactions"].copy()


class TableCursor:
    """One view's place in one table: ``new_rows()`` gives what was added since last time,
    ``updated_rows()`` (transactions) the rows already given whose late columns changed."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine, self.name, self.position = engine, name, 0
        self.seen: Seen | None = None  # what the rows given so far were built with

    def new_rows(self) -> pd.DataFrame:
        if self.name in UPDATABLE:
            now = seen_now(self.engine)
            if self.seen is None:
                self.seen = now
            else:  # connections new since: their rows are built with today's vendor
                for stream, vendor in now.vendors.items():
                    self.seen.vendors.setdefault(stream, vendor)
        frame, self.position = rows_since(self.engine, self.name, self.position)
        return frame

    def updated_rows(self) -> pd.DataFrame:
        frame, self.seen = rows_updated(self.engine, self.name, self.position,
                                        self.seen or seen_now(self.engine))
        return frame
