"""The report's charts as inline SVG: transaction timeline, throughput, latency per operation.

Times are seconds since the capture's first PTP/IP record everywhere (``rel_s``), so a
session's charts and the marks (``report.marks``: gaps, warnings and errors, TCP trouble) line
up. The timeline and throughput charts are zoomable in the browser (``report.script``): each
time-placed element carries its times as ``data-t0``/``data-t1`` attributes, and without the
script the chart is the whole span, as drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .svg import (
    DIRECTION_COLOURS,
    Canvas,
    bytes_label,
    colours_for,
    nice_step,
    seconds_label,
    ticks,
    times,
)

WIDTH, LEFT, RIGHT = 900, 190, 20
PLOT = WIDTH - LEFT - RIGHT
MAX_BARS = 5000  # event markers drawn at most (an SVG with many more gets slow to open)
MAX_LANES = 40  # operation lanes before the timeline turns to one lane per session


@dataclass(frozen=True, slots=True)
class TimeAxis:
    """Seconds ``lo``..``hi`` across the plot's width."""

    lo: float
    hi: float

    @staticmethod
    def over(values: list[float]) -> TimeAxis:
        lo, hi = min(values, default=0.0), max(values, default=0.0)
        return TimeAxis(lo, lo + max((hi - lo) * 1.02, 1e-6))

    def x(self, t: float) -> float:
        return LEFT + PLOT * (t - self.lo) / (self.hi - self.lo)

    def width(self, seconds: float) -> float:
        return PLOT * seconds / (self.hi - self.lo)

    def attributes(self, ident: str, group: str) -> str:
        """The root attributes the zoom script reads (``group``: charts zoomed together)."""
        return (f' class="zoomable" data-left="{LEFT}" data-plot="{PLOT}" '
                f'data-lo="{self.lo:.6f}" data-hi="{self.hi:.6f}" id="{ident}"'
                + (f' data-group="{group}"' if group else ""))


def _x_axis(canvas: Canvas, axis: TimeAxis, y: float, label: str = "seconds") -> None:
    canvas.line(LEFT, y, WIDTH - RIGHT, y, "#444")
    canvas.group(f' class="axis" data-y="{y:.1f}"')
    for t in ticks(axis.lo, axis.hi):
        x = axis.x(t)
        canvas.line(x, y, x, y + 4, "#444")
        canvas.text(x, y + 16, seconds_label(t), 10, "middle", "#444")
    canvas.end_group()
    canvas.text(WIDTH - RIGHT, y + 30, label, 10, "end", "#666")


def _marks(canvas: Canvas, marks: pd.DataFrame | None, axis: TimeAxis, top: float,
           bottom: float) -> None:
    """Vertical lines (points) and shaded bands (bursts) over the plot, with tooltips."""
    if marks is None:
        return
    for m in marks.itertuples(index=False):
        if pd.isna(m.end_s):
            x = axis.x(m.rel_s)
            canvas.line(x, top, x, bottom, m.colour, 1.5, "3 2", title=m.label,
                        data=times(m.rel_s))
        else:
            canvas.rect(axis.x(m.rel_s), top, axis.width(m.end_s - m.rel_s), bottom - top,
                        m.colour, m.label, times(m.rel_s, m.end_s), opacity=0.25)


def timeline_svg(transactions: pd.DataFrame, events: pd.DataFrame,
                 marks: pd.DataFrame | None = None, ident: str = "timeline",
                 group: str = "") -> str:
    """Gantt-like: one lane per operation (per session; one per session when that would be
    more than ``MAX_LANES``), a bar per transaction from request to response (unanswered ones
    run to the chart's end, grey), events marked below, the marks across. Bars less than half a pixel apart in one lane merge into one, so a long capture
    stays a small SVG (zooming in does not split them)."""
    tx = transactions
    several = tx["session"].nunique() > 1
    lanes = [_lane(r, several) for r in tx.itertuples(index=False)]
    if len(set(lanes)) > MAX_LANES:  # many sessions: a lane each, operations by colour
        lanes = [f"session {s}" for s in tx["session"]]
    order = list(dict.fromkeys(lanes))
    colours = colours_for([str(n) for n in tx["opcode_name"]])
    shown = marks if marks is not None else pd.DataFrame({"rel_s": [], "end_s": []})
    axis = TimeAxis.over([*tx["start_rel_s"], *(tx["start_rel_s"] + tx["latency_s"].fillna(0)),
                          *events["rel_s"], *shown["rel_s"], *shown["end_s"].dropna()])
    lane_h = 18
    bottom = 20 + lane_h * (len(order) + 1)
    canvas = Canvas(WIDTH, bottom + 44, "transaction timeline")
    for i, lane in enumerate([*order, "events"]):
        y = 20 + lane_h * i
        canvas.rect(LEFT, y, PLOT, lane_h - 2, "#f4f4f4" if i % 2 else "#fafafa")
        canvas.text(LEFT - 6, y + 12, lane, 11, "end")
    canvas.clipped(f"{ident}-clip", LEFT, 0, PLOT, bottom + 2)
    for lane, t0, t1, colour, tip in _bars(tx, lanes, axis, colours):
        canvas.rect(axis.x(t0), 20 + lane_h * order.index(lane) + 2, axis.width(t1 - t0),
                    lane_h - 6, colour, tip, times(t0, t1))
    y_events = 20 + lane_h * len(order) + 13
    for ev in events.head(MAX_BARS).itertuples(index=False):
        canvas.marker(axis.x(ev.rel_s), y_events, "#b07aa1",
                      f"{ev.code_name} at {ev.rel_s:.6f} s (frame {ev.frame})",
                      times(ev.rel_s) + f' data-y="{y_events:.1f}"')
    _marks(canvas, marks, axis, 18, bottom)
    canvas.end_group()
    _x_axis(canvas, axis, bottom + 2)
    return canvas.render(axis.attributes(ident, group))


