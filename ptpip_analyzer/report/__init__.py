"""Presentation of a ``Capture``: the self-contained HTML report and the terminal summary."""

from .html import SECTIONS, render, write_report
from .terminal import print_stats

__all__ = ["SECTIONS", "print_stats", "render", "write_report"]
