"""``Capture``: a capture's PTP/IP traffic as tidy pandas tables (``load`` and ``snapshot``).

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

import pandas as pd

from ..model import Direction, FrameProblem
from ..pipeline import StreamAccounting
from . import export, stats
from .packet_table import LazyTable, PacketTable, PacketTotals
from .schema import PACKET_PLACES, TABLES, describe, frame


@dataclass(frozen=True, slots=True)
class Capture:
    """One capture file's PTP/IP traffic as DataFrames (schemas: ``Capture.schema(name)``)."""

    path: Path
    packet_table: PacketTable  # the packets table, built when first read (``packets``)
    transactions: pd.DataFrame
    phase_table: LazyTable  # the data phases table, built when first read (``data_phases``)
    events: pd.DataFrame
    objects: pd.DataFrame
    sessions: pd.DataFrame
    findings: pd.DataFrame
    properties: pd.DataFrame
    gaps: pd.DataFrame
    accounting: dict[tuple[int, Direction], StreamAccounting] = field(default_factory=dict)
    error: str | None = None  # why reading stopped early, if it did
    problems: tuple[FrameProblem, ...] = ()  # frame-level problems (snaplen cuts, link types)
    # what each camera's DeviceInfo lists (analyze.device_info); last, so that positional
    # construction keeps working
    device_info: pd.DataFrame = field(default_factory=lambda: frame("device_info", {}))
    # SSDP / mDNS / UPnP description messages linked to sessions (analyze.discovery)
    discovery: pd.DataFrame = field(default_factory=lambda: frame("discovery", {}))
    # TCP health per connection direction (analyze.tcp_health)
    tcp: pd.DataFrame = field(default_factory=lambda: frame("tcp", {}))

    TABLES = TABLES

    @property
    def packets(self) -> pd.DataFrame:
        return self.packet_table.frame()

    @property
    def packet_places(self) -> pd.DataFrame:
        """The packets table's frame, time, rel_s, session, stream, role, direction and length
        columns, without building the rest of it (``PacketTable.places``)."""
        return self.packet_table.places()

    @property
    def data_phases(self) -> pd.DataFrame:
        return self.phase_table.frame()

    @property
    def packet_totals(self) -> PacketTotals:
        """How many packets, their span and bytes, without the packets table."""
        return self.packet_table.totals

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
        if name == "packets":  # a part at a time (issue 17)
            return export.write_table(self.packet_table.chunks(), path, fmt)
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
    def throughput(self, interval: str = "1s", by: Iterable[str] = ("session", "direction"),
                   empty: bool = True) -> pd.DataFrame:
        """Bytes and bytes/s per interval and group (``stats.throughput``); ``empty=False``
        leaves out the intervals without packets (its size follows the traffic, not the
        span: with them, more than ``stats.MAX_BINS`` intervals is a ``stats.TooManyBins``)."""
        keys = list(by)
        if not set(keys) <= PACKET_PLACES:
            return stats.throughput_of_parts(lambda: (self.packets,), interval, keys, empty)
        wanted = {"time", "length", *keys}  # a part of the place columns at a time (issue 17)
        return stats.throughput_of_parts(
            lambda: (p for _, p in self.packet_table.place_parts(wanted)), interval, keys,
            empty)

    def latency_stats(self, by: str = "opcode_name") -> pd.DataFrame:
        return stats.latency_stats(self.transactions, by)

    def idle_gaps(self, min_idle_s: float = 1.0) -> pd.DataFrame:
        return stats.idle_gaps(self.packets, min_idle_s)

    def slowest_transactions(self, n: int = 10) -> pd.DataFrame:
        return stats.slowest_transactions(self.transactions, n)

    def object_speeds(self) -> pd.DataFrame:
        return stats.object_speeds(self.objects)

    def time_breakdown(self, tcp_stall_s: pd.Series | None = None) -> pd.DataFrame:
        """Where each session's time went: camera, transfer, host, idle (stats.time_breakdown;
        ``tcp_stall_s``: seconds of TCP stalls by session, from the TCP layer)."""
        if tcp_stall_s is None:
            from .tcp_health import stall_by_session
            tcp_stall_s = stall_by_session(self.tcp)
        return stats.time_breakdown(self.transactions, self.sessions, tcp_stall_s)

    def compare(self, other: Capture) -> pd.DataFrame:
        """This capture (``a``) and ``other`` (``b``) side by side: latency per operation,
        throughput, time breakdown and findings, one row per measure (analyze.compare)."""
        from .compare import compare
        return compare(self, other)
