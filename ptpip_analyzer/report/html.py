"""``ptpip-analyzer report``: one self-contained HTML file (inline CSS, SVG and one small inline
script, no network) answering what happened in a capture.

From the top: a headline (what went wrong, e.g. a camera that refused the host), the summary
and the cameras' capabilities, findings by rule, the slowest transactions and where the time
went, ladder diagrams (each session's first packets and every failing transaction, the
offending packet on a red band), the zoomable timeline and throughput with capture gaps,
warnings, errors and TCP trouble marked, latency per operation, every transaction in a table
that filters as you type, and the objects. A capture with several sessions gets a section per
session as well (its own ladder, timeline, throughput, latency and objects), since one
session's numbers say little mixed with another's. Everything from the wire is escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..analyze import tcp_health
from . import charts, summary
from .breakdown import breakdown_pieces, breakdown_svg, session_bars, transaction_bars
from .headline import headline
from .ladder_views import MAX_FAILING, failing_ladders, first_packets
from .marks import capture_t0, marks
from .script import FILTER, ZOOM, zoom_controls
from .session_view import session_view
from .transaction_table import transactions_table

if TYPE_CHECKING:
    from ..analyze.capture import Capture

SECTIONS = ("headline", "summary", "capabilities", "findings", "tcp", "slowest", "breakdown",
            "ladder", "timeline", "throughput", "latency", "transactions", "objects")
MAX_ROWS = 1000  # rows of a long table (objects, failing transactions) shown in the report
MAX_SESSIONS = 8  # sessions that get their own section
SLOWEST = 10

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
svg.zoomable{cursor:grab;user-select:none}
.headline{padding:10px 14px;border-radius:4px;margin:6px 0;font-size:14px}
.headline.bad{background:#fde0e0;border-left:4px solid #b00020}
.headline.warn{background:#fff1dc;border-left:4px solid #e08a00}
.headline.good{background:#e3f3e3;border-left:4px solid #59a14f}
.zoom button{font-size:12px;margin-right:4px}.filter{margin:6px 0;font-size:12px}
tr.st-failed td,tr.st-unanswered td,tr.st-damaged td,tr.st-invalid td{background:#fdf0f0}
tr.st-cancelled td{background:#f6f0fd}
"""


def render(cap: Capture) -> str:
    return "".join(_parts(cap))


