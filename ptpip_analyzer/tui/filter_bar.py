"""The filter bar: a display filter (``/``) or a frame to go to (``:``), and its error inline.

It only edits text and posts ``Submitted``; the app compiles the expression with the library
(``ptpip_analyzer.filters``) and hands back an error (``show_error``), which is drawn with a
caret under the offending character.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..terminal_text import escape

PROMPTS = {"filter": "filter (/)", "goto": "go to frame (:)"}


class FilterBar(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "close", show=False)]

    class Submitted(Message):
        def __init__(self, mode: str, text: str) -> None:
            super().__init__()
            self.mode, self.text = mode, text

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = "filter"
        self.filters: dict[str, str] = {}  # the text last applied, per pane

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PROMPTS["filter"], id="filter-input")
        yield Static("", id="filter-error", markup=False)

    def open(self, mode: str, table: str = "packets") -> None:
        self.mode = mode
        field = self.query_one(Input)
        field.placeholder = f"{PROMPTS[mode]} on {table}" if mode == "filter" else PROMPTS[mode]
        field.value = self.filters.get(table, "") if mode == "filter" else ""
        self.show_error(None)
        self.add_class("open")
        field.focus()

    def show_error(self, error: tuple[int, str] | None) -> None:
        """``(position, message)`` of a filter that does not compile, or None."""
        box = self.query_one("#filter-error", Static)
        if error is None:
            box.update("")
            box.remove_class("shown")
            return
        position, message = error
        field = self.query_one(Input)
        indent = max(0, field.content_region.x - box.content_region.x)  # the input's frame
        box.update(" " * (indent + len(escape(field.value[:position]))) + "^ " + escape(message))
        box.add_class("shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self.mode, event.value.strip()))

    def action_close(self) -> None:
        self.remove_class("open")
        self.show_error(None)
        self.post_message(self.Closed())
