#!/usr/bin/env python3
"""Benchmark ptpip-analyzer against tshark and a bare header walk, on the same file, same run.

    python3 benchmarks/bench.py                       # ~500 MB capture: 100 objects x 5 MB
    python3 benchmarks/bench.py --objects 10          # smaller
    python3 benchmarks/bench.py --pcapng --reorder    # other format / damaged transport

The capture is generated (not committed) into benchmarks/: a realistic PTP/IP session,
GetObject of each object in 64 KiB Data packets over 1448-byte TCP segments with the host's
ACK every other segment (``--small N``: N small transactions instead, the packet-heavy case;
``--all`` runs pcap, pcapng, reordered and packet-heavy). Each command runs as its own process,
the commands interleaved round by round; best wall and CPU time (user + system, the child's
rusage) and peak RSS are reported, with ratios against tshark and the floor. When the hot
modules are compiled (scripts/build_accel.py), each of our commands runs on both paths;
``--baseline DIR`` runs them also from the package in DIR (a worktree of an earlier commit,
with its own build/accel if it has one), so before and after share one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ptpip_analyzer import accel
from ptpip_analyzer.decode import encode
from ptpip_analyzer.model import ACK, PSH, SYN
from ptpip_analyzer.sources import pcap_writer as w

HOST, CAMERA = ("192.168.1.10", 50001), ("192.168.1.1", 15740)


class StreamingCapture:
    """Writes a TCP conversation frame by frame (the conversation never sits in memory)."""

    def __init__(self, out, pcapng: bool, reorder: bool) -> None:
        self.out, self.pcapng, self.reorder = out, pcapng, reorder
        self.seq = {True: 1000, False: 5000}
        self.time = 1_700_000_000.0
        self.frames = 0
        self.rng = random.Random(1)
        self.held: bytes | None = None
        e = "<"
        if pcapng:
            out.write(w._pcapng_block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1), e))
            out.write(w._pcapng_block(1, struct.pack(e + "HHI", 1, 0, 262144), e))
        else:
            out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))

    def _frame(self, data: bytes) -> None:
        self.time += 0.00001
        self.frames += 1
        ticks = round(self.time * 1_000_000)
        if self.pcapng:
            body = struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data))
            self.out.write(w._pcapng_block(6, body + data, "<"))
        else:
            sec, usec = divmod(ticks, 1_000_000)
            self.out.write(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)

    def segment(self, from_host: bool, flags: int, payload: bytes = b"") -> None:
        src, dst = (HOST, CAMERA) if from_host else (CAMERA, HOST)
        ip = w.ip_tcp(src[0], src[1], dst[0], dst[1], self.seq[from_host],
                      self.seq[not from_host], flags, payload)
        self.seq[from_host] = (self.seq[from_host] + len(payload) + (1 if flags & SYN else 0)) \
            & 0xFFFFFFFF
        frame = w.link_frame(1, ip)
        if self.reorder and payload and not from_host:
            if self.held is None and self.rng.random() < 0.02:
                self.held = frame  # send the next one first
                return
            if self.rng.random() < 0.01:
                self._frame(frame)  # an exact retransmission
        self._frame(frame)
        if self.held is not None:
            held, self.held = self.held, None
            self._frame(held)

    def send(self, from_host: bool, data: bytes) -> None:
        for i in range(0, len(data), 1448):
            self.segment(from_host, ACK | PSH, data[i:i + 1448])
            if (i // 1448) % 2:
                self.segment(not from_host, ACK)
        self.segment(not from_host, ACK)


def generate(path: Path, objects: int, size: int, pcapng: bool, reorder: bool,
             small: int = 0) -> int:
    with open(path, "wb") as out:
        cap = StreamingCapture(out, pcapng, reorder)
        cap.segment(True, SYN)
        cap.segment(False, SYN | ACK)
        cap.send(True, encode.init_command_request(bytes(16), "bench host"))
        cap.send(False, encode.init_command_ack(1, bytes(16), "bench camera"))
        cap.send(True, encode.operation_request(0x1002, 0, [1]))
        cap.send(False, encode.operation_response(0x2001, 0))
        if small:  # many small transactions: GetDevicePropValue of a 2-byte property
            for tid in range(1, small + 1):
                cap.send(True, encode.operation_request(0x1015, tid, [0x5001]))
                cap.send(False, b"".join(encode.data_phase(tid, b"\x64\x00"))
                         + encode.operation_response(0x2001, tid))
            return cap.frames
        blob = random.Random(2).randbytes(size)
        for tid in range(1, objects + 1):
            cap.send(True, encode.operation_request(0x1009, tid, [tid]))
            cap.send(False, b"".join(encode.data_phase(tid, blob)))
            cap.send(False, encode.operation_response(0x2001, tid))
        return cap.frames


FLOOR = r'''
import struct, sys
# The floor: read every record of the file and unpack its IPv4 and TCP headers, nothing else
# (pcap records or pcapng Enhanced Packet Blocks, Ethernet, no options).
def walk(path):
    ip = struct.Struct(">BxH2xHxB").unpack_from
    tcp = struct.Struct(">HHIIBB").unpack_from
    with open(path, "rb") as f:
        magic = f.read(4)
        if magic == b"\x0a\x0d\x0d\x0a":
            head, skip, length_at = struct.Struct("<II").unpack_from, 28, 1
            shb_length = struct.unpack("<I", f.read(4))[0]
            f.read(shb_length - 8)  # the rest of the SHB; the IDB is walked like any block
        else:
            head, skip, length_at = struct.Struct("<IIII").unpack_from, 16, 2
            f.read(20)
        n = total = 0
        pending = b""
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            buf = pending + chunk
            pos, size = 0, len(buf)
            while pos + 16 <= size:
                fields = head(buf, pos)
                end = pos + (fields[1] if length_at == 1 else 16 + fields[2])
                if end > size:
                    break
                if length_at == 2 or fields[0] == 6:
                    at = pos + skip + 14
                    vhl, tot, frag, proto = ip(buf, at)
                    tcp(buf, at + (vhl & 15) * 4)
                    n += 1
                    total += tot
                pos = end
            pending = buf[pos:]
    print(n, total)
walk(sys.argv[1])
'''


REPEAT = 3  # runs per command; the best time counts (as hyperfine's min), RSS the max


class Row(NamedTuple):
    label: str
    wall: float  # best wall seconds
    cpu: float  # best user + system CPU seconds (what a shared machine distorts least)
    rss: float  # peak RSS MB (the largest of the runs)


def run_all(cmds: list[tuple[str, list[str], dict[str, str]]]) -> list[Row]:
    """Every command REPEAT times, interleaved round by round (a change of the machine's load
    hits all of them alike); each child's own CPU time and peak RSS from wait4's rusage."""
    walls: dict[str, list[float]] = {label: [] for label, _, _ in cmds}
    cpus: dict[str, list[float]] = {label: [] for label, _, _ in cmds}
    peaks: dict[str, list[float]] = {label: [] for label, _, _ in cmds}
    for _ in range(REPEAT):
        for label, cmd, env in cmds:
            start = time.perf_counter()
            child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env={**os.environ, **env})
            _, _, usage = os.wait4(child.pid, 0)
            child.returncode = 0
            walls[label].append(time.perf_counter() - start)
            cpus[label].append(usage.ru_utime + usage.ru_stime)
            peaks[label].append(usage.ru_maxrss / 1024)
    return [Row(label, min(walls[label]), min(cpus[label]), max(peaks[label]))
            for label, _, _ in cmds]


LOAD = r"""
import sys, ptpip_analyzer
capture = ptpip_analyzer.load(sys.argv[1])
tables = [capture.packets, capture.transactions, capture.data_phases]
print(sum(len(t) for t in tables), sum(int(t.memory_usage(deep=True).sum()) for t in tables))
"""


def our_commands(path: Path, with_load: bool) -> list[tuple[str, list[str]]]:
    py = sys.executable
    cli = [py, "-m", "ptpip_analyzer"]
    ours = [
        ("dissect", cli + ["dissect", str(path)]),
        ("dissect --format jsonl", cli + ["dissect", "--format", "jsonl", str(path)]),
        ("validate", cli + ["validate", str(path)]),
        ("transactions", cli + ["transactions", str(path)]),
    ]
    if with_load:
        ours.append(("load() (pandas)", [py, "-c", LOAD, str(path)]))
    return ours


def baseline_commands(path: Path, with_load: bool,
                      baseline: Path) -> list[tuple[str, list[str], dict[str, str]]]:
    """Our commands from another copy of the package (``--baseline DIR``: e.g. a worktree of
    the commit before a change), its own build/accel used when fresh: before and after in one
    run. ``-P`` keeps the working directory's package from shadowing it."""
    env = {"PYTHONPATH": str(baseline)}
    compiled = (baseline / "build" / "accel" / accel.MANIFEST).exists()
    cmds = []
    for label, cmd in our_commands(path, with_load):
        cmd = [cmd[0], "-P", *cmd[1:]]
        if compiled:
            cmds.append((f"{label}, before, compiled", cmd, {**env, "PTPIP_PURE": ""}))
        cmds.append((f"{label}, before, pure Python", cmd, {**env, "PTPIP_PURE": "1"}))
    return cmds


