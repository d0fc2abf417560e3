#!/usr/bin/env python3
"""CPU µs per PTP/IP packet, stage by stage, by running the pipeline cut after each stage.

    python3 benchmarks/stage_times.py                  # 20,000 small transactions
    python3 benchmarks/stage_times.py --small 5000 --repeat 5
    PTPIP_PURE=1 python3 benchmarks/stage_times.py     # the pure-Python path

``stage_profile.py`` charges cProfile's time to modules, which needs Python frames: compiled
modules (``scripts/build_accel.py``) have none, and the profiler's overhead differs between the
two paths. Here each run is the real pipeline stopped after one more stage (read; + link/IP/TCP;
+ flow table, TCP reassembly and TCP analysis; + framing; + decode and the dissector's books;
then the engine in its dissect, validate and load modes), timed in CPU seconds (best of
``--repeat``, interleaved), so a stage's cost is the difference to the row above, measured the
same way on either path. The capture is held in memory: no file I/O is timed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench

from ptpip_analyzer import accel, cli
from ptpip_analyzer.engine import Engine, EngineOptions
from ptpip_analyzer.model import Buffer, Connection, Direction
from ptpip_analyzer.pipeline import Dissector
from ptpip_analyzer.reassembly.flows import FlowTable
from ptpip_analyzer.sources.capture_file import CaptureReader
from ptpip_analyzer.sources.link import FrameStats, tcp_segments


class _NullSink:
    def data(self, offset: int, data: Buffer, frame: int, time: float) -> None:
        pass

    def gap(self, offset: int, length: int, frame: int, time: float, reason: str) -> None:
        pass


def _null_sink(conn: Connection, direction: Direction, midstream: bool) -> _NullSink:
    return _NullSink()


def read(data: bytes) -> int:
    reader = CaptureReader()
    reader.push(data)
    reader.end()
    return sum(1 for _ in reader.frames())


def _segments(data: bytes):  # type: ignore[no-untyped-def]
    reader = CaptureReader()
    reader.push(data)
    reader.end()
    return tcp_segments(reader.frames(), FrameStats())


def link(data: bytes) -> int:
    return sum(1 for _ in _segments(data))


def flows(data: bytes) -> int:
    table = FlowTable(_null_sink)
    for segment in _segments(data):
        table.feed(segment)
    return len(table.connections)


def framing(data: bytes) -> int:
    dissector = Dissector()
    feed, pending, n = dissector.flows.feed, dissector.pending, 0
    for segment in _segments(data):
        feed(segment)
        n += len(pending)
        pending.clear()
    return n


def decode(data: bytes) -> int:
    dissector = Dissector()
    n = 0
    for segment in _segments(data):
        n += len(dissector.feed(segment))
    return n + len(dissector.close())


def engine(**options: bool) -> Callable[[bytes], int]:
    def run(data: bytes) -> int:
        e = Engine(EngineOptions(**options))  # type: ignore[arg-type]
        n = len(e.feed_bytes(data)) + len(e.close())
        if options.get("tables"):
            e.snapshot()
        return n
    return run


def dissect_command(path: Path) -> Callable[[bytes], int]:
    """The dissect command in this process (text lines to /dev/null): what it adds to the
    engine's run is frame order, the text line and its loop (imports are done by then)."""
    def run(data: bytes) -> int:
        with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
            return cli.main(["dissect", str(path)])
    return run


STAGES: list[tuple[str, str, Callable[[bytes], int]]] = [
    # (row, what the difference to the row above is, run)
    ("read", "pcap records (CaptureReader)", read),
    ("+ link", "link/IP/TCP headers (tcp_segments)", link),
    ("+ flows", "flow table, TCP reassembly, TCP analysis", flows),
    ("+ framing", "framing (PDUs)", framing),
    ("+ decode", "decode (fast path) and the dissector's books", decode),
    ("engine dissect", "engine items (no annotation, no validation)",
     engine(annotate=False, validate=False)),
    ("engine validate", "validator", engine(annotate=False, validate=True)),
    ("engine load", "annotator, tables, pandas snapshot", engine(tables=True)),
]
DISSECT = ("dissect command", "frame order, text lines, the command's loop (to /dev/null)")


def cpu(run: Callable[[bytes], int], data: bytes) -> float:
    start = time.process_time()
    run(data)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=20_000, metavar="N",
                        help="small transactions in the generated capture")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (best counts)")
    parser.add_argument("--no-load", action="store_true", help="skip the load row")
    args = parser.parse_args()
    stages = [s for s in STAGES if not (args.no_load and s[0] == "engine load")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "small.pcap"
        frames = bench.generate(path, 0, 0, False, False, args.small)
        data = path.read_bytes()
        stages.append((*DISSECT, dissect_command(path)))
        return _measure(stages, data, frames, args)


def _measure(stages: list[tuple[str, str, Callable[[bytes], int]]], data: bytes, frames: int,
             args: argparse.Namespace) -> int:
    packets = decode(data)
    best = {name: float("inf") for name, _, _ in stages}
    for _ in range(args.repeat):  # interleaved: load changes hit every stage alike
        for name, _, run in stages:
            best[name] = min(best[name], cpu(run, data))
    print(f"capture: {args.small} small transactions, {frames} frames, {packets} records; "
          f"path: {accel.describe()}\n")
    print("| stage | cumulative µs/packet | this stage µs/packet |")
    print("|---|---|---|")
    previous = 0.0
    for name, what, _ in stages:
        total = best[name] / packets * 1e6
        base = previous if not name.startswith(("engine", "dissect")) \
            or name == "engine dissect" else best["engine dissect"] / packets * 1e6
        print(f"| {name}: {what} | {total:.2f} | {total - base:.2f} |")
        if not name.startswith("engine") or name == "engine dissect":
            previous = total
    return 0


if __name__ == "__main__":
    sys.exit(main())
