#!/usr/bin/env python3
"""Where the time goes per PTP/IP packet, stage by stage, on a packet-heavy capture.

    python3 benchmarks/stage_profile.py              # 20,000 small transactions
    python3 benchmarks/stage_profile.py --small 5000

Runs the engine under cProfile three ways (dissect: no annotation or validation; validate;
load: every table) over a generated capture of many small transactions (benchmarks/bench.py's
generator) and charges each function's own time to the pipeline stage its module belongs to.
cProfile slows Python calls down by a roughly constant factor, so the absolute figures are
inflated; the wall time without the profiler is given beside them, and the per-stage figures are
scaled to it (``µs/packet``), which keeps the shares and gives a fair absolute estimate.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench

from ptpip_analyzer.engine import Dissection, EngineOptions
from ptpip_analyzer.model import Packet

STAGES = (  # module path prefix -> stage (first match wins)
    ("ptpip_analyzer/sources/capture_file", "reader (pcap records)"),
    ("ptpip_analyzer/sources/link", "link/IP/TCP"),
    ("ptpip_analyzer/reassembly", "TCP reassembly"),
    ("ptpip_analyzer/framing", "framing"),
    ("ptpip_analyzer/decode/_generated", "decode (Kaitai generated)"),
    ("kaitaistruct", "decode (Kaitai runtime)"),
    ("ptpip_analyzer/decode/packets", "decode (wrapper, fast path)"),
    ("ptpip_analyzer/pipeline", "dissector (collect, accounting)"),
    ("ptpip_analyzer/decode", "annotate (vendor, params, datasets)"),
    ("ptpip_analyzer/validate", "validate"),
    ("ptpip_analyzer/analyze", "tables (collect, build)"),
    ("ptpip_analyzer/engine", "engine"),
    ("pandas", "tables (pandas)"),
    ("numpy", "tables (pandas)"),
)
RUNS = {
    "dissect": {"annotate": False, "validate": False, "keep_payload": 0},
    "validate": {"annotate": False, "validate": True, "keep_payload": 0},
    "load (tables)": {"tables": True},
}


def stage_of(filename: str) -> str:
    for prefix, stage in STAGES:
        if prefix in filename:
            return stage
    return "other (builtins, I/O)"


def run(path: Path, options: dict[str, object]) -> int:
    source = Dissection(path, EngineOptions().with_(**options))
    packets = sum(isinstance(item.record, Packet) for item in source.items())
    if options.get("tables"):
        source.engine.snapshot()
    return packets


def profile(path: Path, name: str, options: dict[str, object]) -> None:
    started = time.perf_counter()
    packets = run(path, options)
    wall = time.perf_counter() - started
    profiler = cProfile.Profile()
    profiler.enable()
    run(path, options)
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_stage: dict[str, float] = defaultdict(float)
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in \
            stats.stats.items():  # type: ignore[attr-defined]
        by_stage[stage_of(filename)] += tottime
    total = sum(by_stage.values())
    print(f"\n### {name}: {packets} PTP/IP packets, {wall:.2f} s without the profiler "
          f"({wall / packets * 1e6:.1f} µs/packet)\n")
    print("| stage | share | µs/packet |")
    print("|---|---|---|")
    for stage, seconds in sorted(by_stage.items(), key=lambda kv: -kv[1]):
        share = seconds / total
        print(f"| {stage} | {share:.0%} | {share * wall / packets * 1e6:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=20_000, metavar="N",
                        help="small transactions in the generated capture")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "small.pcap"
        frames = bench.generate(path, 0, 0, False, False, args.small)
        print(f"capture: {args.small} small transactions, {frames} frames, "
              f"{path.stat().st_size / 1e6:.1f} MB")
        for name, options in RUNS.items():
            profile(path, name, options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
