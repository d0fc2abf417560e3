"""Command line: argument parsing and printing only; the work is done by library calls.

Exit codes (also in README.md):
  0  the input was read whole and every stream byte decoded as PTP/IP packets
  1  input problems found: gaps, malformed regions, truncated frames, a truncated or corrupt
     file (what could be read is still reported)
  2  unusable input (not a capture, unreadable, no supported link type) or a usage error
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from .decode import describe
from .decode.tables import VENDORS
from .framing import KEEP_ALL
from .model import Connection, Finding, Gap, Malformed, Packet, Record, Severity
from .pipeline import Dissection, DissectOptions, dissect_file
from .sources.capture_file import CaptureError

if TYPE_CHECKING:
    from .analyze.transactions import ValidationResult
    from .decode.annotate import Annotation, Annotator

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2


def dissect_options(args: argparse.Namespace) -> DissectOptions:
    """The DissectOptions the common input flags ask for (shared by every command module)."""
    ports = frozenset(args.port) if args.port else DissectOptions().ports
    return DissectOptions(ports=ports, heuristics=not args.no_heuristics,
                          keep_payload=KEEP_ALL if getattr(args, "hex", False) else
                          DissectOptions().keep_payload if _decodes_ptp(args) else 0,
                          max_pending=args.max_pending)


def _decodes_ptp(args: argparse.Namespace) -> bool:
    """dissect -V / jsonl / --vendor show PTP meaning: vendor names, datasets (kept payloads)."""
    return bool(getattr(args, "verbose", False) or getattr(args, "format", "") == "jsonl"
                or getattr(args, "vendor", None) or args.command == "transactions")


def add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="pcap or pcapng capture")
    p.add_argument("--port", type=int, action="append", metavar="N",
                   help="TCP port carrying PTP/IP (repeatable; default 15740)")
    p.add_argument("--no-heuristics", action="store_true",
                   help="don't detect PTP/IP on other ports by its Init requests")
    p.add_argument("--max-pending", type=int, default=DissectOptions().max_pending,
                   metavar="BYTES", help="out-of-order bytes buffered per stream direction")
    p.add_argument("--vendor", choices=sorted(VENDORS), metavar="NAME",
                   help="name vendor codes from this vendor's tables instead of detecting "
                        f"the vendor per session ({', '.join(sorted(VENDORS))})")


CORE_COMMANDS = ("dissect", "validate", "transactions")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; for a core ``command`` the optional command modules (simulator,
    analysis, export: asyncio, pandas, rich) are not even imported, so dissect starts fast."""
    parser = argparse.ArgumentParser(prog="ptpip-analyzer",
                                     description="PTP/IP dissector and analyzer")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dissect", help="one line per PTP/IP packet, like tshark")
    add_input_options(d)
    d.add_argument("-V", dest="verbose", action="store_true", help="detail tree per packet")
    d.add_argument("-x", dest="hex", action="store_true", help="hex dump of each packet")
    d.add_argument("--format", choices=("text", "jsonl"), default="text")
    d.set_defaults(func=cmd_dissect)
    v = sub.add_parser("validate", help="protocol findings, grouped by session")
    add_input_options(v)
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--fail-on", choices=("error", "warning", "note"), default="error",
                   help="exit 1 when a finding is at or above this severity (default error)")
    v.set_defaults(func=cmd_validate)
    t = sub.add_parser("transactions", help="one row per PTP transaction")
    add_input_options(t)
    t.add_argument("--format", choices=("table", "jsonl", "csv"), default="table")
    t.set_defaults(func=cmd_transactions)
    if command not in CORE_COMMANDS:
        _add_optional_commands(sub)
    return parser


# Subcommands that live beside the stage they drive; each module has add_parser(subparsers).
# Imported when the parser is built, so a new command is one line here.
COMMAND_MODULES = ("ptpip_analyzer.simulator.command", "ptpip_analyzer.export.commands",
                   "ptpip_analyzer.analyze.commands")


def _add_optional_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parser(sub)


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, dissection: Dissection, stream: TextIO = sys.stderr) -> None:
        path = dissection.path
        self.size = os.path.getsize(path) if os.path.isfile(path) else 0
        self.on = stream.isatty() and self.size > 20_000_000
        self.dissection = dissection
        self.stream = stream
        self.last = 0.0

    def update(self, frame: int) -> None:
        now = time.monotonic()
        if self.on and now - self.last > 0.25:
            self.last = now
            done = self.dissection.bytes_read()
            width = 30
            filled = int(width * done / self.size)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                              f"{100 * done / self.size:5.1f}%  {done / 1e6:,.0f}/"
                              f"{self.size / 1e6:,.0f} MB  frame {frame}")
            self.stream.flush()

    def done(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 79 + "\r")


def _text_line(conn: Connection, record: Record, t0: float,
               annotation: Annotation | None = None) -> str:
    src, dst = conn.endpoints(record.direction)
    role = conn.role.value if conn.variant == "ptpip" else f"{conn.role.value}/{conn.variant}"
    return f"{record.frame:7d} {record.time - t0:11.6f} {src} → {dst} {role:7s} " \
           f"{describe.summary(record, annotation)}"


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
    dissection = dissect_file(args.file, dissect_options(args))
    out = sys.stdout
    progress = _Progress(dissection)
    t0: float | None = None
    problems: Counter[str] = Counter()
    annotator = _annotator(args) if _decodes_ptp(args) else None
    for count, (conn, record) in enumerate(dissection.records()):
        t0 = record.time if t0 is None else t0
        if not isinstance(record, Packet) or record.missing > 0:
            problems[_problem_kind(record)] += 1
        note = annotator.feed(conn, record) if annotator is not None else None
        if args.format == "jsonl":
            out.write(json.dumps(describe.to_dict(conn, record, note)) + "\n")
        else:
            out.write(_text_line(conn, record, t0, note) + "\n")
            if args.verbose:
                _print_tree(describe.detail_tree(record, note), out, 1)
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
    if is_unusable(dissection):
        return EXIT_UNUSABLE
    if problems or dissection.error or stats.problems or unbalanced:
        return EXIT_PROBLEMS
    return EXIT_OK


