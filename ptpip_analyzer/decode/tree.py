"""The detail tree node shared by packet and dataset descriptions (and a future TUI pane)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Node:
    """A line of a detail tree: label, display value, children."""

    label: str
    value: str = ""
    children: list[Node] = field(default_factory=list)
