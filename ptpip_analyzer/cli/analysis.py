"""The ``export``, ``report`` and ``stats`` commands: arguments over the engine's tables.

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

from . import common

# The table names without importing pandas (this module is imported whenever the CLI starts);
# tests/analyze/test_commands_light.py checks they match schema.TABLES.
TABLES = ("packets", "transactions", "data_phases", "events", "objects", "sessions", "findings",
          "properties", "gaps")

EXPORT_FORMATS = ("parquet", "csv", "jsonl")


def add_parsers(subparsers: Any) -> None:
    """Adds ``export``, ``report`` and ``stats`` to an argparse subparsers object."""
    e = subparsers.add_parser("export", help="write analysis tables as parquet, csv or jsonl",
                              description="Tables: " + ", ".join(TABLES))
    common.add_input_options(e)
    e.add_argument("--table", choices=(*TABLES, "all"), default="transactions",
                   help="table to write (all: every table into the -o directory)")
    e.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                   help="default: from the output suffix (parquet with --table all)")
    e.add_argument("-o", "--output", required=True, type=Path, help="output file or directory")
    e.set_defaults(func=cmd_export)
    r = subparsers.add_parser("report", help="self-contained HTML report of a capture")
    common.add_input_options(r)
    r.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    r.set_defaults(func=cmd_report)
    s = subparsers.add_parser("stats", help="summary tables of a capture in the terminal")
    common.add_input_options(s)
    s.set_defaults(func=cmd_stats)


def _load(args: argparse.Namespace) -> tuple[Any, int]:
    """The capture's tables from one engine pass, and the input's exit code."""
    from ..analyze.snapshot import capture_of  # pandas only for the commands that need it
    source = common.dissection(args, tables=True)
    for _ in source.items():
        pass
    if source.error:
        sys.stderr.write(f"error: {args.file}: {source.error} (tables hold what was "
                         "readable)\n")
    return capture_of(source.engine, Path(args.file)), common.input_exit_code(source.engine)


def cmd_export(args: argparse.Namespace) -> int:
    capture, code = _load(args)
    if args.table == "all":
        paths = capture.export_all(args.output, args.format or "parquet")
    else:
        try:
            paths = [capture.export(args.table, args.output, args.format)]
        except ValueError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return common.EXIT_UNUSABLE
    for path in paths:
        sys.stderr.write(f"wrote {path}\n")
    return code


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import write_report
    capture, code = _load(args)
    path = write_report(capture, args.output)
    sys.stderr.write(f"wrote {path}\n")
    return code


def cmd_stats(args: argparse.Namespace) -> int:
    from ..report import print_stats
    capture, code = _load(args)
    print_stats(capture)
    return code
