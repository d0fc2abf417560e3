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
    x = subparsers.add_parser(
        "excerpt", help="a small pcapng with only the frames of some transactions",
        description="Copies the frames of the chosen transactions (both directions, request "
                    "to response), the connection openings, OpenSession and the events in "
                    "between into a pcapng that our dissector and tshark read. Frames left "
                    "out show as capture gaps.")
    cli._add_input_options(x)
    x.add_argument("--transactions", required=True, metavar="IDS",
                   help="transaction ids, e.g. 12-15 or 3,7,12-15")
    x.add_argument("--session", type=int, metavar="N", help="only session N (see validate)")
    x.add_argument("--trim-data", action="store_true",
                   help="cut object data out of the frames like a snapshot length would")
    x.add_argument("-o", "--output", required=True, type=Path, help="pcapng to write")
    x.set_defaults(func=cmd_excerpt)


def cmd_excerpt(args: argparse.Namespace) -> int:
    from .excerpt import ExcerptError, parse_selection, plan
    from .frame_copy import write_excerpt
    try:
        wanted = parse_selection(args.transactions)
    except ValueError as exc:
        sys.stderr.write(f"error: --transactions: {exc}\n")
        return cli.EXIT_UNUSABLE
    if args.output.exists() and args.output.resolve() == Path(args.file).resolve():
        sys.stderr.write("error: the excerpt would overwrite its own capture\n")
        return cli.EXIT_UNUSABLE
    try:
        chosen = plan(args.file, wanted, args.session, cli._options(args), args.trim_data)
    except ExcerptError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return cli.EXIT_UNUSABLE
    with open(args.output, "wb") as out:
        stats = write_excerpt(args.file, chosen, out)
    for t in chosen.transactions:
        sys.stdout.write(f"session {t.session if t.session is not None else '-'} "
                         f"tid {t.transaction_id} {t.opcode_name} frames {t.start_frame}-"
                         f"{t.end_frame if t.end_frame is not None else '?'}\n")
    sys.stdout.write(f"{stats.frames_written} of {stats.frames_read} frames written to "
                     f"{args.output}, {stats.bytes_trimmed} bytes trimmed\n")
    return cli.EXIT_OK


def _add_batch(subparsers: Any) -> None:
    pass
