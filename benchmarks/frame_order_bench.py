#!/usr/bin/env python3
"""Memory and time of dissect's frame-order window against completion order, same capture.

    python3 benchmarks/frame_order_bench.py benchmarks/small.pcap benchmarks/bench-20x5000000.pcap

Each mode runs in its own process (peak RSS is the child's ru_maxrss): the engine as dissect
drives it (no annotation or validation), records iterated in completion order, or through
``FrameOrder`` as dissect prints them. Reports records, inversions fixed, the window's peak.
"""

from __future__ import annotations

import itertools
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def child(path: str, mode: str) -> None:
    from ptpip_analyzer.engine import Dissection, EngineOptions
    from ptpip_analyzer.frame_order import FrameOrder
    run = Dissection(path, EngineOptions(annotate=False, validate=False, keep_payload=0))
    t0 = time.perf_counter()
    if mode == "ordered":
        order = FrameOrder(run.engine)
        frames = [i.record.frame for i in order.items(run.batches())]
        peak, forced = order.peak, order.forced
    else:
        frames = [i.record.frame for i in run.items()]
        peak, forced = 0, 0
    seconds = time.perf_counter() - t0
    inversions = sum(a > b for a, b in itertools.pairwise(frames))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mode": mode, "records": len(frames), "seconds": round(seconds, 3),
                      "peak_rss_kb": rss, "inversions": inversions, "window_peak": peak,
                      "forced": forced}))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    for path in sys.argv[1:]:
        for mode in ("completion", "ordered"):
            done = subprocess.run([sys.executable, __file__, "--child", path, mode],
                                  capture_output=True, text=True, check=True)
            print(Path(path).name, done.stdout.strip())


if __name__ == "__main__":
    main()
