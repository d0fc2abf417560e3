"""What the report and ``stats`` show, as display-ready DataFrames built from a ``Capture``.

One place decides the summary's rows and columns, so the HTML report and the terminal tables
say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..analyze.device_info import capabilities as capabilities_line
from .svg import bytes_label, seconds_label

if TYPE_CHECKING:
    from ..analyze.capture import Capture

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _text(value: object, fallback: str = "–") -> str:
    return fallback if value is None or pd.isna(value) or value == "" else str(value)


def overview(cap: Capture) -> dict[str, str]:
    packets = cap.packet_totals  # (the packets table is not built for this)
    severities = cap.findings["severity"].value_counts()
    counts = ", ".join(f"{int(severities.get(s, 0))} {s}s" for s in ("error", "warning", "note"))
    out = {
        "file": cap.path.name,
        "PTP/IP packets": f"{packets.count:,}",
        "sessions": str(len(cap.sessions)),
        "transactions": f"{len(cap.transactions):,}",
        "objects": str(len(cap.objects)),
        "duration": seconds_label(packets.span_s),
        "bytes": bytes_label(float(packets.bytes)) if packets.count else "0 B",
        "findings": counts,
        "capture gaps / malformed": str(len(cap.gaps)),
    }
    if cap.error:
        out["file problem"] = cap.error
    return out


def sessions(cap: Capture, limit: int | None = None) -> pd.DataFrame:
    """One display row per session (the first ``limit``: the rows a table shows)."""
    t = cap.sessions if limit is None else cap.sessions.head(limit)
    if t.empty:
        return pd.DataFrame([])
    # column by column (20,000 sessions: a dict per row cost 20 MB and 2 s)
    return pd.DataFrame({
        "session": list(t["session"]),
        "host": [f"{_text(name, '')} ({address})".strip()
                 for name, address in zip(t["initiator_name"], t["initiator"], strict=True)],
        "camera": [f"{_text(name, '')} ({_text(address)})".strip()
                   for name, address in zip(t["camera_name"], t["camera"], strict=True)],
        "vendor": [_text(v) for v in t["vendor"]], "model": [_text(v) for v in t["model"]],
        "start": [v.strftime(TIME_FORMAT) if not pd.isna(v) else "–" for v in t["start"]],
        "duration": [seconds_label(v) if not pd.isna(v) else "–" for v in t["duration_s"]],
        "transactions": list(t["transactions"]), "failed": list(t["failed"]),
        "to camera": [bytes_label(v) for v in t["bytes_to_camera"]],
        "to host": [bytes_label(v) for v in t["bytes_to_host"]],
        "findings": list(t["findings"]), "refused": ["yes" if v else "" for v in t["refused"]],
    })


def findings(cap: Capture) -> pd.DataFrame:
    """Findings by rule: severity, count, first frame and the first message."""
    f = cap.findings
    if f.empty:
        return pd.DataFrame(columns=["severity", "rule", "count", "first frame", "message"])
    grouped = f.groupby("rule", observed=True).agg(
        severity=("severity", "max"), count=("frame", "size"), first=("frame", "min"),
        message=("message", "first")).reset_index()
    grouped = grouped.sort_values(["severity", "count"], ascending=[False, False])
    return grouped.rename(columns={"first": "first frame"})[
        ["severity", "rule", "count", "first frame", "message"]].astype({"severity": str})


def failing_transactions(cap: Capture) -> pd.DataFrame:
    """Transactions whose status is not ok (failed, cancelled, unanswered, damaged,
    invalid), or that drew findings."""
    tx = cap.transactions
    return tx[tx["status"].astype(str).ne("ok") | (tx["findings"] > 0)]


def transaction_rows(tx: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "session": tx["session"], "tid": tx["transaction_id"],
        "operation": tx["opcode_name"].astype(str),
        "response": tx["response_name"].astype(str).replace("nan", "no response"),
        "status": tx["status"].astype(str),
        "data": [bytes_label(b) for b in tx["data_bytes"]],
        "latency": [_seconds(v) for v in tx["latency_s"]],
        "wait": [f"{_seconds(w)} {side}" if not pd.isna(w) else "–"
                 for w, side in zip(tx["wait_s"], tx["wait_side"], strict=True)],
        "transfer": [_seconds(v) for v in tx["transfer_s"]],
        "finish": [_seconds(v) for v in tx["finish_s"]],
        "findings": tx["findings"], "frame": tx["start_frame"],
    })


def _seconds(value: object) -> str:
    return "–" if pd.isna(value) else seconds_label(float(value))  # type: ignore[arg-type]


def time_breakdown(cap: Capture, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Where each session's time went (stats.time_breakdown, or those of its rows in
    ``frame``), as labels and shares."""
    frame = cap.time_breakdown() if frame is None else frame
    out = pd.DataFrame({"session": frame["session"],
                        "span": [_seconds(v) for v in frame["span_s"]]})
    for column, label in (("camera_s", "camera"), ("transfer_s", "transfer"),
                          ("host_s", "host"), ("idle_s", "idle"), ("other_s", "other")):
        out[label] = [f"{_seconds(v)} ({v / span:.0%})" if span else _seconds(v)
                      for v, span in zip(frame[column], frame["span_s"], strict=True)]
    out["TCP stalls"] = [_seconds(v) for v in frame["tcp_stall_s"]]
    return out


