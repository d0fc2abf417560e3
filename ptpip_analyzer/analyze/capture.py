"""``load(path) -> Capture``: a capture file as tidy pandas tables, read in one streaming pass.

    >>> import ptpip_analyzer
    >>> cap = ptpip_analyzer.load("captures/real/gphoto2-get-all-files.pcapng")
    >>> cap.transactions.groupby("opcode_name", observed=True).latency_s.median()
    >>> cap.latency_stats()            # per operation: count, min, median, p95, max
    >>> cap.export("transactions", "tx.parquet")

The tables and their columns are documented in ``schema.py`` (``Capture.schema(name)``); the
question-answering helpers live in ``stats.py``. The file is read once: the validator, the
data-phase assembler and the table collectors are fed the same records, and no payload bytes
are kept beyond the decoded datasets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..engine import Engine, EngineOptions, run
from ..model import Direction, FrameProblem
from ..pipeline import StreamAccounting
from ..sources.byte_source import ByteSource
from ..sources.capture_file import CaptureError
from . import export, stats, tables
from .objects import ObjectTable
from .schema import TABLES, describe
from .transactions import transactions_of


@dataclass(frozen=True, slots=True)
class Capture:
    """One capture file's PTP/IP traffic as DataFrames (schemas: ``Capture.schema(name)``)."""

    path: Path
    packets: pd.DataFrame
    transactions: pd.DataFrame
    data_phases: pd.DataFrame
    events: pd.DataFrame
    objects: pd.DataFrame
    sessions: pd.DataFrame
    findings: pd.DataFrame
    properties: pd.DataFrame
    gaps: pd.DataFrame
    accounting: dict[tuple[int, Direction], StreamAccounting] = field(default_factory=dict)
    error: str | None = None  # why reading stopped early, if it did
    problems: tuple[FrameProblem, ...] = ()  # frame-level problems (snaplen cuts, link types)

    TABLES = TABLES

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}")
        frame: pd.DataFrame = getattr(self, name)
        return frame

    @staticmethod
    def schema(name: str) -> pd.DataFrame:
        return describe(name)

    # -- export -------------------------------------------------------------------------------
    def export(self, name: str, path: str | Path, fmt: str | None = None) -> Path:
        """Write one table as parquet, csv or jsonl (``fmt`` defaults to the file suffix)."""
        return export.write_table(self.table(name), path, fmt)

    def export_all(self, directory: str | Path, fmt: str = "parquet") -> list[Path]:
        """Every table as ``DIRECTORY/<table>.<fmt>``."""
        return export.write_all(self, directory, fmt)

    def to_parquet(self, directory: str | Path) -> list[Path]:
        return export.write_all(self, directory, "parquet")

    def to_csv(self, directory: str | Path) -> list[Path]:
        return export.write_all(self, directory, "csv")

    def to_jsonl(self, directory: str | Path) -> list[Path]:
        return export.write_all(self, directory, "jsonl")

    # -- questions ----------------------------------------------------------------------------
    def throughput(self, interval: str = "1s", by: Iterable[str] = ("session", "direction")
                   ) -> pd.DataFrame:
        return stats.throughput(self.packets, interval, list(by))

    def latency_stats(self, by: str = "opcode_name") -> pd.DataFrame:
        return stats.latency_stats(self.transactions, by)

    def idle_gaps(self, min_idle_s: float = 1.0) -> pd.DataFrame:
        return stats.idle_gaps(self.packets, min_idle_s)

    def slowest_transactions(self, n: int = 10) -> pd.DataFrame:
        return stats.slowest_transactions(self.transactions, n)

    def object_speeds(self) -> pd.DataFrame:
        return stats.object_speeds(self.objects)


def load(path: str | Path, **options: Any) -> Capture:
    """Read a pcap/pcapng file (``-``: standard input) into a ``Capture``.

    Options are ``EngineOptions`` fields, the same as the CLI's input flags: ``ports``
    (iterable of TCP ports, default 15740), ``heuristics``, ``vendor``, ``keep_payload``,
    ``max_pending``, ``max_packet_length``. Raises ``OSError`` if the file can't be opened and
    ``CaptureError`` if it is no capture at all; a file that turns bad midway gives the tables
    of what was readable and ``Capture.error``.
    """
    engine = Engine(EngineOptions().with_(**options, tables=True))
    for _ in run(ByteSource(str(path)), engine):
        pass
    if engine.error is not None and engine.reader.format is None:
        raise CaptureError(engine.error)
    return capture_of(engine, Path(path))


def capture_of(engine: Engine, path: Path | None = None) -> Capture:
    """The engine's tables as they stand (non-destructive: the engine can go on)."""
    c = engine.collector
    assert c is not None and engine.validator is not None
    c.refresh()
    findings = sorted(engine.findings, key=lambda f: f.frame)
    rows = tuple(transactions_of(engine.transactions(), findings))
    sessions = engine.validator.session_list()
    session_of = tables.session_map(sessions)
    t0 = c.t0 or 0.0
    times = dict(zip(c.gaps.get("frame", []), c.gaps.get("time", []), strict=True))
    times.update(zip(c.packets.get("frame", []), c.packets.get("time", []), strict=True))
    objects = ObjectTable(rows, session_of)
    for fact in c.phases:
        objects.add(fact)
    accounting = engine.accounting
    return Capture(
        path or Path("-"), tables.packets_frame(c, session_of),
        tables.transactions_frame(c, rows, t0), tables.data_phases_frame(c, session_of),
        tables.events_frame(c, session_of), objects.frame(),
        tables.sessions_frame(c, sessions, accounting, rows),
        tables.findings_frame(findings, times), tables.properties_frame(c, session_of),
        tables.gaps_frame(c, session_of), dict(accounting), engine.error,
        tuple(engine.problems))
