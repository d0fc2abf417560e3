"""What the report's time charts mark: capture gaps, malformed regions, warnings and errors, and
TCP trouble (resets, retransmission bursts) when the capture's tables carry it.

One tidy frame per chart (``marks(cap, session)``): ``rel_s`` (start), ``end_s`` (the end of a
band, NaN for a point), ``kind``, ``frame``, ``label`` (the tooltip) and ``colour``. Notes are
not marked (a healthy libgphoto2 session has one per probed connection); at most ``MAX_MARKS``
per chart, errors first, so a very damaged capture still opens quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..analyze.capture import Capture

COLUMNS = ["rel_s", "end_s", "kind", "frame", "label", "colour"]
COLOURS = {"gap": "#7f7f7f", "malformed": "#bcbd22", "error": "#b00020", "warning": "#e08a00",
           "reset": "#000000", "retransmissions": "#ff7f0e"}
MAX_MARKS = 400
BURST_S = 0.2  # retransmissions closer than this form one band
TCP_TABLE = "tcp_events"  # the TCP health events table, when the capture has one


def marks(cap: Capture, session: int | None = None) -> pd.DataFrame:
    """The marks of one session (None: the whole capture), sorted by time."""
    t0 = _t0(cap)
    parts = [_gaps(cap, session), _findings(cap, session, t0), *_tcp(cap, session, t0)]
    out = pd.concat([p for p in parts if not p.empty] or [pd.DataFrame(columns=COLUMNS)],
                    ignore_index=True)
    priority = out["kind"].map({"error": 0, "reset": 0, "warning": 1}).fillna(2)
    out = out.assign(_p=priority).sort_values(["_p", "rel_s"]).head(MAX_MARKS)
    return out.drop(columns="_p").sort_values("rel_s").reset_index(drop=True)[COLUMNS]


def capture_t0(packets: pd.DataFrame) -> pd.Timestamp | None:
    """The time ``rel_s`` counts from (the capture's first PTP/IP record), also in a view of
    one session whose own first packet comes later."""
    if packets.empty:
        return None
    first = packets.iloc[0]
    return first["time"] - pd.Timedelta(seconds=float(first["rel_s"]))


def _t0(cap: Capture) -> pd.Timestamp | None:
    return capture_t0(cap.packets)


def _mine(frame: pd.DataFrame, session: int | None) -> pd.DataFrame:
    return frame if session is None else frame[frame["session"] == session]


def _gaps(cap: Capture, session: int | None) -> pd.DataFrame:
    g = _mine(cap.gaps, session)
    kind = g["kind"].astype(str)
    label = [f"{k} of {n:,} bytes at frame {f} ({d}): {r}" for k, n, f, d, r in
             zip(kind.str.replace("gap", "capture gap"), g["length"], g["frame"],
                 g["direction"].astype(str), g["reason"], strict=True)]
    return pd.DataFrame({"rel_s": g["rel_s"], "end_s": float("nan"), "kind": kind,
                         "frame": g["frame"], "label": label,
                         "colour": kind.map(COLOURS)})


def _findings(cap: Capture, session: int | None, t0: pd.Timestamp | None) -> pd.DataFrame:
    f = _mine(cap.findings, session)
    f = f[f["severity"].astype(str).isin(("error", "warning")) & f["time"].notna()]
    if f.empty or t0 is None:
        return pd.DataFrame(columns=COLUMNS)
    kind = f["severity"].astype(str)
    label = [f"{r} ({k}), frame {n}: {m}" for r, k, n, m in
             zip(f["rule"].astype(str), kind, f["frame"], f["message"], strict=True)]
    return pd.DataFrame({"rel_s": (f["time"] - t0).dt.total_seconds(), "end_s": float("nan"),
                         "kind": kind, "frame": f["frame"], "label": label,
                         "colour": kind.map(COLOURS)})


def _tcp(cap: Capture, session: int | None, t0: pd.Timestamp | None) -> list[pd.DataFrame]:
    """Resets as points and retransmissions as bursts, from the TCP events table if any."""
    events = getattr(cap, TCP_TABLE, None)
    if not isinstance(events, pd.DataFrame) or events.empty or t0 is None \
            or not {"frame", "time", "kind"} <= set(events.columns):
        return []
    if session is not None and "session" in events.columns:
        events = events[events["session"] == session]
    rel = (events["time"] - t0).dt.total_seconds()
    kind = events["kind"].astype(str)
    resets = events[kind.isin(("rst", "reset"))]
    out = [pd.DataFrame({"rel_s": rel[resets.index], "end_s": float("nan"), "kind": "reset",
                         "frame": resets["frame"],
                         "label": [f"TCP reset (RST), frame {n}" for n in resets["frame"]],
                         "colour": COLOURS["reset"]})]
    retrans = rel[kind.str.contains("retransmission")].sort_values()
    out.append(_bursts(retrans, events["frame"]))
    return out


def _bursts(rel: pd.Series, frames: pd.Series) -> pd.DataFrame:
    rows, start, last, count, first = [], None, 0.0, 0, 0
    for index, t in rel.items():
        if start is not None and t - last <= BURST_S:
            last, count = t, count + 1
            continue
        if start is not None:
            rows.append((start, last, count, first))
        start, last, count, first = t, t, 1, int(frames[index])
    if start is not None:
        rows.append((start, last, count, first))
    return pd.DataFrame({
        "rel_s": [r[0] for r in rows], "end_s": [r[1] for r in rows],
        "kind": "retransmissions", "frame": [r[3] for r in rows],
        "label": [f"{r[2]} TCP retransmission(s) from frame {r[3]}" for r in rows],
        "colour": COLOURS["retransmissions"]}, columns=COLUMNS)