def measure(path: Path, frames: int, with_load: bool, baseline: Path | None = None) -> list[Row]:
    py = sys.executable
    ours = our_commands(path, with_load)
    cmds: list[tuple[str, list[str], dict[str, str]]] = [
        ("tshark -T fields", ["tshark", "-r", str(path), "-Y", "ptpip", "-T", "fields",
                              "-e", "frame.number", "-e", "ptpip.pktType",
                              "-e", "ptpip.transactionID"], {}),
        ("floor (bare header walk)", [py, "-c", FLOOR, str(path)], {}),
    ]
    compiled = bool(accel.compiled_modules())
    for label, cmd in ours:
        if compiled:  # the same command on both paths, same run (scripts/build_accel.py)
            cmds.append((f"{label}, compiled", cmd, {"PTPIP_PURE": ""}))
        cmds.append((f"{label}, pure Python", cmd, {"PTPIP_PURE": "1"}))
    if baseline is not None:
        cmds += baseline_commands(path, with_load, baseline)
    return run_all(cmds)


def report(path: Path, frames: int, rows: list[Row]) -> str:
    size = path.stat().st_size / 1e6
    tshark, floor = rows[0], rows[1]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    header = "| command | best wall s | best CPU s | frames/s (CPU) | peak RSS MB | " \
             "vs tshark (wall) | vs tshark (CPU) | vs floor (CPU) |"
    title = f"file: {path.name}, {size:.0f} MB, {frames} frames; machine: {machine}; " \
            f"load average after the run: {load}"
    lines = [title, "", header, "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.label} | {row.wall:.2f} | {row.cpu:.2f} | "
                     f"{frames / row.cpu:,.0f} | {row.rss:.0f} | {tshark.wall / row.wall:.2f}x | "
                     f"{tshark.cpu / row.cpu:.2f}x | {row.cpu / floor.cpu:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100)
    parser.add_argument("--size", type=int, default=5_000_000, help="bytes per object")
    parser.add_argument("--pcapng", action="store_true")
    parser.add_argument("--reorder", action="store_true", help="2%% reordering, 1%% retransmits")
    parser.add_argument("--all", action="store_true", help="pcap, pcapng and reordered pcap")
    parser.add_argument("--no-load", action="store_true", help="skip the pandas load()")
    parser.add_argument("--keep", action="store_true", help="keep the generated captures")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="runs per command (best)")
    parser.add_argument("--small", type=int, default=0, metavar="N",
                        help="instead: N small transactions (packet-heavy capture)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also run our commands from the package in DIR (a checkout of "
                             "an earlier commit), in the same run")
    args = parser.parse_args()
    globals()["REPEAT"] = args.repeat
    variants = [(False, False, 0), (True, False, 0), (False, True, 0)] if args.all \
        else [(args.pcapng, args.reorder, args.small)]
    if args.all:  # the packet-heavy capture too (issue 12's weak spot)
        variants.append((False, False, args.small or 20_000))
    print(f"code path: {accel.describe()}\n", flush=True)
    for pcapng, reorder, small in variants:
        suffix = ".pcapng" if pcapng else ".pcap"
        tag = f"bench-small-{small}{suffix}" if small else \
            f"bench-{args.objects}x{args.size}{'-reorder' if reorder else ''}{suffix}"
        path = ROOT / "benchmarks" / tag
        t0 = time.perf_counter()
        frames = generate(path, args.objects, args.size, pcapng, reorder, small)
        print(f"generated {path.name} ({frames} frames) in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        rows = measure(path, frames, not args.no_load, args.baseline)
        print(report(path, frames, rows) + "\n", flush=True)
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
