"""The ``export``, ``report`` and ``stats`` commands: arguments over the engine's tables.

    ptpip-analyzer export FILE --table transactions --format parquet -o out.parquet
    ptpip-analyzer export FILE --table all --format csv -o DIR
    ptpip-analyzer report FILE -o report.html
    ptpip-analyzer stats FILE
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from ..terminal_text import escape
from . import common, selection
from .output import UsageError

# The table names without importing pandas (this module is imported whenever the CLI starts);
# tests/analyze/test_commands_light.py checks they match schema.TABLES.
TABLES = ("packets", "transactions", "data_phases", "events", "objects", "sessions", "findings",
          "properties", "gaps", "device_info", "tcp", "discovery")

EXPORT_FORMATS = ("parquet", "csv", "jsonl")


def add_parsers(subparsers: Any) -> None:
    """Adds ``export``, ``report`` and ``stats`` to an argparse subparsers object."""
    e = subparsers.add_parser("export", help="write analysis tables as parquet, csv or jsonl",
                              description="Tables: " + ", ".join(TABLES))
    common.add_input_options(e)
    selection.add_filter_option(e, "rows of the table written (transactions or findings)")
    e.add_argument("--table", choices=(*TABLES, "all"), default="transactions",
                   help="table to write (all: every table into the -o directory)")
    e.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                   help="default: from the output suffix (parquet with --table all)")
    e.add_argument("-o", "--output", required=True, type=Path, help="output file or directory")
    e.set_defaults(func=cmd_export)
    r = subparsers.add_parser("report", help="self-contained HTML report of a capture")
    common.add_input_options(r)
    selection.add_filter_option(r, "transactions reported on")
    r.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    r.set_defaults(func=cmd_report)
    s = subparsers.add_parser("stats", help="summary tables of a capture in the terminal")
    common.add_input_options(s, many=True)
    selection.add_filter_option(s, "transactions counted")
    s.set_defaults(func=cmd_stats)


def _load(args: argparse.Namespace, path: str | None = None,
          table: str = "transactions") -> tuple[Any, int]:
    """The capture's tables from one engine pass, and the input's exit code; -Y keeps the
    rows of ``table`` (transactions or findings) it matches."""
    compiled = selection.display_filter(args, table)  # a bad filter stops before reading
    path = path or args.file
    source = common.dissection(common.for_file(args, path), tables=True)
    for _ in source.items():
        pass
    # pandas only now: its ~90 MB are not on top of the engine's state at its peak (issue 17)
    from ..analyze.snapshot import capture_of
    if source.error:
        common.error(f"{path}: {source.error} (tables hold what was readable)")
    capture = capture_of(source.engine, Path(path), last=True)  # (the run ends here)
    if compiled is not None:
        frame = capture.table(table)
        keep = [compiled.matches(row) for row in frame.to_dict("records")]
        capture = dataclasses.replace(capture, **{table: frame[keep].reset_index(drop=True)})
    return capture, common.input_exit_code(source.engine)


def cmd_export(args: argparse.Namespace) -> int:
    if args.display_filter is not None and args.table not in ("transactions", "findings"):
        raise UsageError("export -Y selects rows of --table transactions or findings; for "
                         "packets use: dissect -Y EXPR --format jsonl")
    capture, code = _load(args, table=args.table if args.table != "all" else "transactions")
    if args.table == "all":
        paths = capture.export_all(args.output, args.format or "parquet")
    else:
        try:
            paths = [capture.export(args.table, args.output, args.format)]
        except ValueError as exc:
            common.error(str(exc))
            return common.EXIT_UNUSABLE
    for path in paths:
        sys.stderr.write(f"wrote {path}\n")
    return code


def cmd_report(args: argparse.Namespace) -> int:
    capture, code = _load(args)
    from ..report import write_report  # (after the run: see _load)
    path = write_report(capture, args.output)
    sys.stderr.write(f"wrote {path}\n")
    return code


def cmd_stats(args: argparse.Namespace) -> int:
    codes = []
    for path in args.files:
        if len(args.files) > 1:
            sys.stdout.write(f"== {escape(path)}\n")
        capture, code = _load(args, path)
        from ..report import print_stats  # (after the run: see _load)
        print_stats(capture)
        codes.append(code)
    return max(codes)
