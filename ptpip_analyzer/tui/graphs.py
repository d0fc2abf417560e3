"""The graphs pane: throughput per direction over time and a transaction timeline, with a
time range that can be selected (and then filters the packets and transactions panes).

Textual's own ``Sparkline`` draws the series (hand-drawn bars looked the same and plotext
brought a second dependency for axes this pane does not need). The series are binned here,
one bin per column, from the loader's ``Throughput`` (each packet's time and length) and the
transactions table (start time, failed or not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label, Sparkline

if TYPE_CHECKING:
    import pandas as pd

    from .loader import Throughput


def bins(times: list[float], weights: list[int] | None, t0: float, t1: float,
         n: int) -> list[float]:
    """Sum of ``weights`` (or counts) per bin of [t0, t1) cut in ``n``."""
    out = [0.0] * n
    span = (t1 - t0) or 1.0
    for i, t in enumerate(times):
        b = min(n - 1, max(0, int((t - t0) / span * n)))
        out[b] += weights[i] if weights is not None else 1
    return out


class RangeBar(Widget, can_focus=True):
    """One line under the graphs: the cursor column and the selected range of columns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "earlier", show=False),
        Binding("right", "move(1)", "later", show=False),
        Binding("shift+left", "extend(-1)", "select earlier", show=False),
        Binding("shift+right", "extend(1)", "select later", show=False),
        Binding("enter", "apply", "filter to range"),
        Binding("escape", "clear", "clear range"),
    ]

    class Changed(Message):
        def __init__(self, columns: tuple[int, int]) -> None:
            super().__init__()
            self.columns = columns  # the columns under the cursor or the selection

    class RangeChosen(Message):
        def __init__(self, columns: tuple[int, int] | None) -> None:
            super().__init__()
            self.columns = columns  # [first, last] column, or None: no range

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cursor = 0
        self.start: int | None = None

    def selection(self) -> tuple[int, int] | None:
        if self.start is None:
            return None
        return min(self.start, self.cursor), max(self.start, self.cursor)

    def action_move(self, delta: int) -> None:
        self.cursor = max(0, min(self.size.width - 1, self.cursor + delta))
        self.start = None
        self._changed()

    def action_extend(self, delta: int) -> None:
        if self.start is None:
            self.start = self.cursor
        self.cursor = max(0, min(self.size.width - 1, self.cursor + delta))
        self._changed()

    def _changed(self) -> None:
        self.refresh()
        self.post_message(self.Changed(self.selection() or (self.cursor, self.cursor)))

    def action_apply(self) -> None:
        self.post_message(self.RangeChosen(self.selection() or (self.cursor, self.cursor)))

    def action_clear(self) -> None:
        self.start = None
        self.refresh()
        self.post_message(self.RangeChosen(None))

    def on_click(self, event: object) -> None:
        x = getattr(event, "x", 0)
        if getattr(event, "shift", False) and self.start is None:
            self.start = self.cursor
        self.cursor = max(0, min(self.size.width - 1, x))
        self._changed()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        chosen = self.selection()
        mark = Style(reverse=True)
        chars = []
        for x in range(width):
            if chosen is not None and chosen[0] <= x <= chosen[1]:
                chars.append(Segment("=" if x != self.cursor else "|", mark))
            else:
                chars.append(Segment("^" if x == self.cursor else " "))
        return Strip(chars, width)


class GraphsPane(Vertical):
    """Throughput to camera and to host, transactions and failed ones, per time bin."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.throughput: Throughput | None = None
        self.transactions: Callable[[], pd.DataFrame | None] = lambda: None
        self.span: tuple[float, float] = (0.0, 0.0)  # capture time covered by the columns
        # the packets pane's filter, if any: (its label, the series of the packets it shows)
        self.subset: tuple[str, Callable[[], list[tuple[list[float], list[int]]]]] | None = None
        self._series: list[tuple[list[float], list[int]]] = []

    def compose(self) -> ComposeResult:
        yield Label("", id="graph-title", markup=False)
        yield Label("to camera (bytes per column)", markup=False)
        yield Sparkline([], id="to-camera")
        yield Label("to host (bytes per column)", markup=False)
        yield Sparkline([], id="to-host")
        yield Label("transactions started per column", markup=False)
        yield Sparkline([], id="tx-started")
        yield Label("failed / cancelled / unanswered transactions per column", markup=False)
        yield Sparkline([], id="tx-failed")
        yield RangeBar(id="range-bar")
        yield Label("", id="range-info", markup=False)

    def redraw(self) -> None:
        if self.throughput is None:
            return
        n = max(10, self.size.width)
        series = self.subset[1]() if self.subset is not None else \
            [self.throughput.series(d) for d in (0, 1)]
        self._series = series
        times = [t for s in series for t in s[0][:1] + s[0][-1:]]
        if not times:
            return
        t0, t1 = min(times), max(times)
        self.span = (t0, t1 + (t1 - t0) / n / 10 if t1 > t0 else t0 + 1)
        lo, hi = self.span
        self.query_one("#to-camera", Sparkline).data = bins(*series[0], lo, hi, n)
        self.query_one("#to-host", Sparkline).data = bins(*series[1], lo, hi, n)
        started, failed = self._transaction_times()
        self.query_one("#tx-started", Sparkline).data = bins(started, None, lo, hi, n)
        self.query_one("#tx-failed", Sparkline).data = bins(failed, None, lo, hi, n)
        total = sum(series[0][1]) + sum(series[1][1])
        shown = f"packets shown ({self.subset[0]}): " if self.subset is not None else ""
        self.query_one("#graph-title", Label).update(
            f"{shown}{hi - lo:.3f} s, {total:,} PTP/IP bytes "
            f"({total / max(hi - lo, 1e-9) / 1e6:.2f} MB/s), {len(started)} transactions, "
            f"{len(failed)} not OK; {(hi - lo) / n * 1000:.1f} ms per column")

    def on_range_bar_changed(self, event: RangeBar.Changed) -> None:
        """What the selected columns hold: time, bytes each way, throughput."""
        lo, hi = self.time_of_columns(event.columns)
        t0 = self.span[0]
        sums = [sum(length for t, length in zip(*s, strict=True) if lo <= t < hi)
                for s in self._series] or [0, 0]
        rate = sum(sums) / max(hi - lo, 1e-9) / 1e6
        self.query_one("#range-info", Label).update(
            f"{lo - t0:.4f}-{hi - t0:.4f} s: to camera {sums[0]:,} B, to host {sums[1]:,} B, "
            f"{rate:.2f} MB/s (Enter: show only this range; Esc: clear)")

    def _transaction_times(self) -> tuple[list[float], list[float]]:
        t = self.transactions()
        if t is None or not len(t):
            return [], []
        starts = [x.timestamp() for x in t["start"]]
        bad = ~(t["ok"].fillna(False).astype(bool)) | t["cancelled"].astype(bool)
        return starts, [s for s, b in zip(starts, bad, strict=True) if b]

    def time_of_columns(self, columns: tuple[int, int]) -> tuple[float, float]:
        """The capture times [start, end) that columns first..last cover."""
        n = max(10, self.size.width)
        lo, hi = self.span
        width = (hi - lo) / n
        return lo + columns[0] * width, lo + (columns[1] + 1) * width
