"""``ptpip-analyzer compare A B``: two captures side by side (``Capture.compare``).

    ptpip-analyzer compare before.pcapng after.pcapng
    ptpip-analyzer compare A B --section latency --format csv > latency.csv
    ptpip-analyzer compare A B -Y 'opcode == GetObject'      # those transactions only
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

from . import common, selection
from .analysis import _load as load_capture  # one engine pass per capture, as stats
from .output import UsageError

SECTIONS = ("overview", "latency", "throughput", "time", "tcp", "findings")


def add_parsers(subparsers: Any) -> None:
    c = subparsers.add_parser(
        "compare", help="two captures side by side: latency, throughput, time, findings",
        description="One row per measure: the value in A, in B, and the change (B - A, and "
                    "B / A). CSV gives the raw numbers (seconds, bytes, bytes/s).")
    common.add_input_options(c, file=False)
    selection.add_filter_option(c, "transactions compared (in both captures)")
    c.add_argument("a", metavar="A", help="first capture (the baseline)")
    c.add_argument("b", metavar="B", help="second capture")
    c.add_argument("--section", choices=SECTIONS, action="append",
                   help="only these sections (repeatable; default: all)")
    c.add_argument("--format", choices=("table", "csv"), default="table")
    c.set_defaults(func=cmd_compare, file=None)


def cmd_compare(args: argparse.Namespace) -> int:
    if args.a == args.b == "-":
        raise UsageError("compare reads standard input once: give at most one of A and B as -")
    sides, codes = [], []
    for path in (args.a, args.b):  # A's tables are gone before B is read (issue 17)
        capture, code = load_capture(args, path)
        from ..analyze.compare import measures, side_by_side  # pandas after the engine's peak
        sides.append(measures(capture))
        codes.append(code)
        del capture
        gc.collect()  # (its tables hold reference cycles)
    frame = side_by_side(*sides)
    if args.section:
        frame = frame[frame["section"].isin(args.section)].reset_index(drop=True)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        _print_table(frame, (Path(args.a).name, Path(args.b).name))
    return max(codes)


def _print_table(frame: Any, names: tuple[str, str]) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..report import summary
    from ..report.terminal import cell
    console = Console()
    console = console if console.is_terminal else Console(width=max(console.width, 160))
    shown = summary.comparison(frame, (f"A: {names[0]}", f"B: {names[1]}"))
    for section, rows in shown.groupby("section", sort=False):
        out = Table(title=str(section), title_justify="left", title_style="bold")
        for i, column in enumerate(rows.columns[1:]):
            out.add_column(cell(column), justify="right" if i >= 2 else "left")
        for row in rows.drop(columns="section").itertuples(index=False):
            out.add_row(*(cell(v) for v in row))  # operation and rule names come from the wire
        console.print(out)