Bar = tuple[str, float, float, str, str]  # lane, from, to (seconds), colour, tooltip


def _bars(tx: pd.DataFrame, lanes: list[str], axis: TimeAxis,
          colours: dict[str, str]) -> list[Bar]:
    last: dict[tuple[str, str], int] = {}  # (lane, colour) -> index of its latest bar
    bars: list[Bar] = []
    counts: list[int] = []
    half_pixel = 0.5 * (axis.hi - axis.lo) / PLOT
    for row, lane in zip(tx.itertuples(index=False), lanes, strict=True):
        answered = not pd.isna(row.latency_s)
        t0 = float(row.start_rel_s)
        t1 = t0 + (row.latency_s if answered else axis.hi - t0)
        colour = colours[str(row.opcode_name)] if answered else "#cccccc"
        i = last.get((lane, colour))
        if i is not None and t0 - bars[i][2] < half_pixel:  # touches the previous bar: merge
            counts[i] += 1
            bars[i] = (lane, bars[i][1], max(t1, bars[i][2]), colour,
                       f"{counts[i]} × {row.opcode_name} (merged at this zoom)")
            continue
        last[(lane, colour)] = len(bars)
        counts.append(1)
        tip = (f"{row.opcode_name} tid {row.transaction_id}: "
               f"{row.response_name if answered else 'no response'}, "
               f"{seconds_label(t1 - t0)}, {bytes_label(row.data_bytes)}")
        bars.append((lane, t0, t1, colour, tip))
    return bars


def _lane(row: object, several: bool) -> str:
    name = str(getattr(row, "opcode_name"))  # noqa: B009 (itertuples rows are untyped)
    return f"S{getattr(row, 'session')} {name}" if several else name  # noqa: B009


def throughput_interval(duration_s: float) -> str:
    """A round resampling interval giving about 150 points over the capture."""
    step = max(nice_step(duration_s, 150), 1e-3)
    return f"{round(step * 1e6)}us"


def throughput_svg(rate: pd.DataFrame, interval: str, marks: pd.DataFrame | None = None,
                   t0: pd.Timestamp | None = None, ident: str = "throughput",
                   group: str = "") -> str:
    """Bytes/s per direction over time (``rate`` from ``Capture.throughput(by=["direction"])``),
    seconds counted from ``t0`` (the capture's first record; default the first interval)."""
    height, top, plot_h = 276, 36, 190
    canvas = Canvas(WIDTH, height, "throughput")
    if rate.empty:
        canvas.text(LEFT, 40, "no PTP/IP traffic")
        return canvas.render()
    rel = (rate["time"] - (rate["time"].min() if t0 is None else t0)).dt.total_seconds()
    step = pd.Timedelta(interval).total_seconds()
    axis = TimeAxis(float(rel.min()), max(float(rel.max()) + step, float(rel.min()) + 1e-6))
    peak = max(float(rate["bytes_per_s"].max()), 1.0)
    for value in ticks(0, peak, 4):
        y = top + plot_h * (1 - value / peak)
        canvas.line(LEFT, y, WIDTH - RIGHT, y, "#eee")
        canvas.text(LEFT - 6, y + 4, f"{bytes_label(value)}/s", 10, "end", "#444")
    canvas.clipped(f"{ident}-clip", LEFT, 0, PLOT, top + plot_h + 2)
    for i, (direction, rows) in enumerate(rate.assign(rel=rel).groupby("direction",
                                                                        observed=True)):
        colour = DIRECTION_COLOURS.get(str(direction), "#444")
        steps: list[tuple[float, float]] = []  # (seconds, y): the zoom script's points
        for r, value in zip(rows["rel"], rows["bytes_per_s"], strict=True):
            y = top + plot_h * (1 - value / peak)
            steps += [(r, y), (r + step, y)]
        data = " ".join(f"{t:.6f}:{y:.1f}" for t, y in steps)
        canvas.polyline([(axis.x(t), y) for t, y in steps], colour,
                        data=f' data-tpoints="{data}"')
        canvas.text(LEFT + 10 + 110 * i, 14, f"■ {direction}", 11, colour=colour)
    _marks(canvas, marks, axis, top, top + plot_h)
    canvas.end_group()
    _x_axis(canvas, axis, top + plot_h, f"seconds (per {seconds_label(step)})")
    return canvas.render(axis.attributes(ident, group))


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
    plot = PLOT - 120

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
