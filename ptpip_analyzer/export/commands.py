"""The ``export-objects``, ``excerpt`` and ``batch`` subcommands: arguments and printing only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import cli


def add_parser(subparsers: Any) -> None:
    """Adds ``export-objects``, ``excerpt`` and ``batch`` to an argparse subparsers object."""
    e = subparsers.add_parser(
        "export-objects", help="write every transferred object as a file, with a manifest",
        description="Objects of GetObject, GetThumb, GetPartialObject and SendObject data "
                    "phases, named from their ObjectInfo (sanitised, never overwriting); "
                    "incomplete ones end in .partial. manifest.csv/json list them all.")
    cli._add_input_options(e)
    e.add_argument("-d", "--dir", required=True, type=Path, help="output folder")
    e.set_defaults(func=cmd_export_objects)
    _add_excerpt(subparsers)
    _add_batch(subparsers)


def cmd_export_objects(args: argparse.Namespace) -> int:
    from .object_files import export_objects
    dissection, rows = export_objects(args.file, args.dir, cli._options(args))
    for row in rows:
        name = row.file or "(no bytes captured)"
        sys.stdout.write(f"{row.status:8s} {row.kind:6s} {row.size:>10} {name}"
                         f"{'  (' + row.reason + ')' if row.reason else ''}\n")
    partial = sum(r.status != "complete" for r in rows)
    sys.stdout.write(f"{len(rows)} object(s), {partial} partial, in {args.dir}\n")
    if dissection.error:
        sys.stderr.write(f"error: {dissection.error}\n")
    return cli.EXIT_UNUSABLE if cli._unusable(dissection) else \
        cli.EXIT_PROBLEMS if dissection.error else cli.EXIT_OK


def _add_excerpt(subparsers: Any) -> None:
    pass


def _add_batch(subparsers: Any) -> None:
    pass
