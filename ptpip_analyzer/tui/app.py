"""The TUI's App: panes, keys, and the wiring of messages between them (no decoding here).

    Header      file name, records, load progress
    FilterBar   / display filter, : go to frame (hidden until asked for)
    panes       packets (list, detail tree, hex, Wireshark layers) | transactions | sessions
                | findings | graphs, one shown at a time (p t s f g)
    Footer      the keys

Loading runs in a thread worker (``CaptureLoader``) that posts ``Loaded`` messages, at most
ten a second; each one grows the tables. Filters and scopes ("this transaction's packets",
"this session", a time range) become ``MatchIndex`` views over the same rows.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, Footer, Header

from ..engine import Engine, EngineOptions
from ..model import Packet
from ..sources.live import LiveError
from ..terminal_text import escape
from .detail import DetailTree
from .filter_bar import FilterBar
from .graphs import GraphsPane, RangeBar
from .help import HelpScreen
from .hex_view import HexView
from .layers import LayersTree, tshark_layers
from .line_table import LineTable
from .loader import ByteInput, CaptureLoader, Progress, SessionsView
from .match_index import FIRST_PAGE_S, MatchIndex
from .rows import (
    FINDING_COLUMNS,
    TRANSACTION_COLUMNS,
    FrameRows,
    PacketRows,
    finding_row,
    transaction_row,
)
from .sessions import SESSION_COLUMNS, SessionTree, session_row, session_tree

if TYPE_CHECKING:
    from ..decode.tree import Node

PANES = {"p": "packets", "t": "transactions", "s": "sessions", "f": "findings", "g": "graphs"}
TABLE_OF_PANE = {"packets": "packets", "transactions": "transactions", "findings": "findings"}
SEVERITY = {"note": 0, "warning": 1, "error": 2}
RESIZE_EVERY_S = 0.5  # while loading, the table shown is resized at most this often


class Loaded(Message):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class SessionsChanged(Message):
    def __init__(self, view: SessionsView) -> None:
        super().__init__()
        self.view = view


class Scanned(Message):
    """A filter's background scan found more rows."""

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table


class BytesRead(Message):
    def __init__(self, index: int, got: Any) -> None:
        super().__init__()
        self.index, self.got = index, got  # a store.PacketBytes


class LayersFetched(Message):
    def __init__(self, frame: int, lines: list[tuple[int, str]] | str) -> None:
        super().__init__()
        self.frame, self.lines = frame, lines


@dataclass(slots=True)
class Scope:
    """A restriction of the packets pane beside the filter (from other panes)."""

    label: str
    streams: frozenset[int] | None = None
    transaction_id: int | None = None
    times: tuple[float, float] | None = None


_Handler = TypeVar("_Handler", bound=Callable[..., None])


def _while_shown(handler: _Handler) -> _Handler:
    """A worker thread's news handled only while the app's panes exist: what a worker posted
    just before the app began to close arrives after its screen's widgets were removed, and
    is dropped rather than looked up in a screen that is gone."""
    @functools.wraps(handler)
    def handle(app: PtpipApp, message: Message) -> None:
        if app.query(ContentSwitcher):
            handler(app, message)
    return handle  # type: ignore[return-value]


class PtpipApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "ptpip-analyzer"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pane('packets')", "packets"),
        Binding("t", "pane('transactions')", "transactions"),
        Binding("s", "pane('sessions')", "sessions"),
        Binding("f", "pane('findings')", "findings"),
        Binding("g", "pane('graphs')", "graphs"),
        Binding("slash", "filter", "filter"),
        Binding("colon", "goto", "go to frame"),
        Binding("n", "next_match(False)", "next"),
        Binding("N", "next_match(True)", "previous", key_display="N"),
        Binding("x", "toggle_hex", "hex"),
        Binding("w", "toggle_layers", "Wireshark"),
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("q", "quit", "quit"),
        Binding("escape", "clear_scope", "clear", show=False),
    ]

    def __init__(self, source: ByteInput, options: EngineOptions | None = None,
                 name: str | None = None, auto_scroll: bool | None = None) -> None:
        super().__init__()
        base = options or EngineOptions()
        # the packet list reads the store: the packets table's columns would only cost
        self.engine = Engine(base.with_(tables=True, store=True, packet_columns=False))
        self.source = source
        self.loader = CaptureLoader(source, self.engine, self._post_from_loader)
        self.capture_name = escape(name or Path(source.path).name)
        store = self.engine.store
        assert store is not None
        self.packet_rows = PacketRows(store, self.engine.vendor_of, self._session_of)
        self.transaction_rows = FrameRows(TRANSACTION_COLUMNS, transaction_row)
        self.finding_rows = FrameRows(FINDING_COLUMNS, finding_row)
        from .rows import FrameRows as _Rows
        self.session_rows = _Rows(SESSION_COLUMNS, session_row)
        self.sessions_view: SessionsView | None = None
        self.filters: dict[str, Any] = {}  # table -> compiled Filter
        self.searches: dict[str, Any] = {}  # table -> the last filter applied (for n / N)
        self.indexes: dict[str, MatchIndex] = {}  # table -> the view being shown
        self.scope: Scope | None = None
        self.time_range: tuple[float, float] | None = None
        self.loading_done = False
        self.started = time.perf_counter()
        self._resized = 0.0
        self.first_rows_s: float | None = None  # time to first rows (for the benchmark)
        self.done_s: float | None = None
        self.follow = bool(getattr(source, "follow", False) or source.path == "-") \
            if auto_scroll is None else auto_scroll

    def _session_of(self, stream: int) -> int | None:
        validator = self.engine.validator
        return validator.session_of(stream) if validator is not None else None

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBar(id="filter-bar")
        with ContentSwitcher(initial="packets", id="panes"):
            with Vertical(id="packets"):
                yield LineTable(self.packet_rows, id="packet-list")
                with Horizontal(id="packet-lower"):
                    yield DetailTree(id="detail")
                    yield HexView(id="hex")
                    yield LayersTree(id="layers")
            yield LineTable(self.transaction_rows, id="transactions")
            with Horizontal(id="sessions"):
                yield LineTable(self.session_rows, id="session-list")
                yield SessionTree(id="session-detail")
            yield LineTable(self.finding_rows, id="findings")
            yield GraphsPane(id="graphs")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"ptpip-analyzer: {self.capture_name}"
        self.sub_title = "loading"
        self.query_one("#packet-list", LineTable).auto_scroll = self.follow
        graphs = self.query_one(GraphsPane)
        graphs.throughput = self.loader.throughput
        graphs.transactions = lambda: self.transaction_rows.frame
        self.query_one("#packet-list").focus()
        if "packets" in self.filters:
            self.query_one(FilterBar).filters["packets"] = self.filters["packets"].text
            self.apply_view("packets")
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            self.loader.run()
        except OSError as exc:
            self.post_message(Loaded(Progress(0, 0, None, None, None, True,
                                              f"{exc.strerror or exc}: {exc.filename}")))
        except LiveError as exc:  # dumpcap could not start: what to do, in the header
            self.post_message(Loaded(Progress(self.engine.records, self.source.bytes_read,
                                              None, None, None, True, str(exc))))

    def _post_from_loader(self, item: Progress | SessionsView) -> None:
        self.post_message(Loaded(item) if isinstance(item, Progress) else SessionsChanged(item))

    def on_unmount(self) -> None:
        self.loader.stop()
        for index in self.indexes.values():
            index.cancelled = True

    # -- loading ------------------------------------------------------------------------------
    @_while_shown
    def on_loaded(self, message: Loaded) -> None:
        p = message.progress
        self.packet_rows.count = p.records
        if p.records and self.first_rows_s is None:
            self.first_rows_s = time.perf_counter() - self.started
        if p.findings is not None:
            self._add_findings(p.findings, replace=p.done)
        if p.transactions is not None:
            self.transaction_rows.extend(p.transactions)
        if p.transaction_updates is not None:  # findings that came after the rows
            self.transaction_rows.update(p.transaction_updates)
            self._table_widget("transactions").invalidate()
            if "transactions" in self.indexes:  # a filter may judge them otherwise now
                self.apply_view("transactions")
        self.loading_done = p.done
        # A table's new size and the header's new text are layout changes, and a layout
        # change redraws the whole screen (~30 ms): the pane shown grows at once for its
        # first page, then, with the header, at most every RESIZE_EVERY_S; hidden panes
        # when they are shown.
        now = time.perf_counter()
        resize = p.done or now - self._resized >= RESIZE_EVERY_S
        if resize or self._resized == 0.0:
            self._status(p)
        shown = self.query_one(ContentSwitcher).current
        for table in ("packets", "transactions", "findings"):
            visible = table == shown and (resize or self._table_widget(table).count
                                          < self._table_widget(table).size.height)
            self._grow(table, invalidate=p.done, resize=visible or p.done)
        if resize:
            self._resized = now
            if shown == "graphs":
                self.query_one(GraphsPane).redraw()
        if p.done:
            self.done_s = time.perf_counter() - self.started

    def _add_findings(self, frame: Any, replace: bool) -> None:
        (self.finding_rows.replace if replace else self.finding_rows.extend)(frame)
        severity = self.packet_rows.severity
        for at, level in zip(frame["frame"], frame["severity"], strict=True):
            rank = SEVERITY.get(str(level), 1)
            severity[int(at)] = max(rank, severity.get(int(at), -1))

    def _status(self, p: Progress) -> None:
        interface = getattr(self.source, "interface", None)  # a live capture
        if interface is not None:
            done = "capture ended" if p.done else f"capturing on {escape(str(interface))}"
        else:
            done = "loaded" if p.done else (f"{100 * p.bytes_read / p.size:.0f}% read"
                                            if p.size else f"{p.bytes_read / 1e6:.1f} MB read")
        losses, lost = p.losses, ""
        if losses is not None and interface is not None:  # live: always, drops first
            lost = f"; {losses.text()}"
        elif losses is not None and (losses.gap_bytes or losses.dropped):
            lost = f"; {losses.text(quiet=True)}"
        error = f"; {escape(p.error)}" if p.error else ""
        self.sub_title = (f"{p.records:,} records, {len(self.transaction_rows):,} transactions, "
                          f"{len(self.finding_rows):,} findings; {done}{lost}{error}")

    def _grow(self, table: str, invalidate: bool = False, resize: bool = True) -> None:
        widget = self._table_widget(table)
        index = self.indexes.get(table)
        if index is not None and index.scanned < self._total(table):
            self._scan_rest(table, index)
        if resize:
            widget.grow()
        if invalidate:
            widget.invalidate()

    @_while_shown
    def on_sessions_changed(self, message: SessionsChanged) -> None:
        self.sessions_view = message.view
        self.session_rows.replace(message.view.sessions)
        table = self.query_one("#session-list", LineTable)
        table._count = -1
        table.grow()
        table.invalidate()

    # -- panes --------------------------------------------------------------------------------
    def action_pane(self, pane: str) -> None:
        self.query_one(ContentSwitcher).current = pane
        if pane in TABLE_OF_PANE:
            self._table_widget(pane).grow()  # it may have grown while hidden
        focus = {"packets": "#packet-list", "sessions": "#session-list",
                 "graphs": "#range-bar"}.get(pane, f"#{pane}")
        self.query_one(focus).focus()
        if pane == "graphs":  # after the layout: the bins follow the pane's width
            self.query_one(GraphsPane).subset = self._packet_series()
            self.call_after_refresh(self.query_one(GraphsPane).redraw)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_hex(self) -> None:
        self.query_one("#hex").toggle_class("hidden")

    def action_toggle_layers(self) -> None:
        layers = self.query_one("#layers", LayersTree)
        layers.toggle_class("shown")
        if layers.has_class("shown"):
            self._fetch_layers()

    def _packet_series(self) -> tuple[str, Callable[[], list[tuple[list[float], list[int]]]]] \
            | None:
        """The graphs of the packets pane's filter or scope: its packets' times and lengths."""
        index = self.indexes.get("packets")
        if index is None:
            return None
        store = self.engine.store
        assert store is not None

        def series() -> list[tuple[list[float], list[int]]]:
            out: list[tuple[list[float], list[int]]] = [([], []), ([], [])]
            for i in index.matches[:]:
                r = store.record(i)
                out[r.direction][0].append(r.time)
                out[r.direction][1].append(r.length)
            return out
        label = self._table_widget("packets").border_title
        return str(label or "filtered"), series

    def _current_table(self) -> str | None:
        return TABLE_OF_PANE.get(self.query_one(ContentSwitcher).current or "")

    def _table_widget(self, table: str) -> LineTable:
        return self.query_one("#packet-list" if table == "packets" else f"#{table}", LineTable)

    def _total(self, table: str) -> int:
        rows: dict[str, Sized] = {"packets": self.packet_rows,
                                  "transactions": self.transaction_rows,
                                  "findings": self.finding_rows}
        return len(rows[table])

    # -- the packet selected --------------------------------------------------------------------
    @on(LineTable.Highlighted, "#packet-list")
    def packet_highlighted(self, event: LineTable.Highlighted) -> None:
        if not self.query(DetailTree):  # the app is closing: its panes are gone
            return
        store = self.engine.store
        assert store is not None
        stored = store[event.index]
        vendor = self.engine.vendor_of(stored.record.stream)
        note = store.annotation(event.index, vendor)
        from ..decode import describe
        findings = [f for f in self.engine.findings[:] if f.frame == stored.record.frame]
        extra = _finding_nodes(findings)
        self.query_one(DetailTree).show(describe.detail_tree(stored.record, note), extra)
        record = stored.record
        if isinstance(record, Packet) and len(record.raw) < record.length:
            # a bulk Data packet: re-read from the file (up to 16 MiB) off the event loop
            self.query_one(HexView).show(record.raw, "reading the payload from the capture...")
            self._bytes_worker(event.index)
        else:
            got = store.bytes_of(event.index)
            self.query_one(HexView).show(got.data, got.note)
        if self.query_one("#layers").has_class("shown"):
            self._fetch_layers()

    @work(thread=True, exclusive=True, group="bytes")
    def _bytes_worker(self, index: int) -> None:
        store = self.engine.store
        assert store is not None
        self.post_message(BytesRead(index, store.bytes_of(index)))

    @_while_shown
    def on_bytes_read(self, message: BytesRead) -> None:
        if self.query_one("#packet-list", LineTable).source_index() == message.index:
            self.query_one(HexView).show(message.got.data, message.got.note)

    @on(DetailTree.FieldSelected)
    def field_selected(self, event: DetailTree.FieldSelected) -> None:
        self.query_one(HexView).highlight(event.span)

    def _fetch_layers(self) -> None:
        index = self.query_one("#packet-list", LineTable).source_index()
        layers = self.query_one("#layers", LayersTree)
        if index is None:
            layers.say("no packet selected")
            return
        if not getattr(self.source, "seekable", False):
            layers.say("Wireshark's view needs a capture file (this input is a pipe)")
            return
        frame = self.engine.store.frame_of(index)  # type: ignore[union-attr]
        layers.say(f"asking tshark for frame {frame} ...")
        self._layers_worker(self.source.path, frame)

    @work(thread=True, exclusive=True, group="layers")
    def _layers_worker(self, path: str, frame: int) -> None:
        self.post_message(LayersFetched(frame, tshark_layers(path, frame)))

    @_while_shown
    def on_layers_fetched(self, message: LayersFetched) -> None:
        layers = self.query_one("#layers", LayersTree)
        if isinstance(message.lines, str):
            layers.say(message.lines)
        else:
            layers.show_lines(message.frame, message.lines)

    # -- jumps from the other panes ---------------------------------------------------------
    @on(LineTable.Selected, "#findings")
    def finding_selected(self, event: LineTable.Selected) -> None:
        frame = self.finding_rows.record(event.index).get("frame")
        if frame is not None:
            self.go_to_frame(int(frame))

    @on(LineTable.Selected, "#transactions")
    def transaction_selected(self, event: LineTable.Selected) -> None:
        t = self.transaction_rows.record(event.index)
        self.set_scope(Scope(f"transaction {t['transaction_id']} ({t['opcode_name']})",
                             frozenset({int(t["stream"])}), int(t["transaction_id"])))

    @on(LineTable.Selected, "#session-list")
    def session_selected(self, event: LineTable.Selected) -> None:
        s = self.session_rows.record(event.index)
        streams = {int(s["command_stream"])}
        if s.get("event_stream") is not None:
            streams.add(int(s["event_stream"]))
        self.set_scope(Scope(f"session {s['session']}", frozenset(streams)))

    @on(LineTable.Highlighted, "#session-list")
    def session_highlighted(self, event: LineTable.Highlighted) -> None:
        if self.sessions_view is None:
            return
        s = self.session_rows.record(event.index)
        store = self.engine.store
        assert store is not None
        self.query_one(SessionTree).show(session_tree(s, self.sessions_view, store))

    @on(RangeBar.RangeChosen)
    def range_chosen(self, event: RangeBar.RangeChosen) -> None:
        graphs = self.query_one(GraphsPane)
        self.time_range = None if event.columns is None else graphs.time_of_columns(event.columns)
        if self.time_range is None:
            self.set_scope(None)
            return
        lo, hi = self.time_range
        t0 = graphs.span[0]
        self.set_scope(Scope(f"{lo - t0:.3f}-{hi - t0:.3f} s", times=self.time_range))
        self.apply_view("transactions")

    def go_to_frame(self, frame: int) -> None:
        store = self.engine.store
        assert store is not None
        index = store.index_at_frame(frame)
        self.action_pane("packets")
        if index is None:
            self.notify(f"no record at frame {frame} or after it", severity="warning")
            return
        table = self.query_one("#packet-list", LineTable)
        if not table.move_to_source(index):
            self.set_scope(None)
            self.filters.pop("packets", None)
            self.apply_view("packets")
            table.move_to_source(index)
            self.notify(f"frame {frame} was hidden by the filter: cleared it")

    def set_scope(self, scope: Scope | None) -> None:
        self.scope = scope
        if scope is None or scope.times is None:
            self.time_range = None
        self.action_pane("packets")
        self.apply_view("packets")
        if scope is None:
            self.apply_view("transactions")

    def action_clear_scope(self) -> None:
        if self.scope is not None:
            self.set_scope(None)

    # -- filters ------------------------------------------------------------------------------
    def action_filter(self) -> None:
        table = self._current_table() or "packets"
        if self._current_table() is None:
            self.action_pane("packets")
        self.query_one(FilterBar).open("filter", table)

    def action_goto(self) -> None:
        self.query_one(FilterBar).open("goto")

    @on(FilterBar.Submitted)
    def filter_submitted(self, event: FilterBar.Submitted) -> None:
        bar = self.query_one(FilterBar)
        if event.mode == "goto":
            if not event.text.isdigit():
                bar.show_error((0, "a frame number"))
                return
            bar.action_close()
            self.go_to_frame(int(event.text))
            return
        table = self._current_table() or "packets"
        if event.text:
            try:
                from ..filters import FilterError, compile_filter
            except ImportError:
                bar.show_error((0, "display filters are not available in this version"))
                return
            try:
                self.filters[table] = compile_filter(event.text, table)
            except FilterError as exc:
                bar.show_error((exc.position, exc.message))
                return
            self.searches[table] = self.filters[table]
        else:
            self.filters.pop(table, None)
        bar.filters[table] = event.text
        bar.action_close()
        self.apply_view(table)

    @on(FilterBar.Closed)
    def filter_closed(self) -> None:
        self._table_widget(self._current_table() or "packets").focus()

    def _test(self, table: str) -> Callable[[int], bool] | None:
        """The row test of ``table`` now: its filter and, for packets and transactions, the
        scope or time range; None when every row is shown."""
        f = self.filters.get(table)
        if table == "packets":
            return self._packet_test(f)
        rows = self.transaction_rows if table == "transactions" else self.finding_rows
        tests: list[Callable[[int], bool]] = []
        if f is not None:
            tests.append(lambda i: f.matches(rows.record(i)))
        if table == "transactions" and self.time_range is not None:
            lo, hi = self.time_range
            tests.append(lambda i: _in_time(rows.record(i).get("start"), lo, hi))
        if not tests:
            return None
        return lambda i: all(t(i) for t in tests)

    def _packet_test(self, f: Any) -> Callable[[int], bool] | None:
        scope, store, rows = self.scope, self.engine.store, self.packet_rows
        assert store is not None
        if f is None and scope is None:
            return None
        record = store.record

        def in_scope(i: int) -> bool:
            assert scope is not None
            r = record(i)
            if scope.streams is not None and r.stream not in scope.streams:
                return False
            if scope.transaction_id is not None and (
                    not isinstance(r, Packet) or r.transaction_id != scope.transaction_id):
                return False
            return scope.times is None or scope.times[0] <= r.time < scope.times[1]

        if f is None:
            return in_scope
        if scope is None:
            return lambda i: f.matches(rows.packet_row(i))
        return lambda i: in_scope(i) and f.matches(rows.packet_row(i))

    def apply_view(self, table: str) -> None:
        """Show ``table`` through its filter and scope: the first page found here, the rest
        by a worker."""
        old = self.indexes.pop(table, None)
        if old is not None:
            old.cancelled = True
        widget = self._table_widget(table)
        test = self._test(table)
        if test is None:
            widget.set_view(None)
            self._label(table)
            return
        index = MatchIndex(test)
        self.indexes[table] = index
        index.scan(self._total(table), want=max(50, widget.size.height), budget_s=FIRST_PAGE_S)
        widget.set_view(index)  # type: ignore[arg-type]
        self._label(table)
        if index.scanned < self._total(table):
            self._scan_rest(table, index)

    def _label(self, table: str) -> None:
        widget = self._table_widget(table)
        parts = []
        if table == "packets" and self.scope is not None:
            parts.append(self.scope.label)
        f = self.filters.get(table)
        if f is not None:
            parts.append(escape(f.text))
        widget.border_title = " and ".join(parts) or None

    @work(thread=True, group="scan")
    def _scan_rest(self, table: str, index: MatchIndex) -> None:
        if getattr(index, "scanning", False):
            return
        index.scanning = True  # type: ignore[attr-defined]
        try:
            while not index.cancelled and index.scanned < self._total(table):
                index.scan(self._total(table), budget_s=0.1)
                self.post_message(Scanned(table))
        finally:
            index.scanning = False  # type: ignore[attr-defined]

    @_while_shown
    def on_scanned(self, message: Scanned) -> None:
        index = self.indexes.get(message.table)
        if index is not None and index.error is not None:
            self.notify(f"filter stopped: {escape(index.error)}", severity="error")
            index.error = None
        self._table_widget(message.table).grow()

    def action_next_match(self, backwards: bool) -> None:
        table = self._current_table() or "packets"
        widget = self._table_widget(table)
        if widget.view is not None and table in self.filters:  # the rows shown are matches
            widget.action_cursor(-1 if backwards else 1)
            return
        search = self.searches.get(table)
        if search is None:
            self.notify("no filter to match: / sets one", severity="warning")
            return
        test = self._search_test(table, search)
        here = widget.source_index() or 0
        found = MatchIndex(test).next_after(here, self._total(table), backwards)
        if found is None:
            self.notify("no more matches")
        elif not widget.move_to_source(found):
            self.notify("the next match is outside the current scope")

    def _search_test(self, table: str, f: Any) -> Callable[[int], bool]:
        if table == "packets":
            return lambda i: bool(f.matches(self.packet_rows.packet_row(i)))
        rows = self.transaction_rows if table == "transactions" else self.finding_rows
        return lambda i: bool(f.matches(rows.record(i)))


def _in_time(value: Any, lo: float, hi: float) -> bool:
    return value is not None and lo <= value.timestamp() < hi


def _finding_nodes(findings: list[Any]) -> list[Node]:
    from ..decode.tree import Node
    if not findings:
        return []
    return [Node(f"Findings ({len(findings)})", "", [
        Node(f"{f.severity.name.lower()} {f.rule}", escape(f.message)) for f in findings])]


def run_app(path: str, options: EngineOptions, follow: bool = False,
            name: str | None = None, packets_filter: Any = None,
            source: ByteInput | None = None) -> None:
    """The app on a capture file (``path``), or on another byte source (a live capture)."""
    if source is None:
        from ..sources.byte_source import ByteSource
        source = ByteSource(path, follow=follow)
    app = PtpipApp(source, options, name=name or Path(path).name, auto_scroll=follow)
    if packets_filter is not None:  # -Y: the packets pane starts filtered
        app.filters["packets"] = app.searches["packets"] = packets_filter
    app.run()
