"""The ``export``, ``report`` and ``stats`` subcommands: argument parsing over ``load()``.

    ptpip-analyzer export FILE --table transactions --format parquet -o out.parquet
    ptpip-analyzer export FILE --table all --format csv -o DIR
    ptpip-analyzer report FILE -o report.html
    ptpip-analyzer stats FILE
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# The table names without importing pandas (this module is imported whenever the CLI starts);
# tests/analyze/test_commands_light.py checks they match schema.TABLES.
TABLES = ("packets", "transactions", "data_phases", "events", "objects", "sessions", "findings",
          "properties", "gaps")

EXPORT_FORMATS = ("parquet", "csv", "jsonl")


def _cli() -> Any:
    from .. import cli  # the shared input flags live there; imported late (cli imports us)
    return cli


def add_parser(subparsers: Any) -> None:
    """Adds ``export``, ``report`` and ``stats`` to an argparse subparsers object."""
    e = subparsers.add_parser("export", help="write analysis tables as parquet, csv or jsonl",
                              description="Tables: " + ", ".join(TABLES))
    _cli().add_input_options(e)
    e.add_argument("--table", choices=(*TABLES, "all"), default="transactions",
                   help="table to write (all: every table into the -o directory)")
    e.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                   help="default: from the output suffix (parquet with --table all)")
    e.add_argument("-o", "--output", required=True, type=Path, help="output file or directory")
    e.set_defaults(func=cmd_export)
    r = subparsers.add_parser("report", help="self-contained HTML report of a capture")
    _cli().add_input_options(r)
    r.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    r.set_defaults(func=cmd_report)
    s = subparsers.add_parser("stats", help="summary tables of a capture in the terminal")
    _cli().add_input_options(s)
    s.set_defaults(func=cmd_stats)


def _load(args: argparse.Namespace) -> Any:
    from .capture import load  # pandas is imported only by the commands that need it
    options = _cli().dissect_options(args)
    capture = load(args.file, ports=options.ports, heuristics=options.heuristics,
                   max_pending=options.max_pending)
    if capture.error:
        sys.stderr.write(f"error: {args.file}: {capture.error} (tables hold what was "
                         "readable)\n")
    return capture


def _exit_code(capture: Any) -> int:
    """As README's table: 1 when reading stopped early (truncated or corrupt file, unsupported
    link type), 2 when nothing PTP/IP could be read at all because of it, else 0."""
    if not capture.error:
        return 0
    return 2 if capture.packets.empty else 1


def cmd_export(args: argparse.Namespace) -> int:
    capture = _load(args)
    if args.table == "all":
        paths = capture.export_all(args.output, args.format or "parquet")
    else:
        try:
            paths = [capture.export(args.table, args.output, args.format)]
        except ValueError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 2
    for path in paths:
        sys.stderr.write(f"wrote {path}\n")
    return _exit_code(capture)


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import write_report
    capture = _load(args)
    path = write_report(capture, args.output)
    sys.stderr.write(f"wrote {path}\n")
    return _exit_code(capture)


def cmd_stats(args: argparse.Namespace) -> int:
    from ..report import print_stats
    capture = _load(args)
    print_stats(capture)
    return _exit_code(capture)
