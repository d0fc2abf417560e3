"""The detail tree node shared by packet and dataset descriptions (and a future TUI pane)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Node:
    """A line of a detail tree: label, display value, children, and where the field lies in
    the packet's bytes (``span``: [start, end) from the packet's first byte; None: not one
    field, or not known), for a hex view that highlights the selected field."""

    label: str
    value: str = ""
    children: list[Node] = field(default_factory=list)
    span: tuple[int, int] | None = None
