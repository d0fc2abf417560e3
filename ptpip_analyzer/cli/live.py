"""The ``live`` and ``interfaces`` commands: PTP/IP as it happens, through dumpcap or a pipe.

``live`` is ``dissect`` over a live source: the same output formats from the same code, plus
findings printed as soon as they are known (``--validate``), a clean stop on Ctrl-C or
``--duration``, and a summary with capture drops (dumpcap's pcapng statistics) and TCP gaps.

    ptpip-analyzer live -i lo --port 15740 -w session.pcapng --validate
    ssh HOST tcpdump -U -w - 'port 15740' | ptpip-analyzer live -
    adb exec-out tcpdump -i wlan0 -U -w - | ptpip-analyzer live -
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from ..engine import Dissection
from ..model import Finding
from ..sources.live import (
    DumpcapSource,
    LiveError,
    Ring,
    capture_filter,
    capture_permission_hint,
    list_interfaces,
)
from ..validate.rules import CAPTURE_GAP
from . import common, selection
from .dissect import add_output_options
from .output import TIME_FORMATS, Palette, colour_wanted
from .validation import finding_line


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("live", help="dissect live traffic (dumpcap on an interface, or a pipe)",
                       description="Packets as they arrive, in dissect's formats. Input: -i "
                                   "IFACE (captured with dumpcap) or - (a pcap/pcapng stream on "
                                   "standard input, e.g. from ssh/adb tcpdump -U -w -).")
    p.add_argument("file", nargs="?", default=None, metavar="-",
                   help="- : read a capture stream from standard input instead of -i")
    add_capture_options(p)
    p.add_argument("--validate", action="store_true",
                   help="print the validator's findings as soon as they are known")
    p.add_argument("--format", choices=("text", "jsonl"), default="text")
    add_output_options(p)  # -T / -e / -E, and the selections: the same as dissect's
    selection.add_filter_option(p, "records")
    selection.add_packet_shortcuts(p)
    selection.add_count_option(p, "records")
    p.add_argument("-t", dest="time_format", choices=tuple(TIME_FORMATS), default="r",
                   help="time column (as dissect's -t)")
    common.add_input_options(p, file=False)
    p.set_defaults(func=cmd_live, verbose=False, hex=False, follow=False)
    i = sub.add_parser("interfaces", help="list capture interfaces (as dumpcap/tshark know "
                                          "them)")
    i.set_defaults(func=cmd_interfaces)


def add_capture_options(p: argparse.ArgumentParser) -> None:
    """The live-capture flags, the same on ``live`` and ``tui``."""
    p.add_argument("-i", "--interface", help="capture interface (see: ptpip-analyzer "
                                             "interfaces)")
    p.add_argument("-f", dest="bpf", metavar="BPF",
                   help="capture filter (default: tcp on 15740, the --port ports and "
                        "Fujifilm's 55740-55742, and udp on SSDP's 1900 and mDNS's 5353)")
    p.add_argument("-w", dest="write", metavar="FILE",
                   help="also keep the raw capture (pcapng) in FILE; with --ring, the ring's "
                        "base name")
    p.add_argument("--ring", metavar="FILES:MB",
                   help="keep the raw capture in dumpcap's ring buffer of FILES files of MB "
                        "each (needs -w)")
    p.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")


def capture_source(args: argparse.Namespace) -> DumpcapSource:
    """dumpcap on ``-i``, as the capture flags ask. Raises LiveError for flags that clash."""
    ring = Ring.parse(args.ring) if args.ring else None
    if ring is not None and not args.write:
        raise LiveError("--ring needs -w FILE (the ring files' base name)")
    bpf = args.bpf or capture_filter(args.port or [])
    return DumpcapSource(args.interface, bpf, args.write, ring, args.duration)


@dataclass
class LiveRun:
    """What ``live`` adds to ``dissect``: its source, its stages, findings as they come."""

    args: argparse.Namespace
    stages: dict[str, bool | int] = field(default_factory=dict)
    run: Dissection | None = None
    interrupted: bool = False
    palette: Palette = field(default_factory=lambda: Palette(colour_wanted(
        common.COLOUR.choice, sys.stdout)))

    def source(self, args: argparse.Namespace) -> DumpcapSource | None:
        if args.file == "-":
            return None  # dissect's own stdin source
        return capture_source(args)

    def started(self, run: Dissection) -> None:
        self.run = run
        if self.args.validate:
            run.engine.finding_listeners.append(self.print_finding)
        signal.signal(signal.SIGINT, self._interrupt)
        source = run.source
        if isinstance(source, DumpcapSource):
            def say_started() -> None:
                sys.stderr.write(f"capturing on {source.interface} (filter: {source.bpf}); "
                                 "Ctrl-C stops\n")
            source.on_started = say_started

    def _interrupt(self, _signum: int, _frame: FrameType | None) -> None:
        """Ctrl-C: stop the capture and let everything captured so far be read and shown."""
        if self.interrupted or self.run is None:
            raise KeyboardInterrupt
        self.interrupted = True
        self.run.source.stop()

    def print_finding(self, f: Finding) -> None:
        out = sys.stdout
        if self.args.format == "jsonl":
            from ..validate import finding_to_dict
            out.write(json.dumps({"type_name": "finding", **finding_to_dict(f)}) + "\n")
        else:  # the line validate prints, in place among the packets
            out.write(finding_line(f, self.palette) + "\n")


def cmd_live(args: argparse.Namespace) -> int:
    from .dissect import cmd_dissect
    if (args.file is None) == (args.interface is None):
        sys.stderr.write("error: live needs either -i IFACE or - (a capture on standard "
                         "input)\n")
        return common.EXIT_UNUSABLE
    if args.file is not None and args.file != "-":
        sys.stderr.write(f"error: live reads -i IFACE or - (stdin); for a file use: "
                         f"ptpip-analyzer dissect {args.file}\n")
        return common.EXIT_UNUSABLE
    if args.file is None:
        args.file = f"live:{args.interface}"
    live = LiveRun(args, {"validate": bool(args.validate)})
    args.live = live
    try:
        code = cmd_dissect(args)
    except LiveError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return common.EXIT_UNUSABLE
    assert live.run is not None
    failure = _source_failure(live.run)
    if failure:
        sys.stderr.write(f"error: {failure} (what was captured until then is shown above)\n")
    _summary(live.run)
    return common.EXIT_PROBLEMS if failure else code


def _source_failure(run: Dissection) -> str | None:
    source = run.source
    return source.failed if isinstance(source, DumpcapSource) else None


def _summary(run: Dissection) -> None:
    engine = run.engine
    losses = engine.losses()
    gaps = sum(1 for f in engine.findings if f.rule == CAPTURE_GAP.id)
    parts = [f"{engine.records} records", f"{engine.frame_stats.frames} frames",
             f"{sum(b.total for b in engine.accounting.values())} PTP/IP bytes"]
    if engine.validator is not None:
        parts += [f"{len(engine.transactions())} transactions",
                  f"{len(engine.findings)} findings"]
    capture = "capture drops: not reported by the source" if losses.dropped is None \
        else f"capture drops: {losses.dropped}"
    if losses.received is not None:
        capture += f" ({losses.received} packets received by the interface)"
    tcp = f"TCP bytes lost (gaps): {losses.gap_bytes}" + (f" in {gaps} gaps" if gaps else "")
    sys.stderr.write(f"summary: {', '.join(parts)}; {capture}; {tcp}\n")


def cmd_interfaces(args: argparse.Namespace) -> int:
    try:
        found = list_interfaces()
    except LiveError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return common.EXIT_UNUSABLE
    for number, (name, description) in enumerate(found, 1):
        sys.stdout.write(f"{number}. {name}" + (f" ({description})" if description else "")
                         + "\n")
    hint = capture_permission_hint()
    if hint:
        sys.stderr.write(f"hint: {hint}\n")
    return common.EXIT_OK

