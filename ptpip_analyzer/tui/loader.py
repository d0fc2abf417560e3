"""Feeding the engine off the event loop: a capture's bytes in, coalesced messages out.

``CaptureLoader.run`` is the body of the app's thread worker. It drives the engine with
``engine.run`` over any byte source (a file, ``-``, a followed file; live capture's dumpcap
pipe plugs in the same way: anything with ``chunks()``, ``stop()``, ``before_read``,
``bytes_read`` and ``size``), and between two reads (``before_read``: the engine is between
chunks, its tables consistent) it tells the UI what is new, at most ``RATE_HZ`` times a second
(bursts are coalesced) and at once for the first records, so the first rows show immediately.

The UI thread reads the record store directly (append-only lists: reading index ``n`` below
the count it was told is safe while the worker appends); everything else it gets as the new
rows of the engine's append-only tables (``rows_since``), built here in the worker, so the UI
never touches engine state that is changing under it. Transaction rows already given whose
findings, status or names changed later (findings raised at the capture's end: a reset, a TCP
stall) come again as updates by position (``TableCursor.updated_rows``), also at the end: the
transactions table is never rebuilt whole.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..decode.dataset_types import DeviceInfo
from ..engine import Engine, Item, Losses, run
from ..model import Packet

if TYPE_CHECKING:
    import pandas as pd

    from ..analyze.increments import TableCursor

RATE_HZ = 10  # the views update at most this often while loading
# The engine is fed in pieces, so that the views hear of records between them: a 1 MiB read of
# small transactions is ~6,000 records, 0.3-1 s of decoding before anything could be shown.
FIRST_PIECE, PIECE = 16 << 10, 128 << 10
TABLES_EVERY_S = 0.5  # new transaction and finding rows: a pandas slice costs ~40 ms each
SESSIONS_EVERY_S = 3.0  # sessions change in place: rebuilt from a snapshot this often at most


class ByteInput(Protocol):
    """What the loader needs of a byte source (``ByteSource``; a live capture source)."""

    path: str
    size: int | None
    bytes_read: int
    seekable: bool
    before_read: Callable[[], None] | None

    def chunks(self) -> Any: ...

    def stop(self) -> None: ...


@dataclass(slots=True)
class Throughput:
    """Per direction (0 to camera, 1 to host): each packet's time and length, for the graphs.
    Appended in the worker, read in the UI thread (arrays: appends and slices are atomic)."""

    times: tuple[array[float], array[float]] = field(
        default_factory=lambda: (array("d"), array("d")))
    lengths: tuple[array[int], array[int]] = field(
        default_factory=lambda: (array("q"), array("q")))

    def add(self, direction: int, t: float, length: int) -> None:
        self.times[direction].append(t)
        self.lengths[direction].append(length)

    def series(self, direction: int) -> tuple[list[float], list[int]]:
        n = min(len(self.times[direction]), len(self.lengths[direction]))
        return self.times[direction][:n].tolist(), self.lengths[direction][:n].tolist()


@dataclass(frozen=True, slots=True)
class Progress:
    """What is new since the last update (the message's payload)."""

    records: int  # records in the store now
    bytes_read: int
    size: int | None
    transactions: pd.DataFrame | None  # new rows (None: none)
    findings: pd.DataFrame | None
    done: bool = False
    error: str | None = None
    losses: Losses | None = None  # capture drops and TCP gap bytes so far
    # transaction rows told of before whose findings, status or names changed, indexed by
    # their position in the table (analyze.increments.rows_updated)
    transaction_updates: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class SessionsView:
    """Sessions change in place: the whole table again, with what explains each."""

    sessions: pd.DataFrame
    vendor_reasons: dict[int, list[str]]  # command stream -> why its vendor was chosen
    device_info: dict[int, int]  # TCP stream -> record index of the DeviceInfo it carried
    discovery: pd.DataFrame | None = None  # SSDP / mDNS / UPnP messages, with their session


class CaptureLoader:
    """Runs one capture through one engine, reporting to ``post`` (called in the worker)."""

    def __init__(self, source: ByteInput, engine: Engine,
                 post: Callable[[Progress | SessionsView], None]) -> None:
        self.source, self.engine, self.post = source, engine, post
        self.throughput = Throughput()
        self.device_info: dict[int, int] = {}
        self._findings = 0  # findings rows told of
        self._transactions: TableCursor | None = None  # made with the first rows (pandas)
        self._last = 0.0
        self._last_tables = 0.0
        self._last_sessions = 0.0
        self._told_records = 0
        self._connections = 0
        self._discovery_table: Any = None  # analyze.discovery.DiscoveryTable, once needed

    def run(self) -> None:
        self.source.before_read = self._between_chunks  # also while a followed file waits
        add = self.throughput.add
        for item in run(_Pieces(self.source, self._between_chunks), self.engine):  # type: ignore
            record = item.record
            if isinstance(record, Packet):
                add(record.direction, record.time, record.length)
                if item.annotation is not None and item.annotation.dataset is not None:
                    self._dataset(item)
        self._tell(done=True)

    def stop(self) -> None:
        self.source.stop()

    def _source_failure(self) -> str | None:
        """Why a live capture process ended by itself (None for files and pipes)."""
        failed = getattr(self.source, "failed", None)
        return failed if isinstance(failed, str) else None

    def _dataset(self, item: Item) -> None:
        assert item.annotation is not None and item.annotation.dataset is not None
        if isinstance(getattr(item.annotation.dataset, "value", None), DeviceInfo):
            self.device_info[item.record.stream] = item.index

    def _between_chunks(self) -> None:
        records = self.engine.records
        first = self._told_records == 0 and records > 0
        if not first and time.monotonic() - self._last < 1 / RATE_HZ:
            return
        if records == self._told_records and not self._tables_behind():
            self._last = time.monotonic()  # nothing new decoded: only how far reading got
            self.post(Progress(records, self.source.bytes_read, self.source.size, None, None,
                               losses=self.engine.losses()))
            return
        self._tell()

    def _tell(self, done: bool = False) -> None:
        engine = self.engine
        self._last = time.monotonic()
        if self._told_records == 0 and engine.records and not done:
            # the first rows at once: the tables (pandas, a snapshot) can follow
            self.post(Progress(engine.records, self.source.bytes_read, self.source.size,
                               None, None))
        self._told_records = engine.records
        if done:  # a finding's time may be resolved late: the findings table once more
            self._findings = 0
        tx = findings = updated = None
        if done or self._last - self._last_tables >= TABLES_EVERY_S:
            self._last_tables = self._last
            tx, updated = self._transaction_rows()
            findings = self._new_findings()
            if done and findings is not None:  # the whole table once more: by frame
                findings = findings.sort_values("frame", kind="stable", ignore_index=True)
        self.post(Progress(engine.records, self.source.bytes_read, self.source.size, tx,
                           findings, done, engine.error or self._source_failure(),
                           engine.losses(), updated))
        if done or self._sessions_due():  # after the rows, not before them
            from ..analyze.snapshot import sessions_of
            self._tell_sessions(sessions_of(engine))

    def _tables_behind(self) -> bool:
        """Rows the views were not told of yet (tables go out at most every TABLES_EVERY_S):
        a quiet live source must still show what its last burst completed."""
        if self._told_records == 0:  # nothing shown yet (and pandas not imported yet)
            return False
        due = time.monotonic() - self._last_tables >= TABLES_EVERY_S
        told = self._transactions.position if self._transactions is not None else 0
        return due and (self.engine.rows_available("transactions") != told
                        or len(self.engine.findings) != self._findings)

    def _transaction_rows(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """New transaction rows, and the rows told of before whose late columns changed."""
        if self._transactions is None:
            from ..analyze.increments import TableCursor
            self._transactions = TableCursor(self.engine, "transactions")
        updated = self._transactions.updated_rows()  # (of the rows told of before these)
        rows = self._transactions.new_rows()
        return (rows if len(rows) else None), (updated if len(updated) else None)

    def _new_findings(self) -> pd.DataFrame | None:
        if len(self.engine.findings) == self._findings:
            return None  # (building the findings' slice reads every packet's time)
        rows, self._findings = self.engine.rows_since("findings", self._findings)
        return rows if len(rows) else None

    def _sessions_due(self) -> bool:
        told = self._discovery_table.count if self._discovery_table is not None else 0
        changed = len(self.engine.connections) != self._connections \
            or len(self.engine.discovery.records) != told
        return changed and time.monotonic() - self._last_sessions >= SESSIONS_EVERY_S \
            or self._connections == 0 and changed

    def _tell_sessions(self, sessions: pd.DataFrame) -> None:
        engine = self.engine
        self._connections, self._last_sessions = len(engine.connections), time.monotonic()
        reasons = {int(s): engine.vendor_reasons(int(s)) for s in sessions["command_stream"]}
        found = self._discovery()
        if found is not None:
            from ..analyze.discovery import with_announced
            sessions = with_announced(sessions, found)
        self.post(SessionsView(sessions, reasons, dict(self.device_info), found))

    def _discovery(self) -> pd.DataFrame | None:
        """The discovery messages so far, linked to sessions (None: there are none); rows are
        built once per message, not again every time the sessions are told."""
        engine = self.engine
        records = engine.discovery.records
        if not records or engine.collector is None or engine.validator is None:
            return None
        from ..analyze.discovery import DiscoveryTable, identities
        if self._discovery_table is None:
            self._discovery_table = DiscoveryTable()
        known = identities(engine.collector, engine.validator.session_list())
        frame: pd.DataFrame = self._discovery_table.update(records, known)
        return frame


class _Pieces:
    """The source's chunks cut in pieces (the first ones small), ``between`` called between
    two pieces; everything else is the source's own."""

    def __init__(self, source: ByteInput, between: Callable[[], None]) -> None:
        self._source, self._between = source, between

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)

    def chunks(self) -> Any:
        size = FIRST_PIECE
        for chunk in self._source.chunks():
            at = 0
            while at < len(chunk):
                yield chunk[at:at + size]
                self._between()
                at, size = at + size, PIECE
