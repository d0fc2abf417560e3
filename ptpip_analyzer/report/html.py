"""``ptpip-analyzer report``: one self-contained HTML file (inline CSS and SVG, no scripts, no
network) with the session summary, findings, ladder diagrams, timeline, throughput, latency and
object list of a capture."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import charts, summary
from .ladder import ladder_svg

if TYPE_CHECKING:
    from ..analyze.capture import Capture

SECTIONS = ("summary", "findings", "ladder", "timeline", "throughput", "latency", "objects")
FIRST_PACKETS = 40  # packets in the opening ladder diagram
MAX_FAILING = 6  # failing transactions drawn as their own ladder
MAX_ROWS = 1000  # rows of a long table (objects, failing transactions) shown in the report

CSS = """
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
h3{font-size:14px;margin:18px 0 6px}
table{border-collapse:collapse;font-size:12px;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}dl{display:grid;grid-template-columns:max-content auto;gap:2px 14px}
dt{font-weight:600}dd{margin:0}.sev-error{color:#b00020;font-weight:600}
.sev-warning{color:#a15c00}.sev-note{color:#555}.muted{color:#777;font-size:12px}
svg{max-width:100%;height:auto;display:block;margin:6px 0}
"""


def render(cap: Capture) -> str:
    body = "".join((_summary(cap), _findings(cap), _ladders(cap), _timeline(cap),
                    _throughput(cap), _latency(cap), _objects(cap)))
    title = f"PTP/IP report: {cap.path.name}"
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>\n")


def write_report(cap: Capture, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render(cap), encoding="utf-8")
    return path


def _section(name: str, heading: str, content: str) -> str:
    return f'<section id="{name}"><h2>{escape(heading)}</h2>{content}</section>'


def _table(frame: pd.DataFrame, empty: str = "none") -> str:
    if frame.empty:
        return f'<p class="muted">{escape(empty)}</p>'
    html = str(frame.head(MAX_ROWS).to_html(index=False, border=0, na_rep="–", escape=True))
    if len(frame) > MAX_ROWS:
        html += f'<p class="muted">{len(frame) - MAX_ROWS:,} more rows: see ' \
                "<code>ptpip-analyzer export</code></p>"
    return html


def _summary(cap: Capture) -> str:
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>"
                    for k, v in summary.overview(cap).items())
    return _section("summary", "Summary",
                    f"<dl>{facts}</dl><h3>Sessions</h3>"
                    + _table(summary.sessions(cap), "no PTP/IP session found"))


def _findings(cap: Capture) -> str:
    rows = summary.findings(cap)
    if rows.empty:
        return _section("findings", "Findings", '<p class="muted">no findings</p>')
    html = _table(rows)
    for severity in ("error", "warning", "note"):
        html = html.replace(f"<td>{severity}</td>", f'<td class="sev-{severity}">{severity}</td>')
    return _section("findings", "Findings", html)


def _ladders(cap: Capture) -> str:
    parts = []
    for s in cap.sessions["session"].head(4):
        packets = cap.packets[cap.packets["session"] == s].sort_values("frame")
        parts.append(f"<h3>Session {s}: first packets</h3>"
                     + ladder_svg(packets.head(FIRST_PACKETS * 8), f"session {s} ladder",
                                  FIRST_PACKETS))
    failing = summary.failing_transactions(cap)
    for tx in failing.head(MAX_FAILING).itertuples(index=False):
        packets = _transaction_packets(cap, tx)
        parts.append(f"<h3>Session {tx.session}: {escape(str(tx.opcode_name))} "
                     f"(tid {tx.transaction_id}) — "
                     f"{escape(str(tx.response_name) if tx.complete else 'no response')}, "
                     f"{tx.findings} finding(s)</h3>"
                     + ladder_svg(packets, f"transaction {tx.transaction_id} ladder"))
    if len(failing) > MAX_FAILING:
        parts.append(f'<p class="muted">{len(failing) - MAX_FAILING} more failing '
                     "transactions are listed below.</p>")
    if len(failing):
        parts.append("<h3>Failing transactions</h3>"
                     + _table(summary.transaction_rows(failing)))
    content = "".join(parts) or '<p class="muted">no packets</p>'
    return _section("ladder", "Ladder diagrams", content)


def _transaction_packets(cap: Capture, tx: object) -> pd.DataFrame:
    """The transaction's packets on its command stream, and events of its session meanwhile."""
    p = cap.packets
    start, end = getattr(tx, "start_frame"), getattr(tx, "end_frame")  # noqa: B009
    last = end if not pd.isna(end) else p["frame"].max()
    span = (p["frame"] >= start) & (p["frame"] <= last)
    mine = span & (p["stream"] == getattr(tx, "stream"))  # noqa: B009
    events = span & (p["role"] == "event") & (p["session"] == getattr(tx, "session"))  # noqa: B009
    return p[mine | events].sort_values("frame")


def _timeline(cap: Capture) -> str:
    note = '<p class="muted">one lane per operation; a bar runs from request to response ' \
           "(grey: never answered); ▲ events on the event connection. Hover for details.</p>"
    if cap.transactions.empty and cap.events.empty:
        return _section("timeline", "Transaction timeline", '<p class="muted">none</p>')
    return _section("timeline", "Transaction timeline",
                    note + charts.timeline_svg(cap.transactions, cap.events))


def _throughput(cap: Capture) -> str:
    packets = cap.packets
    span = (packets["time"].max() - packets["time"].min()).total_seconds() \
        if len(packets) else 0.0
    interval = charts.throughput_interval(span)
    rate = cap.throughput(interval, by=["direction"])
    return _section("throughput", "Throughput", charts.throughput_svg(rate, interval))


def _latency(cap: Capture) -> str:
    stats = cap.latency_stats()
    return _section("latency", "Latency per operation",
                    charts.latency_svg(stats) + _table(summary.latency(cap)))


def _objects(cap: Capture) -> str:
    return _section("objects", "Objects",
                    _table(summary.objects(cap), "no objects listed or transferred"))
