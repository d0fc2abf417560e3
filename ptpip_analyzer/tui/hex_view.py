"""The selected record's bytes as a hex dump (Line API: a 16 MiB Data packet draws only the
lines on screen), the selected field's bytes highlighted."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

PER_LINE = 16


class HexView(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"hex-view--highlight", "hex-view--offset",
                                             "hex-view--note"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data = b""
        self.note = "no packet selected"
        self.span: tuple[int, int] | None = None

    def show(self, data: bytes, note: str) -> None:
        self.data, self.note, self.span = data, note, None
        self.virtual_size = Size(76, 1 + (len(data) + PER_LINE - 1) // PER_LINE)
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def highlight(self, span: tuple[int, int] | None) -> None:
        self.span = span
        if span is not None and span[1] - span[0] < len(self.data):
            line = 1 + span[0] // PER_LINE
            if not self.scroll_y <= line < self.scroll_y + self.size.height:
                self.scroll_to(y=max(0, line - 1), animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        row = round(self.scroll_y) + y
        if row == 0:
            text = f"{len(self.data)} bytes ({self.note})"
            return Strip([Segment(text[:width],
                                  self.get_component_rich_style("hex-view--note"))]).extend_cell_length(width)
        start = (row - 1) * PER_LINE
        chunk = self.data[start:start + PER_LINE]
        if not chunk:
            return Strip.blank(width, self.rich_style)
        base, mark = self.rich_style, self.get_component_rich_style("hex-view--highlight")
        lo, hi = self.span if self.span is not None else (0, 0)
        segments = [Segment(f"{start:08x}  ", self.get_component_rich_style("hex-view--offset"))]
        for i, byte in enumerate(chunk):
            at = start + i
            sep = " " if i != 7 else "  "
            segments.append(Segment(f"{byte:02x}", mark if lo <= at < hi else base))
            segments.append(Segment(sep, mark if lo <= at < hi - 1 and i != 15 else base))
        segments.append(Segment("   " * (PER_LINE - len(chunk)) + " ", base))
        for i, byte in enumerate(chunk):
            char = chr(byte) if 0x20 <= byte < 0x7F else "."  # never a control character
            segments.append(Segment(char, mark if lo <= start + i < hi else base))
        return Strip(segments).crop(round(self.scroll_x), round(self.scroll_x) + width) \
            .extend_cell_length(width, base)
