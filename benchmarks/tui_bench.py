#!/usr/bin/env python3
"""Benchmark the TUI (not a timed test): the real app, headless, on generated captures.

    python3 benchmarks/tui_bench.py                  # ~500 MB object capture + 500k packets
    python3 benchmarks/tui_bench.py --small 20000    # a smaller packet-heavy one only

For each capture (generated with benchmarks/bench.py's ``generate``, deleted afterwards unless
--keep), one child process runs ``PtpipApp`` headless (Textual's run_test, 160x50) and reports:
time to first rows (app start to the first records in the packet list), time to fully indexed
(the whole capture in the store and every table), time to jump to the last row and draw the
page, time to apply a display filter and draw its first page (a common and a rare match), the
time until that filter's scan is complete, and the child's peak RSS. A second child measures
Textual's DataTable holding the same number of packet rows, the alternative the Line API list
was chosen against.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SIZE = (160, 50)


def _draw_page(table: object) -> float:
    """Seconds to render every line of the table's visible page (what a frame costs)."""
    start = time.perf_counter()
    for y in range(table.size.height):  # type: ignore[attr-defined]
        table.render_line(y)  # type: ignore[attr-defined]
    return time.perf_counter() - start


async def _measure(path: str, filters: list[str]) -> dict[str, object]:
    from ptpip_analyzer.engine import EngineOptions
    from ptpip_analyzer.sources.byte_source import ByteSource
    from ptpip_analyzer.tui.app import PtpipApp
    from ptpip_analyzer.tui.line_table import LineTable

    app = PtpipApp(ByteSource(path), EngineOptions(), name=Path(path).name)
    out: dict[str, object] = {}
    async with app.run_test(size=SIZE) as pilot:
        while not app.loading_done:  # a rare look: the bench's own wake-ups cost the loader
            await pilot.pause(0.5)
        while app.workers:
            await pilot.pause(0.1)
        out["first_rows_s"], out["indexed_s"] = app.first_rows_s, app.done_s
        out["records"] = len(app.engine.store)  # type: ignore[arg-type]
        out["transactions"] = len(app.transaction_rows)
        table = app.query_one("#packet-list", LineTable)
        start = time.perf_counter()
        table.action_last()
        out["jump_last_ms"] = 1000 * (time.perf_counter() - start + _draw_page(table))
        start = time.perf_counter()
        await pilot.press("home")
        out["key_home_roundtrip_ms"] = 1000 * (time.perf_counter() - start)
        from ptpip_analyzer.filters import compile_filter
        for text in filters:
            start = time.perf_counter()
            app.filters["packets"] = compile_filter(text, "packets")
            app.apply_view("packets")
            first = time.perf_counter() - start + _draw_page(table)
            index = app.indexes["packets"]
            while index.scanned < len(app.packet_rows):
                await pilot.pause(0.1)
            out[f"filter {text!r}"] = {"first_page_ms": round(1000 * first, 1),
                                       "complete_s": round(time.perf_counter() - start, 2),
                                       "matches": len(index)}
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _datatable(rows: int) -> dict[str, object]:
    """Textual's DataTable with ``rows`` packet rows of 7 cells (the alternative)."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Table(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    async def run() -> dict[str, object]:
        app = Table()
        async with app.run_test(size=SIZE) as pilot:
            table = app.query_one(DataTable)
            table.add_columns("No.", "Time", "Source", "Destination", "Str", "Type", "Info")
            start = time.perf_counter()
            table.add_rows((str(i), f"{i / 1000:.6f}", "192.168.1.10:50001",
                            "192.168.1.1:15740", "0", "Operation Request",
                            f"GetDevicePropValue (0x1015) tid={i} params=[0x5001]")
                           for i in range(rows))
            await pilot.pause()
            filled = time.perf_counter() - start
            start = time.perf_counter()
            table.move_cursor(row=rows - 1)
            await pilot.pause()
            jump = time.perf_counter() - start
        return {"rows": rows, "fill_s": round(filled, 2), "jump_last_ms": round(1000 * jump, 1),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    return asyncio.run(run())


def child(argv: list[str]) -> None:
    if argv[0] == "datatable":
        print(json.dumps(_datatable(int(argv[1]))))
    else:
        print(json.dumps(asyncio.run(_measure(argv[1], argv[2:]))))


def _run_child(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100, help="5 MB objects (0: none)")
    parser.add_argument("--small", type=int, default=125_000,
                        help="small transactions of the packet-heavy capture (4 packets each)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    from bench import generate
    captures = []
    if args.objects:
        captures.append((ROOT / "benchmarks" / f"tui-{args.objects}x5000000.pcap",
                         {"objects": args.objects, "size": 5_000_000, "small": 0},
                         ["code == GetObject", "transaction_id == 50"]))
    if args.small:
        captures.append((ROOT / "benchmarks" / f"tui-small-{args.small}.pcap",
                         {"objects": 0, "size": 0, "small": args.small},
                         ["code == GetDevicePropValue", f"transaction_id == {args.small}"]))
    for path, spec, filters in captures:
        frames = generate(path, pcapng=False, reorder=False, **spec)  # type: ignore[arg-type]
        size = path.stat().st_size / 1e6
        print(f"{path.name}: {size:.0f} MB, {frames} frames", flush=True)
        print(json.dumps(_run_child("app", str(path), *filters), indent=1), flush=True)
        if not args.keep:
            path.unlink()
    rows = 100_000  # DataTable at 500k rows takes minutes to fill; 100k shows the trend
    print(f"DataTable with {rows} rows:", json.dumps(_run_child("datatable", str(rows))),
          flush=True)


if __name__ == "__main__":
    main()