def latency(cap: Capture) -> pd.DataFrame:
    stats = cap.latency_stats()
    out = pd.DataFrame({"operation": stats["opcode_name"].astype(str), "count": stats["count"],
                        "unanswered": stats["unanswered"], "failed": stats["failed"]})
    for col in ("min_s", "median_s", "p95_s", "max_s"):
        out[col.removesuffix("_s")] = [seconds_label(v) if not pd.isna(v) else "–"
                                       for v in stats[col]]
    # of the total, the host's own delay before its data (data-out operations)
    out["host's delay"] = [_seconds(v) if v else "–" for v in stats["host_wait_s"]]
    return out


def objects(cap: Capture) -> pd.DataFrame:
    o = cap.objects
    return pd.DataFrame({
        "session": o["session"], "handle": [f"0x{h:08X}" for h in o["handle"]],
        "filename": o["filename"].fillna("–"),
        "size": [bytes_label(v) if not pd.isna(v) else "–" for v in o["size"]],
        "transfer": o["transfer"].astype(str).replace("nan", "–"),
        "bytes": [bytes_label(v) for v in o["bytes"]],
        "complete": ["–" if pd.isna(t) else "yes" if c else "no"
                     for t, c in zip(o["transfer"], o["complete"], strict=True)],
        "speed": [f"{bytes_label(v)}/s" if not pd.isna(v) else "–" for v in o["rate_Bps"]],
        "captured": [d.strftime(TIME_FORMAT) if not pd.isna(d) else "–"
                     for d in o["capture_date"]],
    })


def capabilities(cap: Capture) -> pd.DataFrame:
    """Per session whose DeviceInfo was captured: what it lists, and property readings;
    sessions that say the same (one camera, connected again) share a row: "1, 2, 3"."""
    said: dict[tuple[str, str], list[str]] = {}
    listed = cap.device_info  # grouped once: a filter per session was quadratic
    by_session = {int(k): g for k, g in listed.groupby("session")} if len(listed) else {}
    for session, model in zip(cap.sessions["session"], cap.sessions["model"], strict=True):
        mine = by_session.get(int(session))
        line = capabilities_line(mine, int(session)) if mine is not None else None
        if line is not None:
            said.setdefault((_text(model), line), []).append(str(session))
    rows = [{"session": ", ".join(n), "model": model, "capabilities": line}
            for (model, line), n in said.items()]
    return pd.DataFrame(rows, columns=["session", "model", "capabilities"])


def comparison(frame: pd.DataFrame, labels: tuple[str, str] = ("A", "B")) -> pd.DataFrame:
    """``Capture.compare``'s rows for reading: values with their units, the change as a
    signed difference and a factor."""
    return pd.DataFrame({
        "section": frame["section"], "item": frame["item"], "measure": frame["measure"],
        labels[0]: [_quantity(v, u) for v, u in zip(frame["a"], frame["unit"], strict=True)],
        labels[1]: [_quantity(v, u) for v, u in zip(frame["b"], frame["unit"], strict=True)],
        "change": [_change(d, r, u) for d, r, u in zip(frame["delta"], frame["ratio"],
                                                       frame["unit"], strict=True)],
    })


def _quantity(value: float, unit: str, signed: bool = False) -> str:
    if pd.isna(value):
        return "–"
    sign = "+" if signed and value > 0 else ""
    if unit == "s":
        return sign + seconds_label(value)
    if unit in ("B", "B/s"):
        return sign + bytes_label(value) + ("/s" if unit == "B/s" else "")
    return f"{sign}{value:,.0f}"


def _change(delta: float, ratio: float, unit: str) -> str:
    if pd.isna(delta):
        return "only in one"
    if delta == 0:
        return "="
    factor = "" if pd.isna(ratio) else f" (×{ratio:,.0f})" if ratio >= 100 else \
        f" (×{ratio:.3g})"
    return _quantity(delta, unit, signed=True) + factor
