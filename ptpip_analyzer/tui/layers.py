"""Wireshark's own view of the selected frame's lower layers (Ethernet/802.11, IP, TCP with its
flags, sequence numbers and analysis), fetched lazily for that one frame.

Measured on this machine (benchmarks/RESULTS.md, TUI section): pyshark's ``FileCapture`` with a
display filter took 1.5 s for frame 40 of a 60 KB capture, ``tshark -V`` for the same frame
0.87 s (most of it tshark's start), and pyshark parses PDML with an asyncio loop of its own in
the worker thread. So this runs ``tshark -r FILE -c N -Y frame.number==N -V -O LAYERS`` in a
thread worker (``-c N``: tshark stops reading at frame N instead of dissecting the whole file)
and shows its text tree as it prints it, escaped like every wire string.
"""

from __future__ import annotations

import shutil
import subprocess

from rich.text import Text
from textual.widgets import Tree

from ..terminal_text import escape

LAYERS = "eth,sll,wlan,radiotap,vlan,ip,ipv6,tcp"
TIMEOUT_S = 60


def tshark_layers(path: str, frame: int) -> list[tuple[int, str]] | str:
    """(depth, line) of tshark's detail tree for ``frame``, or one line saying why not."""
    tshark = shutil.which("tshark")
    if tshark is None:
        return "tshark is not installed: Wireshark's view of the lower layers needs it"
    try:
        out = subprocess.run([tshark, "-r", path, "-c", str(frame), "-Y",
                              f"frame.number=={frame}", "-V", "-O", LAYERS],
                             capture_output=True, text=True, errors="replace",
                             timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return f"tshark took over {TIMEOUT_S} s for frame {frame}"
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    if not lines:
        why = escape(out.stderr.strip().splitlines()[-1]) if out.stderr.strip() else "no output"
        return f"tshark shows no frame {frame}: {why}"
    return [((len(line) - len(line.lstrip(" "))) // 4, escape(line.strip())) for line in lines]


class LayersTree(Tree[None]):
    """tshark's tree for one frame; ``show_lines`` fills it, ``say`` puts one line instead."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Wireshark layers (w)"), id=id)

    def say(self, line: str) -> None:
        self.clear()
        self.root.set_label(Text(line))

    def show_lines(self, frame: int, lines: list[tuple[int, str]]) -> None:
        self.clear()
        self.root.set_label(Text(f"Wireshark: frame {frame}"))
        stack = [self.root]
        for i, (depth, text) in enumerate(lines):
            del stack[depth + 1:]
            parent = stack[-1]
            if i + 1 < len(lines) and lines[i + 1][0] > depth:
                stack.append(parent.add(Text(text), expand=depth == 0
                                        and not text.startswith("Frame ")))
            else:
                parent.add_leaf(Text(text))
        self.root.expand()
