"""``ptpip-analyzer stats``: the report's summary as rich tables in the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analyze import tcp_health
from ..terminal_text import escape
from . import summary

if TYPE_CHECKING:
    from ..analyze.capture import Capture

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "note": "dim"}
MAX_ROWS = 20
MAX_SESSIONS = 8  # columns of the transposed sessions table
TCP_HEALTH_TITLE = ("TCP health (directions with retransmissions, reordering, duplicate ACKs, "
                    "zero windows or a reset)")


def cell(value: object) -> Text:
    """A table cell: wire text escaped for the terminal, and never read as rich markup."""
    return Text("–" if pd.isna(value) else escape(str(value)))


def table(frame: pd.DataFrame, title: str, styles: dict[str, str] | None = None,
          rows: int | None = None) -> Table:
    """A rich table of a display frame; a ``severity`` column is coloured by severity.
    ``rows``: how many the whole table has, when ``frame`` holds only its first rows."""
    rows = len(frame) if rows is None else rows
    out = Table(title=title, title_justify="left", title_style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        out.add_column(str(column), justify="right" if numeric else "left",
                       overflow="fold")
    for row in frame.head(MAX_ROWS).itertuples(index=False):
        cells = [cell(v) for v in row]
        severity = dict(zip(frame.columns, cells, strict=True)).get("severity", Text()).plain
        out.add_row(*cells, style=(styles or SEVERITY_STYLES).get(severity))
    if rows > MAX_ROWS:
        out.caption = f"{rows - MAX_ROWS} more rows not shown"
    return out


def _transposed(frame: pd.DataFrame) -> pd.DataFrame:
    """One column per session (the first MAX_SESSIONS): a sessions table is too wide for a
    terminal otherwise, and thousands of columns cost rich quadratic time to lay out."""
    if frame.empty:
        return frame
    shown = frame.head(MAX_SESSIONS)
    out = shown.set_index("session").T.reset_index()
    out.columns = ["", *(f"session {n}" for n in shown["session"])]
    return out.astype(str)


def print_stats(cap: Capture, console: Console | None = None) -> None:
    if console is None:  # piped output: wide enough that names and messages stay whole
        console = Console()
        console = console if console.is_terminal else Console(width=max(console.width, 160))
    facts = Table.grid(padding=(0, 2))
    for key, value in summary.overview(cap).items():
        facts.add_row(Text(key, style="bold"), cell(value))
    console.print(facts)
    # the rows shown only (20,000 sessions: the display rows of all took 20 MB)
    breakdown = cap.time_breakdown()
    sections: list[tuple[pd.DataFrame, str, int | None]] = [
        (_transposed(summary.sessions(cap, MAX_SESSIONS)), _sessions_title(len(cap.sessions)),
         None),
        (summary.capabilities(cap), "Camera capabilities (DeviceInfo)", None),
        (summary.findings(cap), "Findings by rule", None),
        (tcp_health.summary(cap.tcp), TCP_HEALTH_TITLE, None),
        (summary.time_breakdown(cap, breakdown.head(MAX_ROWS)), "Where the time went",
         len(breakdown)),
        (summary.latency(cap), "Latency per operation", None),
        (summary.transaction_rows(cap.slowest_transactions(5)),
         "Slowest transactions (not counting the host's own delay)", None),
        (summary.transaction_rows(summary.failing_transactions(cap)), "Failing transactions",
         None),
        (summary.objects(cap), "Objects", None),
    ]
    for frame, title, rows in sections:
        console.print()
        if frame.empty:
            console.print(f"[bold]{title}[/]: none")
        else:
            console.print(table(frame, title, rows=rows))


def _sessions_title(count: int) -> str:
    shown = min(count, MAX_SESSIONS)
    return "Sessions" if count <= shown else \
        f"Sessions (the first {shown} of {count}; all: export --table sessions)"
