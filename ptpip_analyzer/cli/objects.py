"""The ``export-objects``, ``excerpt`` and ``batch`` commands: arguments and printing only."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from ..terminal_text import escape
from . import common, selection
from .output import UsageError
from .validation import selected_transactions

if TYPE_CHECKING:
    from ..export.excerpt import Survey


def add_parsers(subparsers: Any) -> None:
    """Adds ``export-objects``, ``excerpt`` and ``batch`` to an argparse subparsers object."""
    e = subparsers.add_parser(
        "export-objects", help="write every transferred object as a file, with a manifest",
        description="Objects of GetObject, GetThumb, GetPartialObject and SendObject data "
                    "phases, named from their ObjectInfo (sanitised, never overwriting "
                    "unless --force); incomplete ones end in .partial. manifest.csv/json "
                    "list them all. Exit 1 when an object is incomplete because the capture "
                    "lost bytes of it.")
    common.add_input_options(e)
    e.add_argument("-d", "--dir", required=True, type=Path, help="output folder")
    e.add_argument("--force", action="store_true",
                   help="replace files of the same names (a re-run) instead of writing "
                        "'name (1)' copies")
    selection.add_filter_option(e, "objects of the transactions")
    e.set_defaults(func=cmd_export_objects)
    _add_excerpt(subparsers)
    _add_batch(subparsers)


def cmd_export_objects(args: argparse.Namespace) -> int:
    from ..export.object_files import export_objects
    wanted = None
    if args.display_filter is not None:
        selection.display_filter(args, "transactions")  # a bad filter stops before reading
        chosen = {(t["stream"], t["transaction_id"])
                  for t in selected_transactions(args, args.file)}

        def wanted(t: Any) -> bool:
            return any((t.stream, tid) in chosen for tid in t.transaction_ids)
    options = common.engine_options(args, annotate=False, validate=False)
    dissection, rows = export_objects(args.file, args.dir, options, wanted, args.force)
    for row in rows:
        name = row.file or "(no bytes captured)"
        sys.stdout.write(f"{row.status:8s} {row.kind:6s} {row.size:>10} {name}"
                         f"{'  (' + row.reason + ')' if row.reason else ''}\n")
    partial = sum(r.status != "complete" for r in rows)
    gaps = sum(r.capture_gaps for r in rows)
    sys.stdout.write(f"{len(rows)} object(s), {partial} partial, in {args.dir}\n")
    if gaps:
        common.error(f"{gaps} object(s) incomplete because the capture lost bytes of them")
    if dissection.error:
        common.error(f"{args.file}: {dissection.error}")
    return common.input_exit_code(dissection.engine, problems=bool(gaps))


def _add_excerpt(subparsers: Any) -> None:
    x = subparsers.add_parser(
        "excerpt", help="a small pcapng with only the frames of some transactions",
        description="Copies the frames of the chosen transactions (both directions, request "
                    "to response), the connection openings, OpenSession and the events in "
                    "between into a pcapng that our dissector and tshark read. Frames left "
                    "out show as capture gaps.")
    common.add_input_options(x)
    x.add_argument("--transactions", metavar="IDS",
                   help="transaction ids, e.g. 12-15 or 3,7,12-15")
    selection.add_filter_option(x, "transactions (instead of or with --transactions)")
    x.add_argument("--session", type=int, metavar="N", help="only session N (see validate)")
    x.add_argument("--trim-data", action="store_true",
                   help="cut object data out of the frames like a snapshot length would")
    x.add_argument("-o", "--output", required=True, type=Path, help="pcapng to write")
    x.set_defaults(func=cmd_excerpt)


def cmd_excerpt(args: argparse.Namespace) -> int:
    from ..export.excerpt import ExcerptError, Survey, parse_selection
    from ..export.frame_copy import write_excerpt
    if args.transactions is None and args.display_filter is None:
        raise UsageError("excerpt needs --transactions IDS or -Y EXPR")
    try:
        wanted = parse_selection(args.transactions) if args.transactions else None
    except ValueError as exc:
        common.error(f"--transactions: {exc}")
        return common.EXIT_UNUSABLE
    if args.file == "-":
        common.error("excerpt copies frames from its capture file: it needs a file, not "
                     "standard input")
        return common.EXIT_UNUSABLE
    if args.output.exists() and args.output.resolve() == Path(args.file).resolve():
        common.error("the excerpt would overwrite its own capture")
        return common.EXIT_UNUSABLE
    filtered = args.display_filter is not None
    if filtered:
        selection.display_filter(args, "transactions")  # a bad filter stops before reading
    try:
        # -Y is answered from the same run (its names need the annotator): one pass, not two
        survey = Survey(args.file, common.engine_options(args), names=filtered)
        if filtered:
            wanted, args.session = _filtered_ids(args, wanted, survey)
        assert wanted is not None  # --transactions or -Y gave the ids
        chosen = survey.plan(wanted, args.session, args.trim_data)
    except ExcerptError as exc:
        common.error(str(exc))
        return common.EXIT_UNUSABLE
    del survey  # the engine's state goes before the second pass copies frames
    with open(args.output, "wb") as out:
        stats = write_excerpt(args.file, chosen, out)
    for t in chosen.transactions:
        sys.stdout.write(f"session {t.session if t.session is not None else '-'} "
                         f"tid {t.transaction_id} {t.opcode_name} frames {t.start_frame}-"
                         f"{t.end_frame if t.end_frame is not None else '?'}\n")
    sys.stdout.write(f"{stats.frames_written} of {stats.frames_read} frames written to "
                     f"{args.output}, {stats.bytes_trimmed} bytes trimmed\n")
    return common.EXIT_OK


def _filtered_ids(args: argparse.Namespace, wanted: set[int] | None,
                  survey: Survey) -> tuple[set[int], int | None]:
    """-Y's transactions (within --transactions and --session if given): one session's ids."""
    rows = [t for t in selected_transactions(args, args.file, survey.source)
            if (wanted is None or t["transaction_id"] in wanted)
            and (args.session is None or t["session"] == args.session)]
    sessions = sorted({t["session"] for t in rows}, key=lambda s: (s is None, s or 0))
    if not rows:
        raise UsageError(f"-Y selects no transaction in {args.file}")
    if len(sessions) > 1:
        raise UsageError(f"-Y selects transactions of sessions {', '.join(map(str, sessions))}"
                         ": add session == N (an excerpt holds one session)")
    return {t["transaction_id"] for t in rows}, sessions[0]


def _add_batch(subparsers: Any) -> None:
    b = subparsers.add_parser(
        "batch", help="many captures into one Parquet dataset per table",
        description="Analyses every capture of a folder (recursively) or glob into "
                    "OUT/<table>/capture=<name>/ (hive-partitioned Parquet) plus "
                    "OUT/captures.parquet (one row per file: status, error). A bad file is "
                    "reported and skipped, never stops the batch.")
    b.add_argument("inputs", metavar="DIR_OR_GLOB", help="folder or glob pattern (quote it)")
    b.add_argument("-o", "--output", required=True, type=Path, help="output folder")
    b.add_argument("-j", "--jobs", type=int, default=None,
                   help="local worker processes (default: one per CPU)")
    b.add_argument("--dask", metavar="ADDRESS",
                   help="run on this dask.distributed scheduler (tcp://host:8786) instead; "
                        "workers must see the same paths")
    common.add_input_options(b, file=False)
    b.set_defaults(func=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from ..analyze.batch import captures_of, run_batch, skipped_in, summary
    paths = captures_of(args.inputs)
    skipped = skipped_in(args.inputs)
    if not paths:
        common.error(f"no capture files in {args.inputs}")
        return common.EXIT_UNUSABLE
    engine = common.engine_options(args)
    options: dict[str, Any] = {"heuristics": engine.heuristics, "ports": engine.ports,
                               "max_pending": engine.max_pending, "vendor": engine.vendor}
    with _progress(len(paths)) as report:
        results = run_batch(paths, args.output, options, args.jobs, args.dask, report,
                            skipped)
    for r in sorted(results, key=lambda r: (r.status == "skipped", r.path)):
        if r.status != "ok":
            sys.stderr.write(f"{r.status}: {escape(r.path)}: {escape(r.error or '')}\n")
    counts = summary(results)
    sys.stdout.write(f"{len(results) - counts['skipped']} capture(s): {counts['ok']} ok, "
                     f"{counts['partial']} partial, {counts['error']} failed; "
                     f"{counts['skipped']} other file(s) skipped; dataset in "
                     f"{escape(str(args.output))}\n")
    return common.EXIT_PROBLEMS if counts["error"] or counts["partial"] else common.EXIT_OK


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[Any, int, int], None]]:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""
    from rich.progress import Progress
    with Progress(console=Console(stderr=True), disable=not sys.stderr.isatty(),
                  transient=True) as bar:
        task = bar.add_task("captures", total=total)
        yield lambda result, done, _total: bar.update(task, completed=done,
                                                      description=result.capture[:30])
