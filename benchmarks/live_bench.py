#!/usr/bin/env python3
"""Live capture under load, on loopback: how fast can ``live`` follow a camera session?

    python3 benchmarks/live_bench.py                  # bulk and packet-heavy phases
    python3 benchmarks/live_bench.py --pyshark        # also pyshark's LiveCapture, same load
    python3 benchmarks/live_bench.py --tui            # also tui -i lo (the real app, headless)

The simulator (its own process) serves objects on 127.0.0.1; real gphoto2 fetches them while
``ptpip-analyzer live -i lo --format jsonl`` runs, also its own process. Every line ``live``
prints is timestamped on arrival here, so the display lag is arrival time minus the packet's
capture time (the same clock). Bounded: each phase lasts seconds, nothing leaves loopback.
Phases: bulk (GetObject of a few 5 MB objects: MB/s) and packet-heavy (GetObjectInfo and
GetObject of thousands of 1 KB objects: PTP/IP packets/s). Results go to stdout as a table.
With ``--tui`` each phase runs once more with the TUI (``PtpipApp`` on dumpcap, headless, in
this process): its lag is the time a packet's row joined the packet list (the count the list
draws from) minus the packet's capture time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "ptpip_analyzer"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Arrivals:
    """Lines of ``live --format jsonl`` as they arrive: (arrival time, record)."""

    lines: list[tuple[float, dict[str, object]]] = field(default_factory=list)

    def read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append((time.time(), json.loads(line)))


@dataclass
class Phase:
    name: str
    objects: int
    size: int
    gphoto2: tuple[str, ...]


PHASES = (
    Phase("bulk: GetObject of 5 MB objects", 20, 5_000_000, ("--get-all-files",)),
    Phase("packet-heavy: 1 KB objects, GetObjectInfo + GetObject", 3000, 1000,
          ("--get-all-files",)),
)


def run_phase(phase: Phase, work: Path, pyshark: bool) -> dict[str, object]:
    sim, port = _start_simulator(phase)
    live = subprocess.Popen([*CLI, "live", "-i", "lo", "--port", str(port), "--format",
                             "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=work)
    assert live.stderr is not None and live.stdout is not None
    live.stderr.readline()  # "capturing on lo": dumpcap has opened the interface
    arrivals = Arrivals()
    reader = threading.Thread(target=arrivals.read, args=(live.stdout,), daemon=True)
    reader.start()
    shark = _pyshark_counter(port) if pyshark else None
    started, finished = _gphoto2(phase, port, work)
    time.sleep(1.0)
    live.send_signal(signal.SIGINT)
    summary = live.stderr.read().strip().splitlines()[-1]
    live.wait(30)
    reader.join(30)
    sim.send_signal(signal.SIGINT)
    sim.wait(10)
    return _results(phase, arrivals, started, finished, summary, shark)


def _start_simulator(phase: Phase) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    sim = subprocess.Popen([*CLI, "simulate", "--port", str(port), "--generate",
                            str(phase.objects), "--object-size", str(phase.size)],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert sim.stdout is not None
    sim.stdout.readline()  # "simulator listening on ..."
    return sim, port


def _gphoto2(phase: Phase, port: int, work: Path) -> tuple[float, float]:
    home = work / f"home-{port}"
    home.mkdir()
    started = time.time()
    subprocess.run(["gphoto2", "--camera", "PTP/IP Camera", "--port",
                    f"ptpip:127.0.0.1:{port}:{port}", *phase.gphoto2], cwd=home,
                   env={**os.environ, "HOME": str(home)}, capture_output=True, check=True,
                   timeout=600)
    return started, time.time()


def tui_phase(phase: Phase, work: Path) -> dict[str, object]:
    """The same load with ``tui -i lo``: the real app, headless, fed by dumpcap."""
    import asyncio

    sys.path.insert(0, str(ROOT))
    from ptpip_analyzer.engine import EngineOptions
    from ptpip_analyzer.sources.live import DumpcapSource, capture_filter
    from ptpip_analyzer.tui.app import Loaded, PtpipApp

    shown: list[tuple[float, int]] = []  # (wall time, rows in the packet list)

    class Timed(PtpipApp):
        CSS_PATH = str(Path(sys.modules[PtpipApp.__module__].__file__ or "").with_name(
            "app.tcss"))  # a subclass's relative CSS_PATH is read beside the subclass

        def on_loaded(self, message: Loaded) -> None:
            super().on_loaded(message)
            shown.append((time.time(), self.packet_rows.count))

    sim, port = _start_simulator(phase)
    source = DumpcapSource("lo", capture_filter([port]))
    app = Timed(source, EngineOptions(ports=frozenset({port})), name="bench", auto_scroll=True)

    async def drive() -> tuple[float, float]:
        async with app.run_test(size=(130, 36)) as pilot:
            while source.bytes_read == 0:
                await pilot.pause(0.05)
            span = await asyncio.to_thread(_gphoto2, phase, port, work)
            await pilot.pause(1.0)
            app.loader.stop()
            while not app.loading_done:
                await pilot.pause(0.05)
            return span

    started, finished = asyncio.run(drive())
    sim.send_signal(signal.SIGINT)
    sim.wait(10)
    store = app.engine.store
    assert store is not None
    lags, at = [], 0
    times = []
    from ptpip_analyzer.model import Packet
    for index in range(len(store)):
        record = store[index].record
        if not isinstance(record, Packet):
            continue  # gaps and malformed regions
        while shown[at][1] <= index:
            at += 1
        lags.append(shown[at][0] - record.time)
        times.append(record.time)
    lags.sort()
    span = max(times) - min(times) if times else 0.0
    return {"phase": f"{phase.name} (tui -i lo)", "gphoto2 s": round(finished - started, 2),
            "PTP/IP packets": len(lags),
            "packets/s": round(len(lags) / span) if span else 0,
            "lag p50 ms": round(lags[len(lags) // 2] * 1000, 1) if lags else None,
            "lag p99 ms": round(lags[int(len(lags) * 0.99)] * 1000, 1) if lags else None,
            "lag max ms": round(lags[-1] * 1000, 1) if lags else None,
            "summary": f"{app.engine.losses().text()}; {len(app.transaction_rows)} "
                       f"transactions shown; {source.spilled:,} bytes waited on disk"}


def _results(phase: Phase, arrivals: Arrivals, started: float, finished: float, summary: str,
             shark: tuple[threading.Thread, list[float]] | None) -> dict[str, object]:
    packets = [(at, rec) for at, rec in arrivals.lines if rec.get("type_name") not in
               ("gap", "malformed")]
    times = [float(rec["time"]) for _, rec in packets]  # type: ignore[arg-type]
    lags = sorted(at - float(rec["time"]) for at, rec in packets)  # type: ignore[arg-type]
    span = max(times) - min(times) if times else 0.0
    data = sum(int(rec.get("length", 0)) for _, rec in packets)  # type: ignore[call-overload]
    out: dict[str, object] = {
        "phase": phase.name, "gphoto2 s": round(finished - started, 2),
        "PTP/IP packets": len(packets), "MB": round(data / 1e6, 1),
        "packets/s": round(len(packets) / span) if span else 0,
        "MB/s": round(data / 1e6 / span, 1) if span else 0,
        "lag p50 ms": round(lags[len(lags) // 2] * 1000, 1) if lags else None,
        "lag p99 ms": round(lags[int(len(lags) * 0.99)] * 1000, 1) if lags else None,
        "lag max ms": round(lags[-1] * 1000, 1) if lags else None,
        "summary": summary.removeprefix("summary: "),
    }
    if shark is not None:
        thread, stamps = shark
        thread.join(5)
        out["pyshark packets/s (TCP frames)"] = round(len(stamps) / (stamps[-1] - stamps[0])) \
            if len(stamps) > 1 else 0
    return out


def _pyshark_counter(port: int) -> tuple[threading.Thread, list[float]]:
    """pyshark's LiveCapture on the same traffic: frames it hands over per second."""
    import asyncio

    import pyshark
    stamps: list[float] = []

    def count() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        capture = pyshark.LiveCapture(interface="lo", bpf_filter=f"tcp port {port}")
        with contextlib.suppress(Exception):  # the capture ends when the benchmark does
            for _ in capture.sniff_continuously():
                stamps.append(time.time())
                if time.time() - stamps[0] > 60:
                    break

    thread = threading.Thread(target=count, daemon=True)
    thread.start()
    time.sleep(2)  # tshark's start-up
    return thread, stamps


