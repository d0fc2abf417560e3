"""Command line: argument parsing and printing only; the work is done by library calls.

Exit codes (also in README.md):
  0  the input was read whole and every stream byte decoded as PTP/IP packets
  1  input problems found: gaps, malformed regions, truncated frames, a truncated or corrupt
     file (what could be read is still reported)
  2  unusable input (not a capture, unreadable, no supported link type) or a usage error
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from .decode import describe
from .model import Connection, Gap, Malformed, Packet, Record
from .pipeline import DissectOptions, Dissection, dissect_file
from .sources.capture_file import CaptureError

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


def _options(args: argparse.Namespace) -> DissectOptions:
    ports = frozenset(args.port) if args.port else DissectOptions().ports
    return DissectOptions(ports=ports, heuristics=not args.no_heuristics,
                          keep_payload=getattr(args, "hex", False),
                          max_pending=args.max_pending)


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="pcap or pcapng capture")
    p.add_argument("--port", type=int, action="append", metavar="N",
                   help="TCP port carrying PTP/IP (repeatable; default 15740)")
    p.add_argument("--no-heuristics", action="store_true",
                   help="don't detect PTP/IP on other ports by its Init requests")
    p.add_argument("--max-pending", type=int, default=DissectOptions().max_pending,
                   metavar="BYTES", help="out-of-order bytes buffered per stream direction")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ptpip-analyzer",
                                     description="PTP/IP dissector and analyzer")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dissect", help="one line per PTP/IP packet, like tshark")
    _add_input_options(d)
    d.add_argument("-V", dest="verbose", action="store_true", help="detail tree per packet")
    d.add_argument("-x", dest="hex", action="store_true", help="hex dump of each packet")
    d.add_argument("--format", choices=("text", "jsonl"), default="text")
    d.set_defaults(func=cmd_dissect)
    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    try:
        from .simulator import command as simulate
    except ImportError:
        return
    simulate.add_parser(sub)


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, path: str, stream: TextIO = sys.stderr) -> None:
        self.size = os.path.getsize(path) if os.path.isfile(path) else 0
        self.on = stream.isatty() and self.size > 20_000_000
        self.stream = stream
        self.last = 0.0

    def update(self, frames: int) -> None:
        now = time.monotonic()
        if self.on and now - self.last > 0.25:
            self.last = now
            self.stream.write(f"\r  {frames} frames...")
            self.stream.flush()

    def done(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 40 + "\r")


def _text_line(conn: Connection, record: Record, t0: float) -> str:
    src, dst = conn.endpoints(record.direction)
    return f"{record.frame:7d} {record.time - t0:11.6f} {src} → {dst} {conn.role.value:7s} " \
           f"{describe.summary(record)}"


def _print_tree(node: describe.Node, out: TextIO, depth: int = 0) -> None:
    text = f"{node.label}: {node.value}" if node.value else node.label
    out.write("    " * depth + text + "\n")
    for child in node.children:
        _print_tree(child, out, depth + 1)


def _hexdump(data: bytes, out: TextIO) -> None:
    for i in range(0, len(data), 16):
        row = data[i:i + 16]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        out.write(f"{i:04x}  {row.hex(' '):<47}  {text}\n")


def cmd_dissect(args: argparse.Namespace) -> int:
    dissection = dissect_file(args.file, _options(args))
    out = sys.stdout
    progress = _Progress(args.file)
    t0: float | None = None
    problems: Counter[str] = Counter()
    for count, (conn, record) in enumerate(dissection.records()):
        t0 = record.time if t0 is None else t0
        if not isinstance(record, Packet) or record.missing > 0:
            problems[_problem_kind(record)] += 1
        if args.format == "jsonl":
            out.write(json.dumps(describe.to_dict(conn, record)) + "\n")
        else:
            out.write(_text_line(conn, record, t0) + "\n")
            if args.verbose:
                _print_tree(describe.detail_tree(record), out, 1)
            if args.hex and isinstance(record, Packet):
                _hexdump(record.raw, out)
        if count % 1024 == 0:
            progress.update(record.frame)
    progress.done()
    return _finish(dissection, problems)


def _problem_kind(record: Record) -> str:
    if isinstance(record, Gap):
        return "gap"
    return "malformed region" if isinstance(record, Malformed) else "incomplete packet"


def _finish(dissection: Dissection, problems: Counter[str]) -> int:
    """Report what went wrong with the input on stderr and choose the exit code."""
    err = sys.stderr
    stats = dissection.frame_stats
    for problem in stats.problems[:20]:
        err.write(f"warning: frame {problem.frame}: {problem.message}\n")
    if len(stats.problems) > 20:
        err.write(f"warning: ... and {len(stats.problems) - 20} more frame problems\n")
    if dissection.error:
        err.write(f"error: {dissection.error}\n")
    elif problems:  # exit 1 must say why, also when frames were fine but the streams were not
        counts = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(problems.items()))
        err.write(f"error: the PTP/IP streams are damaged: {counts} (see the records above)\n")
    unbalanced = [k for k, v in dissection.accounting.items() if not v.balanced]
    for stream, direction in unbalanced:
        err.write(f"error: stream {stream} direction {direction.name}: byte accounting "
                  f"does not add up {dissection.accounting[(stream, direction)]}\n")
    if stats.frames and stats.unknown_linktypes and \
            sum(stats.unknown_linktypes.values()) == stats.frames:
        return EXIT_UNUSABLE
    if problems or dissection.error or stats.problems or unbalanced:
        return EXIT_PROBLEMS
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CaptureError as exc:
        sys.stderr.write(f"error: {args.file}: {exc}\n")
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        sys.stderr.write(f"error: {exc.strerror or exc}: {getattr(exc, 'filename', '')}\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
