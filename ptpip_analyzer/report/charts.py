"""The report's charts as inline SVG: transaction timeline, throughput, latency per operation."""

from __future__ import annotations

import math

import pandas as pd

from .svg import (
    DIRECTION_COLOURS,
    Canvas,
    bytes_label,
    colours_for,
    nice_step,
    seconds_label,
    ticks,
)

WIDTH, LEFT, RIGHT = 900, 190, 20
MAX_BARS = 5000  # event markers drawn at most (an SVG with many more gets slow to open)


def _x_axis(canvas: Canvas, span: float, y: float, label: str = "seconds") -> None:
    plot = WIDTH - LEFT - RIGHT
    canvas.line(LEFT, y, WIDTH - RIGHT, y, "#444")
    for t in ticks(0, span):
        x = LEFT + plot * t / span
        canvas.line(x, y, x, y + 4, "#444")
        canvas.text(x, y + 16, seconds_label(t), 10, "middle", "#444")
    canvas.text(WIDTH - RIGHT, y + 30, label, 10, "end", "#666")


def timeline_svg(transactions: pd.DataFrame, events: pd.DataFrame) -> str:
    """Gantt-like: one lane per operation (per session), a bar per transaction from request to
    response (unanswered ones run to the capture's end, grey), events marked below. Bars less
    than half a pixel apart in one lane merge into one, so a long capture stays a small SVG."""
    tx = transactions
    several = tx["session"].nunique() > 1
    lanes = [_lane(r, several) for r in tx.itertuples(index=False)]
    order = list(dict.fromkeys(lanes))
    colours = colours_for([str(n) for n in tx["opcode_name"]])
    ends = [*tx["start_rel_s"] + tx["latency_s"].fillna(0), *events["rel_s"], 1e-6]
    span = max(ends) * 1.02
    plot, lane_h = WIDTH - LEFT - RIGHT, 18
    canvas = Canvas(WIDTH, 20 + lane_h * (len(order) + 1) + 44, "transaction timeline")
    for i, lane in enumerate([*order, "events"]):
        y = 20 + lane_h * i
        canvas.rect(LEFT, y, plot, lane_h - 2, "#f4f4f4" if i % 2 else "#fafafa")
        canvas.text(LEFT - 6, y + 12, lane, 11, "end")
    for bar in _bars(tx, lanes, span, plot, colours):
        lane, x1, x2, colour, tip = bar
        canvas.rect(LEFT + x1, 20 + lane_h * order.index(lane) + 2, x2 - x1, lane_h - 6,
                    colour, tip)
    y_events = 20 + lane_h * len(order) + 13
    for ev in events.head(MAX_BARS).itertuples(index=False):
        canvas.marker(LEFT + plot * ev.rel_s / span, y_events, "#b07aa1",
                      f"{ev.code_name} at {ev.rel_s:.6f} s (frame {ev.frame})")
    _x_axis(canvas, span, 20 + lane_h * (len(order) + 1) + 2)
    return canvas.render()


Bar = tuple[str, float, float, str, str]  # lane, x from, x to (pixels), colour, tooltip


def _bars(tx: pd.DataFrame, lanes: list[str], span: float, plot: float,
          colours: dict[str, str]) -> list[Bar]:
    last: dict[tuple[str, str], int] = {}  # (lane, colour) -> index of its latest bar
    bars: list[Bar] = []
    counts: list[int] = []
    for row, lane in zip(tx.itertuples(index=False), lanes, strict=True):
        answered = not pd.isna(row.latency_s)
        duration = row.latency_s if answered else span - row.start_rel_s
        x1 = plot * row.start_rel_s / span
        x2 = x1 + max(plot * duration / span, 1.0)
        colour = colours[str(row.opcode_name)] if answered else "#cccccc"
        i = last.get((lane, colour))
        if i is not None and x1 - bars[i][2] < 0.5:  # touches the previous bar: merge
            counts[i] += 1
            bars[i] = (lane, bars[i][1], max(x2, bars[i][2]), colour,
                       f"{counts[i]} × {row.opcode_name} (merged at this zoom)")
            continue
        last[(lane, colour)] = len(bars)
        counts.append(1)
        tip = (f"{row.opcode_name} tid {row.transaction_id}: "
               f"{row.response_name if answered else 'no response'}, "
               f"{seconds_label(duration)}, {bytes_label(row.data_bytes)}")
        bars.append((lane, x1, x2, colour, tip))
    return bars


