"""What the report's time charts mark: capture gaps, malformed regions, warnings and errors, and
TCP trouble when the capture's tables carry it: resets (the ``tcp`` table's RST frames) and
the transactions during which TCP retransmitted (``retransmissions``), as bands over them.

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
    return capture_t0(cap.packet_table.first())


def _mine(frame: pd.DataFrame, session: int | None) -> pd.DataFrame:
    return frame if session is None else frame[frame["session"] == session]


def _gaps(cap: Capture, session: int | None) -> pd.DataFrame:
    g = _mine(cap.gaps, session)
    kind = g["kind"].astype(str)
    label = [f"{k} of {n:,} bytes at frame {f} ({d}): {r}" for k, n, f, d, r in
             zip(kind.map({"gap": "capture gap", "malformed": "malformed region"}),
                 g["length"], g["frame"],
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
    """Resets (the ``tcp`` table's RST frames) as points, and the transactions TCP
    retransmitted in (the transactions table's ``retransmissions``) as bands."""
    return [_resets(cap, session), _retransmitted(cap, session)]


def _resets(cap: Capture, session: int | None) -> pd.DataFrame:
    tcp = getattr(cap, "tcp", None)
    if not isinstance(tcp, pd.DataFrame) or "rst_frame" not in tcp.columns:
        return pd.DataFrame(columns=COLUMNS)
    resets = _mine(tcp, session).dropna(subset=["rst_frame"])
    if resets.empty:
        return pd.DataFrame(columns=COLUMNS)
    places = cap.packet_table.places(FRAME_REL)
    rows = [(frame_rel(places, int(r.stream), int(r.rst_frame)), int(r.rst_frame),
             f"TCP reset (RST) from {r.sender} on the {r.role} connection, frame {r.rst_frame}")
            for r in resets.itertuples(index=False)]
    rows = [r for r in rows if r[0] is not None]
    return pd.DataFrame({"rel_s": [r[0] for r in rows], "end_s": float("nan"), "kind": "reset",
                         "frame": [r[1] for r in rows], "label": [r[2] for r in rows],
                         "colour": COLOURS["reset"]}, columns=COLUMNS)


FRAME_REL = ("stream", "frame", "rel_s")  # the packets' places frame_rel reads


def frame_rel(packets: pd.DataFrame, stream: int, frame: int) -> float | None:
    """About when ``frame`` (a TCP segment, maybe without PTP/IP bytes) was captured: the
    time of the stream's last PTP/IP record up to it (or its first one after)."""
    mine = packets[packets["stream"] == stream]
    before = mine[mine["frame"] <= frame]
    picked = before.tail(1) if len(before) else mine.head(1)
    return float(picked["rel_s"].iloc[0]) if len(picked) else None


def _retransmitted(cap: Capture, session: int | None) -> pd.DataFrame:
    tx = _mine(cap.transactions, session)
    if "retransmissions" not in tx.columns or tx.empty:
        return pd.DataFrame(columns=COLUMNS)
    hit = tx[tx["retransmissions"].fillna(0) > 0]
    end = hit["start_rel_s"] + hit["latency_s"]
    if end.isna().any():
        end = end.fillna(_last_rel(cap))
    stall = hit["stall_s"] if "stall_s" in hit.columns else pd.Series(0.0, index=hit.index)
    label = [f"{int(n)} TCP retransmission(s) during {op} tid {tid}"
             + (f", stalled {s:.3f} s" if not pd.isna(s) and s >= 0.0005 else "")
             for n, op, tid, s in zip(hit["retransmissions"], hit["opcode_name"],
                                      hit["transaction_id"], stall, strict=True)]
    return pd.DataFrame({"rel_s": hit["start_rel_s"], "end_s": end, "kind": "retransmissions",
                         "frame": hit["start_frame"], "label": label,
                         "colour": COLOURS["retransmissions"]}, columns=COLUMNS)


def _last_rel(cap: Capture) -> float:
    places = cap.packet_table.places({"rel_s"})
    return float(places["rel_s"].max()) if len(places) else 0.0
