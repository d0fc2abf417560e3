"""Where the time went, as stacked bars: per session (``stats.time_breakdown``: camera,
transfer, host, idle, the rest; TCP stalls beside, since they overlap the others) and per slow
transaction (its wait, transfer and finish; a data-out operation's wait is the host's)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .svg import Canvas, seconds_label

WIDTH, LEFT, RIGHT = 900, 190, 150
BUCKETS = {  # name -> (colour, what it is)
    "camera": ("#4e79a7", "camera: its wait before the first reply and after the last data"),
    "transfer": ("#59a14f", "data transfer: Start Data to the last data packet"),
    "host": ("#f28e2b", "host: its own delay before sending data (data-out operations)"),
    "idle": ("#bab0ac", "host idle: previous response to the next request"),
    "other": ("#e8e8e8", "the rest of the span: handshakes, after the last response"),
}
STALL_COLOUR = "#e15759"

Bar = tuple[str, Sequence[tuple[str, float]], float | None]  # label, buckets, TCP stall


def session_bars(breakdown: pd.DataFrame) -> list[Bar]:
    """``stats.time_breakdown`` rows as bars."""
    return [(f"session {r.session}",
             [(name, float(getattr(r, f"{name}_s"))) for name in BUCKETS],
             None if pd.isna(r.tcp_stall_s) else float(r.tcp_stall_s))
            for r in breakdown.itertuples(index=False)]


def transaction_bars(slowest: pd.DataFrame) -> list[Bar]:
    """The slowest transactions' wait / transfer / finish (``stats.slowest_transactions``)."""
    bars: list[Bar] = []
    for r in slowest.itertuples(index=False):
        wait = 0.0 if pd.isna(r.wait_s) else float(r.wait_s)
        host = str(r.wait_side) == "host"
        bars.append((f"{r.opcode_name} tid {r.transaction_id}", [
            ("host" if host else "camera", wait),
            ("transfer", 0.0 if pd.isna(r.transfer_s) else float(r.transfer_s)),
            ("camera", 0.0 if pd.isna(r.finish_s) else float(r.finish_s))], None))
    return bars


def breakdown_svg(bars: list[Bar], label: str) -> str:
    """One stacked bar per row, all on one linear scale; hover for each part's seconds."""
    return "".join(breakdown_pieces(bars, label))


def breakdown_pieces(bars: list[Bar], label: str) -> list[str]:
    """``breakdown_svg`` in pieces (Canvas.pieces)."""
    lane_h, top = 24, 30
    canvas = Canvas(WIDTH, top + lane_h * max(len(bars), 1) + 20, label)
    total = max((sum(s for _, s in parts) for _, parts, _ in bars), default=0.0)
    if total <= 0:
        canvas.text(LEFT, 40, "no time to break down")
        return canvas.pieces()
    scale = (WIDTH - LEFT - RIGHT) / total
    for i, name in enumerate(dict.fromkeys(n for _, parts, _ in bars for n, _ in parts)):
        canvas.rect(LEFT + 120 * i, 8, 10, 10, BUCKETS[name][0], BUCKETS[name][1])
        canvas.text(LEFT + 120 * i + 14, 17, name, 11)
    for i, (text, parts, stall) in enumerate(bars):
        y, x = top + lane_h * i, float(LEFT)
        canvas.text(LEFT - 6, y + 14, text, 11, "end")
        for name, seconds in parts:
            if seconds > 0:
                canvas.rect(x, y + 3, seconds * scale, lane_h - 8, BUCKETS[name][0],
                            f"{text}: {name} {seconds_label(seconds)} — {BUCKETS[name][1]}")
                x += seconds * scale
        if stall:
            canvas.rect(LEFT, y + lane_h - 6, stall * scale, 3, STALL_COLOUR,
                        f"{text}: TCP stalls {seconds_label(stall)} (inside the parts above)")
        spent = sum(s for _, s in parts)
        canvas.text(x + 6, y + 15, seconds_label(spent), 10, colour="#444")
    return canvas.pieces()
