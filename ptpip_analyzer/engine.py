"""The analysis engine: the one object that wires every stage, for every face.

    capture bytes ─► CaptureReader ─► link/IP/TCP ─► Dissector (reassembly, framing, decode)
        ─► Annotator (vendor, datasets) ─► Validator (findings) ─► tables, record store

``Engine`` is sans-IO: ``feed_bytes`` (a capture file's bytes, as they come), ``feed_frames``
(captured frames) or ``feed_records`` (decoded records, for transcripts) hand back the records
that became known, each with its annotation and findings; ``snapshot()`` gives every table at
any moment without disturbing the run; ``close()`` ends it. Files, pipes, stdin and live
capture differ only in who calls ``feed_bytes`` (``sources.byte_source`` for the first three).
Every command, ``load()`` and the TUI go through here; no other module wires stages.

    >>> engine = Engine(EngineOptions(tables=True))
    >>> for chunk in chunks:                      # a pipe, a socket, a growing file
    ...     for item in engine.feed_bytes(chunk):
    ...         print(item.record.frame, item.findings)
    ...     capture = engine.snapshot()           # pandas tables so far (non-destructive)
    >>> engine.close()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .discovery.decoder import DiscoveryDecoder
from .model import Connection, Direction, FrameProblem, Packet, Record
from .pipeline import DissectOptions, Dissector, StreamAccounting
from .sources.byte_source import ByteSource
from .sources.capture_file import CaptureReader, InterfaceStatistics, RawFrame
from .sources.link import SUPPORTED_LINKTYPES, FrameStats, tcp_segments

if TYPE_CHECKING:
    from .analyze.capture import Capture
    from .analyze.collect import CaptureCollector
    from .analyze.transactions import Transaction, ValidationResult
    from .decode.annotate import Annotation, Annotator
    from .decode.session_vendor import SessionVendors
    from .decode.vendor import VendorDetector
    from .model import Finding
    from .sources.live import DumpcapSource
    from .store import RecordStore
    from .validate import Validator
    from .validate.command import TransactionState


@dataclass(frozen=True, slots=True)
class EngineOptions(DissectOptions):
    """Every option of an analysis run; the CLI's input flags map onto these one to one.
    The dissection options (ports, heuristics, keep_payload, max_pending, max_packet_length)
    are ``DissectOptions``'; these add the vendor and which stages run."""

    vendor: str | None = None  # name vendor codes from this table instead of detecting it
    annotate: bool = True  # vendor detection, named parameters, decoded datasets
    # without annotate: the vendor per session alone (``SessionVendors``: the few records
    # that tell it), for a face that only names codes (``transactions``: ~25% of its time)
    vendors: bool = False
    validate: bool = True  # the protocol validator's findings and transactions
    tables: bool = False  # collect the pandas tables (``snapshot()``)
    store: bool = False  # keep every record for random access (``store``)
    # the packets table's columns; False keeps only frame, time and stream (what findings and
    # properties need), for a face that reads packets from the store: the TUI (500,000
    # packets: -150 MB, and ~20 µs less per packet)
    packet_columns: bool = True

    def with_(self, **changes: Any) -> EngineOptions:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        if "ports" in changes:
            values["ports"] = frozenset(values["ports"])
        return EngineOptions(**values)


_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)


@dataclass(frozen=True, slots=True)
class Losses:
    """What a run did not see: the capture's own drops (pcapng interface statistics, None when
    the source reports none) and the TCP bytes reassembly found missing (gaps)."""

    dropped: int | None
    received: int | None
    gap_bytes: int

    def text(self, quiet: bool = False) -> str:
        """``drops: N; TCP bytes lost (gaps): M``; ``quiet``: only the parts that are not 0."""
        drops = "drops: not reported" if self.dropped is None else f"drops: {self.dropped:,}"
        gaps = f"TCP bytes lost (gaps): {self.gap_bytes:,}"
        if quiet:
            return "; ".join(part for part, n in ((drops, self.dropped), (gaps, self.gap_bytes))
                             if n)
        return f"{drops}; {gaps}"