def _validated(args: argparse.Namespace
               ) -> tuple[Dissection, ValidationResult, dict[int, str | None]]:
    """One pass: validator and transaction rows, plus each stream's vendor when PTP meaning is
    wanted (the annotator rides along on the same records)."""
    from .analyze.transactions import validate_records  # not needed by dissect: start faster
    dissection = dissect_file(args.file, dissect_options(args))
    vendors: dict[int, str | None] = {}
    pairs = dissection.records()
    if _decodes_ptp(args):
        pairs = _tap_vendors(pairs, _annotator(args), vendors)
    return dissection, validate_records(pairs), vendors


def _annotator(args: argparse.Namespace) -> Annotator:
    from .decode.annotate import Annotator  # datasets, vendor tables: only when asked for
    return Annotator(args.vendor)


def _tap_vendors(pairs: Iterator[tuple[Connection, Record]], annotator: Annotator,
                 vendors: dict[int, str | None]) -> Iterator[tuple[Connection, Record]]:
    for conn, record in pairs:
        vendors[record.stream] = annotator.feed(conn, record).vendor
        yield conn, record


def is_unusable(dissection: Dissection) -> bool:
    stats = dissection.frame_stats
    return bool(stats.frames and sum(stats.unknown_linktypes.values()) == stats.frames)


def _finding_line(f: Finding) -> str:
    tid = f"tid {f.transaction_id}" if f.transaction_id is not None else ""
    return f"  {f.severity.name.lower():8s} {f.rule:13s} frame {f.frame:<7d} {tid:14s} " \
           f"{f.message}"


def _print_findings(result: ValidationResult, out: TextIO) -> None:
    by_session: dict[int | None, list[Finding]] = {}
    for f in result.findings:
        by_session.setdefault(f.session, []).append(f)
    for session in result.sessions:
        event = f"event stream {session.event_stream}" if session.event_stream is not None \
            else "no event connection seen"
        out.write(f"Session {session.number}: command stream {session.command_stream}, "
                  f"{event}, connection number {session.connection_number}\n")
        for f in by_session.pop(session.number, []) or []:
            out.write(_finding_line(f) + "\n")
    for f in by_session.pop(None, []):
        out.write(_finding_line(f) + "\n")
    counts = {sev: sum(f.severity is sev for f in result.findings) for sev in Severity}
    out.write(f"Summary: {len(result.sessions)} session(s), {len(result.transactions)} "
              f"transaction(s), {counts[Severity.ERROR]} error(s), "
              f"{counts[Severity.WARNING]} warning(s), {counts[Severity.NOTE]} note(s)\n")


def cmd_validate(args: argparse.Namespace) -> int:
    dissection, result, _ = _validated(args)
    if args.format == "json":
        from .validate import finding_to_dict
        json.dump([finding_to_dict(f) for f in result.findings], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        _print_findings(result, sys.stdout)
    if dissection.error:
        sys.stderr.write(f"error: {dissection.error}\n")
    if is_unusable(dissection):
        return EXIT_UNUSABLE
    threshold = Severity[args.fail_on.upper()]
    failed = any(f.severity >= threshold for f in result.findings) or dissection.error
    return EXIT_PROBLEMS if failed else EXIT_OK


def _table_row(row: dict[str, object]) -> str:
    params = ", ".join(row["named_params"])  # type: ignore[arg-type]
    latency = row["latency_s"]
    ms = f"{latency * 1000:9.3f}" if isinstance(latency, float) else "        -"
    code = row["response_code"]
    response = f"{row['response_name']} (0x{code:04X})" if isinstance(code, int) else "-"
    data = f"{row['data_direction'] or '':3s} {row['data_bytes']:>10}"
    return f"{row['session'] or '-':>3} {row['transaction_id']:>6} " \
           f"{row['opcode_name']:>24s} (0x{row['opcode']:04X}) {response:28s} " \
           f"{data} {ms} {row['start_frame']:>7}  {params}"


def cmd_transactions(args: argparse.Namespace) -> int:
    from .analyze.transactions import transaction_to_dict
    dissection, result, vendors = _validated(args)
    rows = [transaction_to_dict(t, vendors.get(t.stream)) for t in result.transactions]
    out = sys.stdout
    if args.format == "jsonl":
        for row in rows:
            out.write(json.dumps(row) + "\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["session"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (" ".join(map(str, v)) if isinstance(v, list) else v)
                             for k, v in row.items()})
    else:
        out.write(f"{'ses':>3} {'tid':>6} {'operation':>33s} {'response':28s} "
                  f"{'dir':3s} {'data bytes':>10} {'ms':>9} {'frame':>7}  parameters\n")
        for row in rows:
            out.write(_table_row(row) + "\n")
    if dissection.error:
        sys.stderr.write(f"error: {dissection.error}\n")
    if is_unusable(dissection):
        return EXIT_UNUSABLE
    return EXIT_PROBLEMS if dissection.error else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
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
    except Exception as exc:  # noqa: BLE001  a bug of ours: one line, never a traceback
        sys.stderr.write(f"error: internal error ({exc.__class__.__name__}: {exc}) while "
                         f"processing {getattr(args, 'file', '')}; please report it\n")
        return EXIT_UNUSABLE


if __name__ == "__main__":
    sys.exit(main())
