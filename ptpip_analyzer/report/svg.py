"""A few SVG primitives for the report's hand-drawn charts (no plotting library, no network).

Charts are built as lists of SVG element strings on a fixed-size canvas; ``<title>`` children
give hover tooltips in any browser. Text is always escaped: names come from the wire.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from html import escape

# Tableau-like palette, readable on white; operations get colours in order of first use.
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#8c564b")
DIRECTION_COLOURS = {"to_camera": "#4e79a7", "to_host": "#e15759"}
FONT = "font-family:system-ui,sans-serif"


class Canvas:
    def __init__(self, width: float, height: float, label: str) -> None:
        self.width, self.height, self.label = width, height, label
        self.items: list[str] = []
        # the arrowhead's id, unique in a document of many charts: from the chart's label
        self.arrow_id = "arrow-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.arrows = False

    def add(self, item: str) -> None:
        self.items.append(item)

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = "#888",
             width: float = 1, dash: str | None = None, marker: str | None = None,
             title: str | None = None, data: str = "") -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        if marker:
            extra += f' marker-end="url(#{self.arrow_id})"'
            self.arrows = True
        element = (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="{colour}" stroke-width="{width}"{extra}{data}')
        self.add(f"{element}><title>{escape(title)}</title></line>" if title else
                 f"{element}/>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str,
             title: str | None = None, data: str = "", opacity: float = 1.0) -> None:
        """``data``: extra attributes (already escaped), e.g. the times a zoom script uses."""
        tip = f"<title>{escape(title)}</title>" if title else ""
        alpha = f' fill-opacity="{opacity}"' if opacity < 1 else ""
        self.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 1.0):.1f}" '
                 f'height="{h:.1f}" fill="{fill}"{alpha}{data}>{tip}</rect>')

    def text(self, x: float, y: float, content: str, size: int = 11, anchor: str = "start",
             colour: str = "#222", bold: bool = False) -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                 f'fill="{colour}"{weight}>{escape(content)}</text>')

    def polyline(self, points: Sequence[tuple[float, float]], colour: str,
                 width: float = 1.5, data: str = "") -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.add(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                 f'stroke-width="{width}"{data}/>')

    def marker(self, x: float, y: float, colour: str, title: str, data: str = "") -> None:
        """A small triangle at (x, y), placed by ``transform`` so a zoom script can move it."""
        self.add(f'<path d="M0,-6 l5,9 h-10 z" transform="translate({x:.1f},{y:.1f})" '
                 f'fill="{colour}"{data}><title>{escape(title)}</title></path>')

    def clipped(self, ident: str, x: float, y: float, w: float, h: float) -> None:
        """Open a group clipped to a rectangle (close it with ``end_group``)."""
        self.add(f'<clipPath id="{ident}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                 f'height="{h:.1f}"/></clipPath><g clip-path="url(#{ident})">')

    def group(self, attributes: str = "") -> None:
        self.add(f"<g{attributes}>")

    def end_group(self) -> None:
        self.add("</g>")

    def render(self, attributes: str = "") -> str:
        return "".join(self.pieces(attributes))

    def pieces(self, attributes: str = "") -> list[str]:
        """``render()`` in pieces, to write one after the other (a chart of 20,000 bars is
        7 MB: joined once it sat in memory twice over)."""
        defs = (f'<defs><marker id="{self.arrow_id}" viewBox="0 0 10 10" refX="10" refY="5" '
                'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                '<path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>'
                if self.arrows else "")
        head = (f'<svg role="img"{attributes} '
                f'aria-label="{escape(self.label)}" width="{self.width:.0f}" '
                f'height="{self.height:.0f}" viewBox="0 0 {self.width:.0f} {self.height:.0f}" '
                f'style="{FONT}">{defs}')
        return [head, *self.items, "</svg>"]


def nice_step(span: float, ticks: int = 6) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def ticks(low: float, high: float, count: int = 6) -> list[float]:
    step = nice_step(high - low, count)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def seconds_label(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if abs(value) < 1:
        return f"{value * 1e3:.4g} ms"
    return f"{value:.4g} s"


def bytes_label(value: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(value) >= size:
            return f"{value / size:.3g} {unit}"
    return f"{value:.0f} B"


def colours_for(names: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(dict.fromkeys(names))}


def times(t0: float, t1: float | None = None) -> str:
    """The data attributes that place an element in time (seconds) for the zoom script."""
    return f' data-t0="{t0:.6f}"' + (f' data-t1="{t1:.6f}"' if t1 is not None else "")