class Item(NamedTuple):
    """One record that became known: where, what, its PTP meaning and the findings it drew."""

    # position in the run's record sequence (the record store's key); shadows tuple.index
    index: int  # type: ignore[assignment]
    conn: Connection
    record: Record
    annotation: Annotation | None
    findings: tuple[Finding, ...]


class Engine:
    """Capture bytes, frames or records in; records, findings and tables out (sans-IO)."""

    def __init__(self, options: EngineOptions = EngineOptions()) -> None:
        self.options = options
        self.reader = CaptureReader()
        self.frame_stats = FrameStats()
        self.dissector = Dissector(options)
        # SSDP / mDNS / UPnP description records, decoded as their datagrams (and the HTTP of
        # a LOCATION) arrive; every face reads ``discovery.records``
        self.discovery = DiscoveryDecoder()
        self.frame_stats.on_datagram = self.discovery.datagram
        self.annotator: Annotator | None = None
        self.vendors: SessionVendors | None = None  # (options.vendors)
        self.validator: Validator | None = None
        self.collector: CaptureCollector | None = None
        self.store: RecordStore | None = None
        # every finding so far, in the order raised (only appended to: a view's cursor into it
        # stays valid; snapshot() and validation_of() give them by frame)
        self.findings: list[Finding] = []
        self._wire_analysis(options)
        self.records = 0
        self.t0: float | None = None
        self.closed = False
        self.error: str | None = None  # why reading stopped early, if it did
        self._byte_input = False  # fed capture bytes (then the reader's end is checked)
        # told of every finding as soon as it is raised (live output prints them at once)
        self.finding_listeners: list[Callable[[Finding], None]] = []

    def _wire_analysis(self, options: EngineOptions) -> None:
        # Imported here: plain dissection starts without datasets, vendor tables or pandas.
        if options.annotate or options.tables:
            from .decode.annotate import Annotator
            self.annotator = Annotator(options.vendor)
        elif options.vendors:
            from .decode.session_vendor import SessionVendors
            self.vendors = SessionVendors(options.vendor)
        if options.validate or options.tables:
            from .validate import Validator
            self.validator = Validator()
            self.validator.watch(self.dissector.connections)  # Fuji's silent event connections
        if options.tables:
            from .analyze.collect import CaptureCollector
            assert self.annotator is not None
            self.collector = CaptureCollector(self.annotator, findings=self.findings,
                                              packet_columns=options.packet_columns)
        if options.store:
            from .store import RecordStore
            self.store = RecordStore()

    # -- input --------------------------------------------------------------------------------
    def feed_bytes(self, data: bytes) -> list[Item]:
        """Bytes of a pcap/pcapng capture (possibly compressed), in any pieces."""
        self._byte_input = True
        self.reader.push(data)
        return self.feed_frames(self.reader.frames())

    def feed_frames(self, frames: Iterable[RawFrame]) -> list[Item]:
        """Captured frames, numbered from 1 in the order they are fed."""
        out: list[Item] = []
        dissector = self.dissector
        feed, pending = dissector.flows.feed, dissector.pending
        # the validator's clock: the segment that completes records holds their last bytes
        # (a transaction's transfer time ends there, not at its last packet's first frame)
        clock = self.validator.clock if self.validator is not None else None
        # the servers SSDP LOCATIONs named (filled in place as they are seen): TCP to them is
        # the device description's HTTP; empty in nearly every capture
        servers, discovery = self.discovery.servers, self.discovery
        # Per-segment hot path: straight into the flow table; records are collected only when
        # framing produced some (once per PTP/IP packet, not per segment).
        for segment in tcp_segments(frames, self.frame_stats):
            feed(segment)
            if servers:
                discovery.segment(segment)
            if pending:
                if clock is not None:
                    clock.time = segment.time
                self._items(dissector.collect(), out)
        return out

    def feed_records(self, pairs: Iterable[tuple[Connection, Record]]) -> list[Item]:
        """Already decoded records (transcript tests, a second engine over a first one)."""
        out: list[Item] = []
        self._items(list(pairs), out)
        return out

    def close(self) -> list[Item]:
        """End of input: the records still buffered, then the end-of-capture findings."""
        if self.closed:
            return []
        self.closed = True
        out = self.feed_frames(self.reader.close()) if self._byte_input else []
        self.discovery.close()
        if self.validator is not None:
            self.validator.clock.time = None  # what the end releases was whole earlier
        self._items(self.dissector.close(), out)
        self.error = self._reading_error()
        if self.annotator is not None and self.collector is not None:
            self.collector.close_phases()
        if self.validator is not None:
            self._found(self.validator.close())
            self._found(self._tcp_findings())
        self.dissector.release()  # no more input: the tables built next reuse that memory
        return out

    def _tcp_findings(self) -> list[Finding]:
        """Resets that cut a transaction off, stalls (validate/tcp.py), and event connections
        the camera closed in an open session (PTPIP-EV-004)."""
        from .validate.tcp import tcp_findings
        assert self.validator is not None
        from .validate.validator import closes_of
        flows = self.dissector.flows
        return tcp_findings(flows.connections, flows.tcp, self.validator) + \
            self.validator.connections_closed(closes_of(flows.connections, flows.tcp))

    def _found(self, new: list[Finding]) -> None:
        self.findings += new
        for listener in self.finding_listeners:
            for finding in new:
                listener(finding)

    def _items(self, pairs: list[tuple[Connection, Record]], out: list[Item]) -> None:
        """Each record through the analysis stages in order (per PTP/IP packet: hot)."""
        if not pairs:
            return
        if self.t0 is None:
            self.t0 = pairs[0][1].time
        annotator, validator, collector, store = (self.annotator, self.validator,
                                                  self.collector, self.store)
        index, append, new_item = self.records, out.append, _new_tuple
        no_findings: tuple[Finding, ...] = ()
        if annotator is None and collector is None and store is None:
            vendors = self.vendors
            for conn, record in pairs:  # dissect and validate: the lean loop
                if vendors is not None:
                    vendors.feed(conn, record)
                found = no_findings
                if validator is not None:
                    new = validator.feed(conn, record)
                    if new:
                        found = tuple(new)
                        self._found(new)
                append(new_item(Item, (index, conn, record, None, found)))
                index += 1
            self.records = index
            return
        for conn, record in pairs:
            note = annotator.feed(conn, record) if annotator is not None else None
            found = no_findings
            if validator is not None:
                new = validator.feed(conn, record)
                if new:
                    found = tuple(new)
                    self._found(new)
            if collector is not None:
                assert note is not None
                collector.feed(conn, record, note)
            if store is not None:
                if (record.stream, record.direction) not in store.bases:
                    self._learn_base(conn, record.direction)
                store.add(conn, record, note)
            append(new_item(Item, (index, conn, record, note, found)))
            index += 1
        self.records = index

    def _learn_base(self, conn: Connection, direction: Direction) -> None:
        """The record store re-reads bytes by sequence number: keep the stream's first one."""
        src, dst = conn.endpoints(direction)
        entry = self.dissector.flows.flows.get((src.address, src.port, dst.address, dst.port))
        base = entry[0].halves[direction].base if entry is not None else None
        if base is not None and self.store is not None:
            self.store.bases[(conn.stream, direction)] = base

    def attach_file(self, path: str) -> None:
        """The bytes fed come from this seekable, uncompressed file: the record store may
        re-read packets from it."""
        if self.store is not None:
            self.store.path = path
            self.store.checkpoints = self.reader.checkpoints

    # -- state --------------------------------------------------------------------------------
    @property
    def connections(self) -> list[Connection]:
        return self.dissector.connections

    @property
    def accounting(self) -> dict[tuple[int, Direction], StreamAccounting]:
        return self.dissector.accounting

    @property
    def problems(self) -> list[FrameProblem]:
        return self.frame_stats.problems

    @property
    def interface_statistics(self) -> list[InterfaceStatistics]:
        return self.reader.statistics

    def losses(self) -> Losses:
        """Capture drops and TCP gap bytes so far (cheap: one pass over the connections)."""
        stats = self.reader.statistics
        drops = [s.dropped for s in stats if s.dropped is not None]
        received = [s.received for s in stats if s.received is not None]
        return Losses(sum(drops) if drops else None, sum(received) if received else None,
                      sum(books.gaps for books in self.dissector.accounting.values()))

    @property
    def first_frame_time(self) -> float | None:
        """The capture's first frame's timestamp, PTP/IP or not (Wireshark's time 0)."""
        return self.frame_stats.first_time

    def oldest_open_frame(self) -> int | None:
        """The lowest frame a record still to come can carry (None: only later frames);
        records up to it can be shown in frame order (``frame_order``)."""
        return self.dissector.oldest_open_frame()

    @property
    def unusable(self) -> bool:
        """Nothing could be read at all: only unsupported link types."""
        stats = self.frame_stats
        return bool(stats.frames and sum(stats.unknown_linktypes.values()) == stats.frames)

    def _vendor_detector(self) -> VendorDetector | None:
        if self.annotator is not None:
            return self.annotator.vendors
        return self.vendors.detector if self.vendors is not None else None

    def vendor_of(self, stream: int) -> str | None:
        """The vendor table in force for a connection now (None: standard names only)."""
        detector = self._vendor_detector()
        if detector is None:
            return self.options.vendor
        conn = self.dissector.connection(stream)
        return detector.vendor(conn) if conn is not None else None

    def vendor_reasons(self, stream: int) -> list[str]:
        """Why ``vendor_of`` says what it says: the evidence seen for the connection's session,
        one line each (empty: none seen, or the vendor was given as an option)."""
        detector = self._vendor_detector()
        if detector is None or detector.override is not None:
            return []
        conn = self.dissector.connection(stream)
        if conn is None:
            return []
        from .decode.vendor import session_key
        evidence = detector.sessions.get(session_key(conn))
        return list(evidence.reasons) if evidence is not None else []

    def transactions(self) -> Sequence[TransactionState]:
        """Transactions so far by start frame: finished ones, then (until close) open ones
        (a view over the validator's packed store: each is made when read)."""
        if self.validator is None:
            return []
        done = self.validator.transactions()
        return done if self.closed else done.then(self.validator.open_transactions())

    def snapshot(self) -> Capture:
        """Every table as it stands (pandas; needs ``tables=True``). Non-destructive: open
        transactions show as not complete, and the run goes on unchanged."""
        if self.collector is None:
            raise ValueError("this engine collects no tables (EngineOptions(tables=True))")
        from .analyze.snapshot import capture_of  # pandas: only for engines with tables
        return capture_of(self)

    def rows_since(self, name: str, start: int) -> tuple[Any, int]:
        """Rows ``start`` onwards of an append-only table (a DataFrame) and the next cursor;
        see ``analyze.increments`` for which columns are resolved late."""
        from .analyze.increments import rows_since
        return rows_since(self, name, start)

    def rows_updated(self, name: str, delivered: int, seen: Any) -> tuple[Any, Any]:
        """Rows among the first ``delivered`` of ``name`` (transactions) whose late columns
        changed since ``seen`` (a later finding: their findings and status), indexed by
        position, and what is seen now; ``analyze.increments.rows_updated``."""
        from .analyze.increments import rows_updated
        return rows_updated(self, name, delivered, seen)

    def rows_available(self, name: str) -> int:
        """How many rows an append-only table has now (cheap: no rows are built)."""
        from .analyze.increments import rows_available
        return rows_available(self, name)

    def _reading_error(self) -> str | None:
        if self.reader.error is not None:
            return self.reader.error
        unknown = self.frame_stats.unknown_linktypes
        if unknown:
            kinds = ", ".join(f"{lt} ({n} frames)" for lt, n in sorted(unknown.items()))
            return f"unsupported link type {kinds}; supported: " \
                   f"{', '.join(map(str, sorted(SUPPORTED_LINKTYPES)))}"
        return None


