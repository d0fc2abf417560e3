"""``capture_of(engine)``: an engine's tables as a ``Capture``, at any moment (non-destructive).

Kept apart from ``capture.load`` so that the engine can offer ``snapshot()`` without the two
modules importing each other: this one needs the engine only as a type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import tables
from .capture import Capture
from .device_info import device_info_frame
from .discovery import discovery_frame, identities, with_announced
from .objects import ObjectTable
from .packet_table import LazyTable, PacketTable, PacketTotals
from .tcp_health import tcp_frame
from .transaction_table import states_of, transactions_table
from .transactions import Transaction, transactions_of

if TYPE_CHECKING:
    import pandas as pd

    from ..engine import Engine
    from ..model import Finding
    from .collect import CaptureCollector


def capture_of(engine: Engine, path: Path | None = None, last: bool = False) -> Capture:
    """The engine's tables as they stand (non-destructive: the engine can go on). ``last``:
    the engine's last look (``load()``, the CLI): the collector's event rows are dropped as
    soon as their table holds them, and the packets and data phases tables are built when
    first read (``Capture.packets``, ``Capture.data_phases``) from the packed rows, which
    they keep."""
    c = engine.collector
    assert c is not None and engine.validator is not None
    c.refresh()
    findings = sorted(engine.findings, key=lambda f: f.frame)
    sessions = engine.validator.session_list()
    session_of = tables.session_map(sessions)
    # what reads the packet rows goes first: the largest table, then the rows can go
    findings_table = tables.findings_frame(
        findings, tables.frame_times(c, (f.frame for f in findings)))
    properties = tables.properties_frame(c, session_of)
    packets = _packet_table(c, session_of, last)
    events = tables.events_frame(c, session_of)
    if last:
        c.events.release()
    transactions = transactions_table(c, engine.transactions(), findings, c.t0 or 0.0,
                                      engine.dissector.flows)
    objects = ObjectTable.from_transfers(c.object_transfers, c.objects.infos,
                                         _moved_objects(engine, findings), session_of)
    accounting = engine.accounting
    sessions_table = tables.sessions_frame(c, sessions, accounting,
                                           tables.TransactionCounts.of_table(transactions))
    discovery = discovery_frame(engine.discovery.records, identities(c, sessions))
    sessions_table = with_announced(sessions_table, discovery)
    return Capture(
        path or Path("-"), packets, transactions,
        _lazy(partial(tables.data_phases_frame, c, session_of), last), events, objects.frame(), sessions_table,
        findings_table, properties, tables.gaps_frame(c, session_of), dict(accounting),
        engine.error, tuple(engine.problems), device_info_frame(c, session_of), discovery,
        tcp=tcp_frame(engine.dissector.flows, session_of))


def _packet_table(c: CaptureCollector, session_of: tables.SessionOf, last: bool
                  ) -> PacketTable:
    """The packets table now, or on the engine's last look (the rows change no more) when
    first read: its totals come from the packed rows."""
    if not last or not c.packet_columns:
        return PacketTable(tables.packets_frame(c, session_of))  # (raises without columns)
    totals = PacketTotals.of(c.packets.field("time"), c.packets.field("length"))
    return PacketTable(build=partial(tables.packets_frame, c, session_of), totals=totals,
                       part=partial(tables.packets_frame, c, session_of))


def _lazy(build: Callable[[], pd.DataFrame], last: bool) -> LazyTable:
    """A table built now, or on the engine's last look when first read."""
    return LazyTable(build=build) if last else LazyTable(build())


def _moved_objects(engine: Engine, findings: Sequence[Finding]) -> Iterable[Transaction]:
    """The rows of the transactions that moved an object's data (the objects table's
    requests), made from their states alone (only those states are made)."""
    c = engine.collector
    assert c is not None
    wanted = {(t.stream, tid) for t in c.object_transfers for tid in t.transaction_ids}
    return transactions_of(states_of(engine.transactions(), wanted), findings) if wanted else ()


def sessions_of(engine: Engine) -> pd.DataFrame:
    """The sessions table alone, as ``capture_of(engine).sessions`` gives it, without building
    the others (a live view refreshes it as connections come; the packets table it would
    build alongside is the large one: 500,000 rows took ~1 s and ~300 MB at its peak)."""
    c = engine.collector
    assert c is not None and engine.validator is not None
    c.refresh()
    findings = sorted(engine.findings, key=lambda f: f.frame)
    counts = tables.TransactionCounts.of_rows(transactions_of(engine.transactions(), findings))
    return tables.sessions_frame(c, engine.validator.session_list(), engine.accounting, counts)
