"""Ladder (sequence) diagrams: who sent which PTP/IP packet when, between host and camera.

Three lifelines: the host, the camera's command connection and its event connection. Runs of
Data packets in one direction collapse into one arrow ("Data ×46, 3 MB") so a transfer stays
one line; every arrow has a tooltip with frame and time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .svg import Canvas, bytes_label, seconds_label

ROW, TOP, WIDTH = 24, 56, 860
NO_TRANSACTION = 0xFFFFFFFF  # events that name no transaction
LIFELINES = {"host": 230.0, "command": 560.0, "event": 800.0}


@dataclass(frozen=True, slots=True)
class Step:
    frame: int
    rel_s: float
    role: str
    direction: str
    label: str
    ptype: int
    count: int = 1
    last_frame: int = -1  # the last frame a merged Data run covers (-1: just ``frame``)

    def covers(self, frame: int) -> bool:
        return self.frame <= frame <= max(self.frame, self.last_frame)


def steps(packets: pd.DataFrame, limit: int = 60) -> list[Step]:
    """The packets as arrows, consecutive Data packets of one stream merged; at most ``limit``."""
    out: list[Step] = []
    data_bytes = 0
    for p in packets.itertuples(index=False):
        last = out[-1] if out else None
        if p.ptype == 10 and last is not None and last.ptype == 10 \
                and last.direction == p.direction and last.role == p.role:
            data_bytes += int(p.data_length or 0)
            out[-1] = Step(last.frame, last.rel_s, last.role, last.direction,
                           f"Data ×{last.count + 1}, {bytes_label(data_bytes)}", 10,
                           last.count + 1, int(p.frame))
            continue
        if len(out) >= limit:
            break
        if p.ptype == 10:
            data_bytes = int(p.data_length or 0)
        out.append(Step(int(p.frame), float(p.rel_s), str(p.role), str(p.direction),
                        _label(p), int(p.ptype)))
    return out


def _label(p: Any) -> str:
    ptype, name, tid = p.ptype, p.code_name, p.transaction_id
    tid_text = f" · tid {tid}" if not pd.isna(tid) and tid != NO_TRANSACTION else ""
    if ptype == 6:
        params = (p.param1, p.param2, p.param3, p.param4, p.param5)
        shown = ", ".join(f"0x{v:X}" for v in params if not pd.isna(v))
        return f"{name}({shown}){tid_text}"
    if ptype in (7, 8):
        return f"{name}{tid_text}"
    length = p.data_length
    if ptype == 9:
        return f"Start Data, {'unknown length' if pd.isna(length) else bytes_label(length)}"
    if ptype in (10, 12):
        return f"{p.type_name}, {bytes_label(0 if pd.isna(length) else length)}"
    return str(p.type_name)


RESET = 0  # the ``ptype`` of a TCP reset step (no PTP/IP packet type is 0)


def reset_step(frame: int, rel_s: float, role: str, direction: str) -> Step:
    """A TCP RST as a ladder step (a dashed black arrow), from the ``tcp`` table."""
    who = "camera" if direction == "to_host" else "host"
    return Step(frame, rel_s, role, direction, f"✕ TCP RST: connection reset by the {who}",
                RESET)


def ladder_svg(packets: pd.DataFrame, title: str, limit: int = 60,
               offending: Mapping[int, str] | None = None,
               resets: Sequence[Step] = ()) -> str:
    """The ladder of ``packets``; a packet whose frame is in ``offending`` (frame -> what is
    wrong, from the findings) is drawn on a red band with that text as its tooltip; the
    ``resets`` (``reset_step``) that fall among the packets shown are drawn where they came."""
    arrows = steps(packets, limit)
    last = arrows[-1].frame if len(arrows) >= limit else None
    arrows = sorted([*arrows, *(r for r in resets if last is None or r.frame <= last)],
                    key=lambda a: a.frame)
    canvas = Canvas(WIDTH, TOP + ROW * (len(arrows) + 1), title)
    for name, x in LIFELINES.items():
        heading = {"host": "Host (initiator)", "command": "Camera · command",
                   "event": "Camera · event"}[name]
        canvas.text(x, 20, heading, 12, "middle", bold=True)
        canvas.line(x, 30, x, canvas.height - 6, "#bbb", 1, "4 3")
    t0 = arrows[0].rel_s if arrows else 0.0
    for i, step in enumerate(arrows):
        problem = _problem(step, offending or {})
        if problem is not None:
            canvas.rect(4, TOP + ROW * i - 10, WIDTH - 8, ROW - 2, "#fde0e0", problem,
                        ' class="offending"')
        _arrow(canvas, step, TOP + ROW * i, t0, problem is not None)
    return canvas.render()


def _problem(step: Step, offending: Mapping[int, str]) -> str | None:
    texts = [text for frame, text in offending.items() if step.covers(frame)]
    return "; ".join(texts) if texts else None


def _arrow(canvas: Canvas, step: Step, y: float, t0: float, offending: bool = False) -> None:
    camera = LIFELINES["event" if step.role == "event" else "command"]
    host = LIFELINES["host"]
    x1, x2 = (host, camera) if step.direction == "to_camera" else (camera, host)
    colour = "#4e79a7" if step.direction == "to_camera" else "#e15759"
    reset = step.ptype == RESET
    canvas.text(8, y + 4, f"+{seconds_label(step.rel_s - t0)}", 10, colour="#666")
    canvas.text(8 + 88, y + 4, f"#{step.frame}", 10, colour="#999")
    canvas.line(x1, y + 6, x2, y + 6, "#000" if reset else colour, 1.4,
                "5 3" if reset else None, marker="arrow")
    canvas.add(f"<g><title>frame {step.frame}, {step.rel_s:.6f} s</title>")
    canvas.text((x1 + x2) / 2, y + 1, f"⚠ {step.label}" if offending else step.label, 11,
                "middle", "#b00020" if offending else "#222", bold=offending)
    canvas.add("</g>")