def _lane(row: object, several: bool) -> str:
    name = str(getattr(row, "opcode_name"))  # noqa: B009 (itertuples rows are untyped)
    return f"S{getattr(row, 'session')} {name}" if several else name  # noqa: B009


def throughput_interval(duration_s: float) -> str:
    """A round resampling interval giving about 150 points over the capture."""
    step = max(nice_step(duration_s, 150), 1e-3)
    return f"{round(step * 1e6)}us"


def throughput_svg(rate: pd.DataFrame, interval: str) -> str:
    """Bytes/s per direction over time (``rate`` from ``Capture.throughput(by=["direction"])``)."""
    height, top, plot_h = 276, 36, 190
    canvas = Canvas(WIDTH, height, "throughput")
    if rate.empty:
        canvas.text(LEFT, 40, "no PTP/IP traffic")
        return canvas.render()
    t0 = rate["time"].min()
    rel = (rate["time"] - t0).dt.total_seconds()
    step = pd.Timedelta(interval).total_seconds()
    span = max(float(rel.max()) + step, 1e-6)
    peak = max(float(rate["bytes_per_s"].max()), 1.0)
    plot = WIDTH - LEFT - RIGHT
    for value in ticks(0, peak, 4):
        y = top + plot_h * (1 - value / peak)
        canvas.line(LEFT, y, WIDTH - RIGHT, y, "#eee")
        canvas.text(LEFT - 6, y + 4, f"{bytes_label(value)}/s", 10, "end", "#444")
    for i, (direction, group) in enumerate(rate.assign(rel=rel).groupby("direction",
                                                                        observed=True)):
        colour = DIRECTION_COLOURS.get(str(direction), "#444")
        points: list[tuple[float, float]] = []
        for r, value in zip(group["rel"], group["bytes_per_s"], strict=True):
            y = top + plot_h * (1 - value / peak)
            points += [(LEFT + plot * r / span, y), (LEFT + plot * (r + step) / span, y)]
        canvas.polyline(points, colour)
        canvas.text(LEFT + 10 + 110 * i, 14, f"■ {direction}", 11, colour=colour)
    _x_axis(canvas, span, top + plot_h, f"seconds (per {seconds_label(step)})")
    return canvas.render()


def latency_svg(stats: pd.DataFrame) -> str:
    """Per operation, on a log scale: a bar to the median, a tick at p95, a whisker to max."""
    rows = stats.dropna(subset=["median_s"])
    lane_h, top = 22, 10
    height = top + lane_h * max(len(rows), 1) + 40
    canvas = Canvas(WIDTH, height, "latency per operation")
    if rows.empty:
        canvas.text(LEFT, 30, "no answered transactions")
        return canvas.render()
    low = math.floor(math.log10(max(float(rows["min_s"].min()), 1e-6)))
    high = math.ceil(math.log10(max(float(rows["max_s"].max()), 10 ** (low + 1))))
    plot = WIDTH - LEFT - RIGHT - 120

    def x(v: float) -> float:
        return LEFT + plot * (math.log10(max(v, 10 ** low)) - low) / (high - low)

    for i, r in enumerate(rows.itertuples(index=False)):
        y = top + lane_h * i
        canvas.text(LEFT - 6, y + 14, str(r[0]), 11, "end")
        tip = (f"{r[0]}: n={r.count}, min {seconds_label(r.min_s)}, median "
               f"{seconds_label(r.median_s)}, p95 {seconds_label(r.p95_s)}, max "
               f"{seconds_label(r.max_s)}")
        canvas.line(x(r.min_s), y + 10, x(r.max_s), y + 10, "#555")
        canvas.rect(LEFT, y + 3, x(r.median_s) - LEFT, lane_h - 8, "#4e79a7", tip)
        canvas.line(x(r.p95_s), y + 2, x(r.p95_s), y + lane_h - 4, "#e15759", 2)
        canvas.text(x(r.max_s) + 6, y + 14, f"{seconds_label(r.median_s)} (n={r.count})", 10)
    axis_y = top + lane_h * len(rows) + 4
    canvas.line(LEFT, axis_y, LEFT + plot, axis_y, "#444")
    for power in range(low, high + 1):
        canvas.line(x(10 ** power), axis_y, x(10 ** power), axis_y + 4, "#444")
        canvas.text(x(10 ** power), axis_y + 16, seconds_label(10 ** power), 10, "middle")
    canvas.text(LEFT + plot, axis_y + 30, "bar: median · red tick: p95 · line: min to max",
                10, "end", "#666")
    return canvas.render()