def pipe_capacity(work: Path, transactions: int = 20_000) -> list[dict[str, object]]:
    """How many records a second ``live -`` turns into output when the pipe is never empty:
    the engine's and the printer's own limit, without a camera or dumpcap sharing the CPU."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench
    capture = work / "small.pcap"
    bench.generate(capture, 0, 0, False, False, transactions)
    rows = []
    for fmt in ("text", "jsonl"):
        with open(capture, "rb") as stdin:
            started = time.time()
            before = os.times()
            done = subprocess.run([*CLI, "live", "-", "--format", fmt], stdin=stdin,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, check=True)
            after = os.times()
        wall = time.time() - started
        cpu = (after.children_user - before.children_user) + \
            (after.children_system - before.children_system)
        records = int(done.stderr.split("summary: ")[1].split(" records")[0])
        rows.append({"phase": f"pipe capacity: live - --format {fmt}, packet-heavy capture",
                     "PTP/IP packets": records, "packets/s": round(records / wall),
                     "packets per CPU s": round(records / cpu)})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pyshark", action="store_true",
                        help="also count what pyshark's LiveCapture delivers")
    parser.add_argument("--tui", action="store_true",
                        help="also run each phase with the TUI (tui -i lo, headless)")
    args = parser.parse_args()
    for tool in ("dumpcap", "gphoto2"):
        if shutil.which(tool) is None:
            sys.stderr.write(f"{tool} is missing: run scripts/setup.sh\n")
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run_phase(phase, Path(tmp), args.pyshark) for phase in PHASES]
        if args.tui:
            rows += [tui_phase(phase, Path(tmp)) for phase in PHASES]
        rows += pipe_capacity(Path(tmp))
    keys = list(dict.fromkeys(k for row in rows for k in row))
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row.get(k, "")) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
