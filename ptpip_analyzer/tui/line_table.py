"""A virtual table with the Line API: renders only the visible rows of any number of rows.

Textual's ``DataTable`` keeps every cell as a widget-side object and measures them all; at
500,000 packets x 7 columns it took seconds to fill and hundreds of MB (benchmarks/RESULTS.md).
Here, as in Toolong, the widget keeps no rows at all: ``RowSource.row(i)`` is asked for the
rows on screen when a line is drawn (cached, a few thousand), and scrolling is
``virtual_size``. A view over a subset (a filter's matches) is a sequence of source indices
(``view``) that may still be growing while it is shown.

Messages go up (``Highlighted`` as the cursor moves, ``Selected`` on Enter or a click); the
owner sets ``source`` and ``view`` and calls ``grow()`` when rows were added. ``auto_scroll``
(live and followed input): while the cursor is on the last row the table follows new rows;
moving up stops that, coming back to the bottom resumes it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import ClassVar, NamedTuple, Protocol

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

CACHE_ROWS = 4096


class Column(NamedTuple):
    title: str
    width: int  # the last column takes what is left


class Row(NamedTuple):
    cells: tuple[str, ...]  # already safe for the terminal (wire strings escaped)
    kind: str = ""  # a component class suffix: "gap", "malformed", "error", "warning", ...


class RowSource(Protocol):
    @property
    def columns(self) -> Sequence[Column]: ...

    def __len__(self) -> int: ...

    def row(self, index: int) -> Row: ...


class LineTable(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header", "line-table--cursor", "line-table--gap",
        "line-table--malformed", "line-table--error", "line-table--warning",
        "line-table--note", "line-table--failed", "line-table--open", "line-table--cancelled",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "up", show=False),
        Binding("down", "cursor(1)", "down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        Binding("home", "first", "first", show=False),
        Binding("end", "last", "last", show=False),
        Binding("enter", "select", "open", show=False),
    ]

    class Highlighted(Message):
        def __init__(self, table: LineTable, index: int) -> None:
            super().__init__()
            self.table, self.index = table, index  # index into the source

        @property
        def control(self) -> LineTable:
            return self.table

    class Selected(Highlighted):
        pass

    def __init__(self, source: RowSource, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = source
        self.view: Sequence[int] | None = None  # None: every source row
        self.cursor = 0  # a display row
        self.auto_scroll = False
        self._cache: OrderedDict[int, Row] = OrderedDict()
        self._count = 0

    # -- attributes down ----------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.view) if self.view is not None else len(self.source)

    def set_view(self, view: Sequence[int] | None) -> None:
        """Show ``view`` (source indices) or, with None, every row; the cursor goes to the top."""
        self.view, self.cursor = view, 0
        self._count = -1
        self.grow()
        self.scroll_to(y=0, animate=False)
        self._highlight()

    def grow(self) -> None:
        """Rows were added to the source or the view: resize, follow if following."""
        count = self.count
        if count == self._count:
            return
        following = self.auto_scroll and self.cursor >= self._count - 1
        first = self._count <= 0 and count > 0
        self._count = count
        self.virtual_size = Size(self.size.width, count + 1)
        if following:
            self.move_to(count - 1)
        elif first:
            self._highlight()
        self.refresh()

    def invalidate(self) -> None:
        """Rows may read differently now (names resolved late): draw them again."""
        self._cache.clear()
        self.refresh()

    def source_index(self, display: int | None = None) -> int | None:
        row = self.cursor if display is None else display
        if not 0 <= row < self.count:
            return None
        return self.view[row] if self.view is not None else row

    def move_to(self, display: int) -> None:
        if self.count == 0:
            return
        self.cursor = max(0, min(self.count - 1, display))
        page = max(1, self.size.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)
        self.refresh()
        self._highlight()

    def move_to_source(self, index: int) -> bool:
        """Put the cursor on source row ``index`` if the view shows it."""
        if self.view is None:
            self.move_to(index)
            return 0 <= index < self.count
        import bisect
        at = bisect.bisect_left(self.view, index)  # views are in source order
        if at < len(self.view) and self.view[at] == index:
            self.move_to(at)
            return True
        return False

    # -- actions ------------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, delta: int) -> None:
        self.move_to(self.cursor + delta * max(1, self.size.height - 2))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.count - 1)

    def action_select(self) -> None:
        index = self.source_index()
        if index is not None:
            self.post_message(self.Selected(self, index))

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= row < self.count:
            self.move_to(row)
            if event.chain >= 2:
                self.action_select()

    def _highlight(self) -> None:
        index = self.source_index()
        if index is not None:
            self.post_message(self.Highlighted(self, index))

    # -- drawing ------------------------------------------------------------------------------
    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count + 1)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            titles = tuple(c.title for c in self.source.columns)
            return self._strip(titles, width, self.get_component_rich_style("line-table--header"))
        display = round(self.scroll_y) + y - 1
        index = self.source_index(display)
        if index is None:
            return Strip.blank(width, self.rich_style)
        row = self._row(index)
        style = self.rich_style
        if row.kind:
            style += self.get_component_rich_style(f"line-table--{row.kind}")
        if display == self.cursor:
            style += self.get_component_rich_style("line-table--cursor")
        return self._strip(row.cells, width, style)

    def _row(self, index: int) -> Row:
        row = self._cache.get(index)
        if row is None:
            row = self._cache[index] = self.source.row(index)
            if len(self._cache) > CACHE_ROWS:
                self._cache.popitem(last=False)
        return row

    def _strip(self, cells: Sequence[str], width: int, style: Style) -> Strip:
        columns = self.source.columns
        parts: list[str] = []
        for i, column in enumerate(columns):
            text = cells[i] if i < len(cells) else ""
            if i < len(columns) - 1:  # cell widths, not code points: wide characters count 2
                parts.append(set_cell_size(text, column.width) + " ")
            else:
                parts.append(text)
        return Strip([Segment(set_cell_size("".join(parts), width), style)], width)
