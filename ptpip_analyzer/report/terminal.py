"""``ptpip-analyzer stats``: the report's summary as rich tables in the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from rich.console import Console
from rich.table import Table

from . import summary

if TYPE_CHECKING:
    from ..analyze.capture import Capture

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "note": "dim"}
MAX_ROWS = 20


def table(frame: pd.DataFrame, title: str, styles: dict[str, str] | None = None) -> Table:
    """A rich table of a display frame; a ``severity`` column is coloured by severity."""
    out = Table(title=title, title_justify="left", title_style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        out.add_column(str(column), justify="right" if numeric else "left",
                       overflow="fold")
    for row in frame.head(MAX_ROWS).itertuples(index=False):
        cells = ["–" if pd.isna(v) else str(v) for v in row]
        severity = dict(zip(frame.columns, cells, strict=True)).get("severity", "")
        out.add_row(*cells, style=(styles or SEVERITY_STYLES).get(severity))
    if len(frame) > MAX_ROWS:
        out.caption = f"{len(frame) - MAX_ROWS} more rows not shown"
    return out


def _transposed(frame: pd.DataFrame) -> pd.DataFrame:
    """One column per session: a sessions table is too wide for a terminal otherwise."""
    if frame.empty:
        return frame
    out = frame.set_index("session").T.reset_index()
    out.columns = ["", *(f"session {n}" for n in frame["session"])]
    return out.astype(str)


def print_stats(cap: Capture, console: Console | None = None) -> None:
    if console is None:  # piped output: wide enough that names and messages stay whole
        console = Console()
        console = console if console.is_terminal else Console(width=max(console.width, 160))
    facts = Table.grid(padding=(0, 2))
    for key, value in summary.overview(cap).items():
        facts.add_row(f"[bold]{key}[/]", value)
    console.print(facts)
    sections = [
        (_transposed(summary.sessions(cap)), "Sessions"),
        (summary.findings(cap), "Findings by rule"),
        (summary.latency(cap), "Latency per operation"),
        (summary.transaction_rows(cap.slowest_transactions(5)), "Slowest transactions"),
        (summary.transaction_rows(summary.failing_transactions(cap)), "Failing transactions"),
        (summary.objects(cap), "Objects"),
    ]
    for frame, title in sections:
        console.print()
        if frame.empty:
            console.print(f"[bold]{title}[/]: none")
        else:
            console.print(table(frame, title))
