"""Which ladder diagrams the report draws, and what they highlight: each session's first
packets, every failing transaction with its command connection's packets and the session's
events meanwhile; the packets the findings name (a red band, ``ladder.ladder_svg``) and the TCP
resets of the connection (``tcp`` table) where they came."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .ladder import Step, ladder_svg, reset_step
from .marks import FRAME_REL, frame_rel

if TYPE_CHECKING:
    from ..analyze.capture import Capture

FIRST_PACKETS = 40  # packets in the opening ladder diagram
MAX_FAILING = 6  # failing transactions drawn as their own ladder


def offending(cap: Capture, session: object, tid: object = None) -> dict[int, str]:
    """Frame -> what the findings say is wrong with it, for one session (one transaction)."""
    f = cap.findings[cap.findings["session"] == session]
    if tid is not None:
        f = f[f["transaction_id"] == tid]
    out: dict[int, str] = {}
    for frame, rule, message in zip(f["frame"], f["rule"].astype(str), f["message"],
                                    strict=True):
        out[int(frame)] = f"{out[int(frame)]}; " if int(frame) in out else ""
        out[int(frame)] += f"{rule}: {message}"
    return out


def resets(cap: Capture, streams: list[int], first: int, last: int | None) -> list[Step]:
    """The TCP resets (``tcp`` table) of ``streams`` between frames ``first`` and ``last``."""
    tcp = cap.tcp[cap.tcp["stream"].isin(streams) & cap.tcp["rst_frame"].notna()]
    out: list[Step] = []
    if tcp.empty:
        return out
    places = cap.packet_table.places(FRAME_REL)
    for r in tcp.itertuples(index=False):
        frame = int(r.rst_frame)
        rel = frame_rel(places, int(r.stream), frame)
        if frame >= first and (last is None or frame <= last) and rel is not None:
            out.append(reset_step(frame, rel, str(r.role), str(r.direction)))
    return out


def first_packets(cap: Capture, s: object) -> str:
    rows, streams = session_start(cap, s, FIRST_PACKETS * 8)
    first = cap.packet_table.take(rows)
    return (f"<h3>Session {s}: first packets</h3>"
            + ladder_svg(first, f"session {s} ladder", FIRST_PACKETS, offending(cap, s),
                         resets(cap, streams, 0, None)))


def session_start(cap: Capture, s: object, count: int, part: int = 1 << 16
                  ) -> tuple[np.ndarray, list[int]]:
    """The row numbers of session ``s``'s first ``count`` packets by frame (a frame's packets
    in the order they came), and the streams any of its packets is on: read a part of the
    packets (``part`` rows) at a time, keeping only the earliest rows found so far (issue 17)."""
    rows = np.zeros(0, np.int64)
    frames = np.zeros(0, np.int64)
    streams: set[int] = set()
    for start, piece in cap.packet_table.place_parts({"session", "frame", "stream"}, part):
        found = np.flatnonzero((piece["session"] == s).fillna(False).to_numpy(dtype=bool))
        streams.update(np.unique(piece["stream"].to_numpy()[found]).tolist())
        rows = np.concatenate([rows, found + start])
        frames = np.concatenate([frames, piece["frame"].to_numpy(dtype=np.int64)[found]])
        keep = np.lexsort((rows, frames))[:count]
        rows, frames = rows[keep], frames[keep]
    return rows, sorted(streams)


def failing_ladders(cap: Capture, failing: pd.DataFrame) -> list[str]:
    """A heading and a ladder for each of the first ``MAX_FAILING`` failing transactions."""
    parts = []
    for tx in failing.head(MAX_FAILING).itertuples(index=False):
        problems = offending(cap, tx.session, tx.transaction_id)
        if not problems and not pd.isna(tx.end_frame):  # a refused request: its response
            problems = {int(tx.end_frame): f"response {tx.response_name}"}
        parts.append(f"<h3>Session {tx.session}: {escape(str(tx.opcode_name))} "
                     f"(tid {tx.transaction_id}) — "
                     f"{escape(str(tx.response_name) if tx.complete else 'no response')}, "
                     f"{tx.findings} finding(s)</h3>"
                     + ladder_svg(_transaction_packets(cap, tx), f"session {tx.session} "
                                  f"transaction {tx.transaction_id} ladder",
                                  offending=problems, resets=_cut_by(cap, tx)))
    return parts


def _cut_by(cap: Capture, tx: object) -> list[Step]:
    """The reset of the transaction's command connection while it ran (to the end of the
    capture when it was never answered)."""
    end = getattr(tx, "end_frame")  # noqa: B009 (itertuples rows are untyped)
    return resets(cap, [int(getattr(tx, "stream"))], int(getattr(tx, "start_frame")),  # noqa: B009
                  None if pd.isna(end) else int(end))


def _transaction_packets(cap: Capture, tx: object) -> pd.DataFrame:
    """The transaction's packets on its command stream, and events of its session meanwhile."""
    p = cap.packet_table.places({"frame", "stream", "role", "session"})  # (issue 17)
    start, end = getattr(tx, "start_frame"), getattr(tx, "end_frame")  # noqa: B009
    last = end if not pd.isna(end) else p["frame"].max()
    span = (p["frame"] >= start) & (p["frame"] <= last)
    mine = span & (p["stream"] == getattr(tx, "stream"))  # noqa: B009
    events = span & (p["role"] == "event") & (p["session"] == getattr(tx, "session"))  # noqa: B009
    wanted = (mine | events).fillna(False).to_numpy(dtype=bool)
    return cap.packet_table.take(np.flatnonzero(wanted)).sort_values("frame")
