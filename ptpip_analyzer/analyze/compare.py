"""Two captures side by side: ``load(A).compare(load(B))`` and ``ptpip-analyzer compare A B``.

One tidy row per measure: ``section`` (overview, latency, throughput, time, tcp, findings),
``item`` (an operation, a direction, a time bucket, a rule), ``measure`` and ``unit``, the value
in A and in B, ``delta`` (B - A) and ``ratio`` (B / A; NaN when A is 0 or a value is missing).
Latency uses the answered transactions of each operation (``stats.latency_stats``); the time
breakdown is ``stats.time_breakdown`` (camera, transfer, the host's delay, host idle, the rest,
TCP stalls) summed over the sessions, beside the answered time (sum of latencies); TCP health
sums the ``tcp`` table per direction. Operations or rules found in only one capture still get
a row (NaN on the other side), so what is new or gone shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import stats

if TYPE_CHECKING:
    from .capture import Capture

COLUMNS = ["section", "item", "measure", "unit", "a", "b", "delta", "ratio"]
LATENCY_MEASURES = (("count", "count", "transactions"), ("median_s", "median", "s"),
                    ("p95_s", "p95", "s"), ("max_s", "max", "s"))
BREAKDOWN = (("span_s", "session spans"), ("camera_s", "camera"),
             ("transfer_s", "data transfer"), ("host_s", "host delay before data"),
             ("idle_s", "host idle"), ("other_s", "other"), ("tcp_stall_s", "TCP stalls"))
PEAK_INTERVAL = "100ms"
TCP_COUNTS = ("retransmissions", "out_of_order", "dup_acks", "zero_windows")

Measure = tuple[str, str, str, str, float]  # section, item, measure, unit, value


def compare(a: Capture, b: Capture) -> pd.DataFrame:
    """The measures of ``a`` and ``b`` side by side (one row per measure, see module doc)."""
    return side_by_side(measures(a), measures(b))


def side_by_side(a: list[Measure], b: list[Measure]) -> pd.DataFrame:
    """Two captures' ``measures`` side by side: what ``compare`` gives, from measures taken
    one capture at a time (the command holds one capture's tables at a time, issue 17)."""
    left = _frame(a, "a")
    right = _frame(b, "b")
    keys = ["section", "item", "measure", "unit"]
    out = left.merge(right, on=keys, how="outer", sort=False)
    order = pd.concat([left[keys], right[keys]]).drop_duplicates()
    out = order.merge(out, on=keys, how="left")
    out["delta"] = out["b"] - out["a"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = (out["b"] / out["a"]).where(out["a"] != 0)
    return out[COLUMNS].reset_index(drop=True)


def _frame(rows: list[Measure], side: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["section", "item", "measure", "unit", side])
    frame[side] = frame[side].astype("float64")
    return frame.drop_duplicates(["section", "item", "measure", "unit"])


def measures(cap: Capture) -> list[Measure]:
    """Every measure of one capture, in display order."""
    return [*_overview(cap), *_latency(cap), *_throughput(cap), *_time(cap), *_tcp(cap),
            *_findings(cap)]


def _span_s(cap: Capture) -> float:
    return cap.packet_totals.span_s


def _overview(cap: Capture) -> Iterator[Measure]:
    tx = cap.transactions
    yield "overview", "capture", "duration", "s", _span_s(cap)
    yield "overview", "capture", "sessions", "count", len(cap.sessions)
    yield "overview", "capture", "packets", "count", cap.packet_totals.count
    yield "overview", "capture", "transactions", "count", len(tx)
    yield "overview", "capture", "failed", "count", int(tx["ok"].eq(False).sum())
    yield "overview", "capture", "unanswered", "count", int((~tx["complete"].astype(bool)).sum())
    yield "overview", "capture", "capture gaps", "count", len(cap.gaps)


def _latency(cap: Capture) -> Iterator[Measure]:
    table = stats.latency_stats(cap.transactions).sort_values("opcode_name")
    for row in table.itertuples(index=False):
        for column, measure, unit in LATENCY_MEASURES:
            yield "latency", str(row.opcode_name), measure, unit, float(getattr(row, column))


def _throughput(cap: Capture) -> Iterator[Measure]:
    span = _span_s(cap)
    # the intervals with packets: they add up to every byte, and hold the peak, however far
    # apart the first and the last packet are
    peaks = cap.throughput(PEAK_INTERVAL, ["direction"], empty=False)
    for direction in ("to_camera", "to_host"):
        sent = float(peaks.loc[peaks["direction"] == direction, "bytes"].sum())
        yield "throughput", direction, "bytes", "B", sent
        yield "throughput", direction, "mean rate", "B/s", sent / span if span else np.nan
        mine = peaks[peaks["direction"] == direction]["bytes_per_s"]
        yield ("throughput", direction, f"peak rate ({PEAK_INTERVAL})", "B/s",
               float(mine.max()) if len(mine) else np.nan)
    moved = cap.objects[cap.objects["bytes"] > 0]["rate_Bps"].dropna()
    yield ("throughput", "objects", "median object rate", "B/s",
           float(moved.median()) if len(moved) else np.nan)


def _time(cap: Capture) -> Iterator[Measure]:
    """Where the time went (``stats.time_breakdown``), summed over the sessions."""
    yield ("time", "answered transactions", "total", "s",
           float(cap.transactions["latency_s"].sum()))
    totals = cap.time_breakdown().sum(numeric_only=True, min_count=1)
    for column, label in BREAKDOWN:
        yield "time", label, "total", "s", float(totals.get(column, np.nan))


def _tcp(cap: Capture) -> Iterator[Measure]:
    """TCP health over all connections (the ``tcp`` table), per direction of the data."""
    tcp = cap.tcp
    for direction in ("to_camera", "to_host"):
        mine = tcp[tcp["direction"] == direction]
        for measure in TCP_COUNTS:
            yield "tcp", direction, measure.replace("_", " "), "count", int(mine[measure].sum())
        yield "tcp", direction, "stalled", "s", float(mine["stall_s"].sum())
        yield "tcp", direction, "resets", "count", int(mine["rst_frame"].notna().sum())


def _findings(cap: Capture) -> Iterator[Measure]:
    f = cap.findings
    for severity in ("error", "warning", "note"):
        yield "findings", severity, "count", "findings", int((f["severity"] == severity).sum())
    for rule, count in sorted(f["rule"].astype(str).value_counts().items()):
        yield "findings", rule, "count", "findings", int(count)
