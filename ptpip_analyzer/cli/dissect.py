"""The ``dissect``, ``validate`` and ``transactions`` commands: arguments and printing only."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from ..decode import describe
from ..model import Connection, Finding, Gap, Malformed, Packet, Record, Severity
from . import common

if TYPE_CHECKING:
    from ..analyze.transactions import ValidationResult
    from ..decode.annotate import Annotation


def add_parsers(sub: Any) -> None:
    d = sub.add_parser("dissect", help="one line per PTP/IP packet, like tshark")
    common.add_input_options(d)
    d.add_argument("-V", dest="verbose", action="store_true", help="detail tree per packet")
    d.add_argument("-x", dest="hex", action="store_true", help="hex dump of each packet")
    d.add_argument("--format", choices=("text", "jsonl"), default="text")
    d.set_defaults(func=cmd_dissect)
    v = sub.add_parser("validate", help="protocol findings, grouped by session")
    common.add_input_options(v)
    v.add_argument("--format", choices=("text", "json"), default="text")
    v.add_argument("--fail-on", choices=("error", "warning", "note"), default="error",
                   help="exit 1 when a finding is at or above this severity (default error)")
    v.set_defaults(func=cmd_validate)
    t = sub.add_parser("transactions", help="one row per PTP transaction")
    common.add_input_options(t)
    t.add_argument("--format", choices=("table", "jsonl", "csv"), default="table")
    t.set_defaults(func=cmd_transactions)


def _decodes_ptp(args: argparse.Namespace) -> bool:
    """dissect -V / jsonl / --vendor show PTP meaning: vendor names, datasets (kept payloads)."""
    return bool(getattr(args, "verbose", False) or getattr(args, "format", "") == "jsonl"
                or args.vendor or args.command == "transactions")


def _dissect_stages(args: argparse.Namespace) -> dict[str, bool | int]:
    ptp = _decodes_ptp(args)
    keep = common.keep_all() if args.hex else 1 << 20 if ptp else 0
    return {"annotate": ptp, "validate": False, "keep_payload": keep}


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
    source = common.dissection(args, **_dissect_stages(args))
    out = sys.stdout
    source.source.before_read = out.flush  # a pipe's packets show as they arrive
    progress = common.Progress(source)
    t0: float | None = None
    problems: Counter[str] = Counter()
    jsonl = args.format == "jsonl"
    for item in source.items():
        conn, record, note = item.conn, item.record, item.annotation
        t0 = record.time if t0 is None else t0
        if not isinstance(record, Packet) or record.missing > 0:
            problems[_problem_kind(record)] += 1
        if jsonl:
            out.write(json.dumps(describe.to_dict(conn, record, note)) + "\n")
        else:
            out.write(_text_line(conn, record, t0, note) + "\n")
            if args.verbose:
                _print_tree(describe.detail_tree(record, note), out, 1)
            if args.hex and isinstance(record, Packet):
                _hexdump(record.raw, out)
        if item.index % 1024 == 0:
            progress.update(record.frame)
    progress.done()
    damaged = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in sorted(problems.items()))
    return common.report_input(source.engine, args.file, damaged=damaged or None)


def _problem_kind(record: Record) -> str:
    if isinstance(record, Gap):
        return "gap"
    return "malformed region" if isinstance(record, Malformed) else "incomplete packet"


def _validated(args: argparse.Namespace) -> tuple[common.Dissection, ValidationResult]:
    """One pass through the engine: validator and transaction rows (and, when PTP meaning
    is wanted, the annotator for vendor-aware names)."""
    from ..analyze.transactions import validation_of  # not needed by dissect: start faster
    source = common.dissection(args, annotate=_decodes_ptp(args), validate=True,
                               keep_payload=1 << 20 if _decodes_ptp(args) else 0)
    for _ in source.items():
        pass
    return source, validation_of(source.engine)


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
    source, result = _validated(args)
    if args.format == "json":
        from ..validate import finding_to_dict
        json.dump([finding_to_dict(f) for f in result.findings], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        _print_findings(result, sys.stdout)
    code = common.input_exit_code(source.engine)
    if source.engine.error:
        sys.stderr.write(f"error: {args.file}: {source.engine.error}\n")
    if code == common.EXIT_UNUSABLE:
        return code
    threshold = Severity[args.fail_on.upper()]
    failed = any(f.severity >= threshold for f in result.findings)
    return common.EXIT_PROBLEMS if failed else code


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
    from ..analyze.transactions import transaction_to_dict
    source, result = _validated(args)
    engine = source.engine
    rows = [transaction_to_dict(t, engine.vendor_of(t.stream)) for t in result.transactions]
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
    if engine.error:
        sys.stderr.write(f"error: {args.file}: {engine.error}\n")
    return common.input_exit_code(engine)