def write_report(cap: Capture, path: str | Path) -> Path:
    """The report, written section by section (20,000 sessions make a 7 MB report: it is
    never held whole, nor twice)."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as out:
        out.writelines(_parts(cap))
    return path


def _parts(cap: Capture) -> Iterator[str]:
    title = f"PTP/IP report: {cap.path.name}"
    yield (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           f"<title>{escape(title)}</title><style>{CSS}</style></head>"
           f"<body><h1>{escape(title)}</h1>")
    marked = marks(cap)  # one list for both time charts
    for make in (
        lambda: _headline(cap), lambda: _summary(cap), lambda: _capabilities(cap),
        lambda: _findings(cap), lambda: _tcp(cap), lambda: _slowest(cap),
        lambda: _breakdown(cap), lambda: _ladders(cap), lambda: _timeline(cap, marked),
        lambda: _throughput(cap, marked), lambda: _latency(cap), lambda: _transactions(cap),
        lambda: _objects(cap), lambda: _discovery(cap), lambda: _sessions(cap)):
        made = make()
        yield from ((made,) if isinstance(made, str) else made)
    yield f"<script>{ZOOM}{FILTER}</script></body></html>\n"


def section(name: str, heading: str, content: str) -> str:
    return f'<section id="{name}"><h2>{escape(heading)}</h2>{content}</section>'


def table(frame: pd.DataFrame, empty: str = "none", rows: int | None = None) -> str:
    """The first MAX_ROWS rows of ``frame``; ``rows``: how many the whole table has, when
    ``frame`` holds only its first rows."""
    rows = len(frame) if rows is None else rows
    if frame.empty:
        return f'<p class="muted">{escape(empty)}</p>'
    html = str(frame.head(MAX_ROWS).to_html(index=False, border=0, na_rep="–", escape=True))
    if rows > MAX_ROWS:
        html += f'<p class="muted">{rows - MAX_ROWS:,} more rows: see ' \
                "<code>ptpip-analyzer export</code></p>"
    return html


def _headline(cap: Capture) -> str:
    lines = "".join(f'<p class="headline {kind}">{escape(text)}</p>'
                    for kind, text in headline(cap))
    return section("headline", "In short", lines)


def _summary(cap: Capture) -> str:
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>"
                    for k, v in summary.overview(cap).items())
    return section("summary", "Summary",
                   f"<dl>{facts}</dl><h3>Sessions</h3>"
                   + table(summary.sessions(cap, MAX_ROWS), "no PTP/IP session found",
                           len(cap.sessions)))


DISCOVERY_COLUMNS = ["session", "frame", "protocol", "kind", "src", "service", "name", "uuid",
                     "location", "manufacturer", "model", "problem"]


def _discovery(cap: Capture) -> str:
    """SSDP / mDNS / UPnP messages (the discovery table), by the session each one led to."""
    found = cap.discovery
    if found.empty:
        return ""
    shown = found[[c for c in DISCOVERY_COLUMNS if c in found.columns]].astype(object)
    return section("discovery", "Discovery (SSDP, mDNS, UPnP)",
                   table(shown.where(shown.notna(), "–")))


def _capabilities(cap: Capture) -> str:
    content = table(summary.capabilities(cap), "no DeviceInfo in the capture")
    di = cap.device_info
    props = di[(di["kind"] == "property") & di["value"].notna()]
    if not props.empty:
        shown = pd.DataFrame({
            "session": props["session"].astype(str),
            "code": [f"0x{c:04X}" for c in props["code"]],
            "property": props["name"], "value": props["value"],
            "reading": props["value_text"].astype(object).fillna("–"),
            "writable": props["writable"].map({True: "yes", False: "no"}).fillna("–")})
        # one row for the sessions of a camera that said the same
        keys = ["code", "property", "value", "reading", "writable"]
        shown = shown.groupby(keys, sort=False, dropna=False)["session"].agg(", ".join)
        content += "<h3>Property values (last seen)</h3>" + table(
            shown.reset_index()[["session", *keys]])
    changes = cap.properties
    if not changes.empty:
        content += "<h3>Property changes</h3>" + table(pd.DataFrame({
            "session": changes["session"], "at": [f"{t:.6f} s" for t in changes["rel_s"]],
            "frame": changes["frame"], "property": changes["property_name"].astype(str),
            "before": _reading(changes["old_value"], changes["old_text"]),
            "after": _reading(changes["new_value"], changes["new_text"]),
            "seen in": changes["source"].astype(str)}))
    return section("capabilities", "Camera capabilities (DeviceInfo)", content)


def _reading(raw: pd.Series, text: pd.Series) -> list[str]:
    """"f/5.6 (560)": the reading with the raw value beside it, or the raw value alone."""
    return [("–" if pd.isna(r) else str(r)) if pd.isna(t) else f"{t} ({r})"
            for r, t in zip(raw, text, strict=True)]


def _findings(cap: Capture) -> str:
    rows = summary.findings(cap)
    if rows.empty:
        return section("findings", "Findings", '<p class="muted">no findings</p>')
    html = table(rows)
    for severity in ("error", "warning", "note"):
        html = html.replace(f"<td>{severity}</td>", f'<td class="sev-{severity}">{severity}</td>')
    return section("findings", "Findings", html)


def _tcp(cap: Capture) -> str:
    """The connection directions with TCP trouble (``tcp_health.summary``)."""
    return section("tcp", "TCP health", table(
        tcp_health.summary(cap.tcp), "no retransmissions, reordering, duplicate ACKs, zero "
                                     "windows or resets"))


def _has_breakdown(cap: Capture) -> bool:
    return {"wait_s", "wait_side", "transfer_s", "finish_s"} <= set(cap.transactions.columns)


def _slowest(cap: Capture) -> str:
    slowest = cap.slowest_transactions(SLOWEST)
    content = table(summary.transaction_rows(slowest), "no answered transactions")
    if _has_breakdown(cap) and not slowest.empty:
        content += breakdown_svg(transaction_bars(slowest), "slowest transactions' time")
    note = ('<p class="muted">ranked by the time the host did not cause: a data-out '
            "operation's wait before the host's own Start Data (marked host) is not "
            "counted.</p>")
    return section("slowest", "Slowest transactions", note + content)


def _breakdown(cap: Capture) -> list[str]:
    """A bar per session: in pieces, written one by one (20,000 sessions: 7 MB)."""
    if not _has_breakdown(cap) or cap.sessions.empty:
        return [section("breakdown", "Where the time went",
                        '<p class="muted">no transactions to break down</p>')]
    frame = cap.time_breakdown()
    opening, closing = section("breakdown", "Where the time went", "\0").split("\0")
    return [opening, *breakdown_pieces(session_bars(frame), "where the time went"),
            table(summary.time_breakdown(cap, frame.head(MAX_ROWS)), rows=len(frame)),
            closing]


def _ladders(cap: Capture) -> str:
    several = len(cap.sessions) > 1
    parts = [] if several else [first_packets(cap, s) for s in cap.sessions["session"]]
    failing = summary.failing_transactions(cap)
    parts += failing_ladders(cap, failing)
    if len(failing) > MAX_FAILING:
        parts.append(f'<p class="muted">{len(failing) - MAX_FAILING} more failing '
                     "transactions are listed below.</p>")
    if len(failing):
        parts.append("<h3>Failing transactions</h3>"
                     + table(summary.transaction_rows(failing)))
    if several:
        parts.append('<p class="muted">each session\'s first packets are in its own '
                     "section below.</p>")
    content = "".join(parts) or '<p class="muted">no packets</p>'
    return section("ladder", "Ladder diagrams", content)


TIMELINE_NOTE = ('<p class="muted">one lane per operation; a bar runs from request to '
                 "response (grey: never answered); ▲ events on the event connection; dashed "
                 "lines: capture gaps (grey), warnings (orange), errors (red), TCP resets "
                 "(black); orange bands: transactions during which TCP retransmitted. Hover for "
                 "details.</p>")


def timeline(cap: Capture, ident: str, marked: pd.DataFrame, group: str) -> str:
    if cap.transactions.empty and cap.events.empty:
        return '<p class="muted">none</p>'
    return (TIMELINE_NOTE + zoom_controls(ident)
            + charts.timeline_svg(cap.transactions, cap.events, marked, ident, group))


def throughput(cap: Capture, ident: str, marked: pd.DataFrame, group: str) -> str:
    span = cap.packet_totals.span_s
    interval = charts.throughput_interval(span)
    rate = cap.throughput(interval, by=["direction"])
    t0 = capture_t0(cap.packet_table.first())
    return zoom_controls(ident) + charts.throughput_svg(rate, interval, marked, t0, ident,
                                                        group)


def _timeline(cap: Capture, marked: pd.DataFrame) -> str:
    return section("timeline", "Transaction timeline", timeline(cap, "timeline-chart", marked, "capture"))


def _throughput(cap: Capture, marked: pd.DataFrame) -> str:
    return section("throughput", "Throughput", throughput(cap, "throughput-chart", marked,
                                                          "capture"))


def latency(cap: Capture) -> str:
    return charts.latency_svg(cap.latency_stats()) + table(summary.latency(cap))


def _latency(cap: Capture) -> str:
    return section("latency", "Latency per operation", latency(cap))


def _transactions(cap: Capture) -> str:
    return section("transactions", "All transactions", transactions_table(cap.transactions))


def _objects(cap: Capture) -> str:
    return section("objects", "Objects",
                   table(summary.objects(cap), "no objects listed or transferred"))


def _sessions(cap: Capture) -> str:
    if len(cap.sessions) < 2:
        return ""
    numbers = cap.sessions["session"].tolist()
    parts = [_session(session_view(cap, int(n)), int(n)) for n in numbers[:MAX_SESSIONS]]
    if len(numbers) > MAX_SESSIONS:
        parts.append(f'<p class="muted">{len(numbers) - MAX_SESSIONS} more sessions: see '
                     "<code>ptpip-analyzer stats</code></p>")
    return "".join(parts)


def _session(cap: Capture, n: int) -> str:
    """One session's own section: its first packets, timeline, throughput, latency, objects."""
    s = cap.sessions.iloc[0]
    marked = marks(cap, n)
    title = (f"Session {n}: {_or(s['initiator_name'], 'host')} ({_or(s['initiator'])}) "
             f"→ {_or(s['camera_name'], 'camera')} ({_or(s['camera'])})")
    return section(f"session-{n}", title, "".join((
        first_packets(cap, n),
        "<h3>Timeline</h3>", timeline(cap, f"timeline-s{n}", marked, f"s{n}"),
        "<h3>Throughput</h3>", throughput(cap, f"throughput-s{n}", marked, f"s{n}"),
        "<h3>Latency per operation</h3>", latency(cap),
        "<h3>Objects</h3>", table(summary.objects(cap), "no objects listed or transferred"))))


def _or(value: object, fallback: str = "–") -> str:
    return fallback if value is None or pd.isna(value) or value == "" else str(value)