def run(source: ByteSource | DumpcapSource, engine: Engine) -> Iterator[Item]:
    """Drive ``engine`` with everything ``source`` delivers, then close it."""
    for batch in run_batches(source, engine):
        yield from batch


def run_batches(source: ByteSource | DumpcapSource, engine: Engine) -> Iterator[list[Item]]:
    """``run``, one list of items per piece of input read (then the closing items)."""
    engine.feed_bytes(b"")  # byte input, even if the source turns out empty
    for chunk in source.chunks():
        yield engine.feed_bytes(chunk)
        if engine.reader.error is not None:
            break
    if source.seekable and engine.reader.compression is None:
        engine.attach_file(source.path)
    yield engine.close()


class Dissection:
    """A capture (file, ``-`` for stdin, or a pipe) being dissected: iterate ``records()``
    once; the rest is filled in as it goes. A thin face over ``Engine`` for code that wants
    ``(connection, record)`` pairs."""

    def __init__(self, path: str | Path, options: EngineOptions, follow: bool = False,
                 source: ByteSource | DumpcapSource | None = None) -> None:
        self.path = Path(path)
        self.source = source if source is not None else ByteSource(str(path), follow=follow)
        self.engine = Engine(options)

    def __getattr__(self, name: str) -> Any:
        """The engine's state (frame_stats, accounting, connections, problems, error,
        dissector, ...) as the dissection's own."""
        if name == "engine":
            raise AttributeError(name)
        return getattr(self.engine, name)

    def items(self) -> Iterator[Item]:
        """Records with their annotation and findings. Raises OSError if the input can't be
        opened; a non-capture ends the run with ``error`` set."""
        return run(self.source, self.engine)

    def batches(self) -> Iterator[list[Item]]:
        """``items()`` one list per piece of input read (the engine's state is current at
        each list's end: ``oldest_open_frame`` applies to it)."""
        return run_batches(self.source, self.engine)

    def records(self) -> Iterator[tuple[Connection, Record]]:
        for item in self.items():
            yield item.conn, item.record

    def bytes_read(self) -> int:
        return self.source.bytes_read


def dissect_file(path: str | Path, options: DissectOptions | EngineOptions | None = None,
                 follow: bool = False) -> Dissection:
    """Dissection only (no annotation or validation unless ``options`` asks for them)."""
    if options is None:
        options = DissectOptions()
    if not isinstance(options, EngineOptions):
        options = EngineOptions(**{f.name: getattr(options, f.name) for f in fields(options)},
                                annotate=False, validate=False)
    return Dissection(path, options, follow)


def validate_records(pairs: Iterable[tuple[Connection, Record]]) -> ValidationResult:
    """Validate a whole capture's ``(connection, record)`` stream, in capture order."""
    from .analyze.transactions import validation_of  # the validator's rows: only when asked
    engine = Engine(EngineOptions(annotate=False))
    engine.feed_records(pairs)
    engine.close()
    return validation_of(engine)


def iter_transactions(pairs: Iterable[tuple[Connection, Record]]) -> Iterator[Transaction]:
    """The transaction rows of a record stream (runs the validator)."""
    yield from validate_records(pairs).transactions


def packets_of(items: Iterable[Item]) -> Iterator[Packet]:
    return (item.record for item in items if isinstance(item.record, Packet))
