"""What every command shares: the input flags, the engine options they mean, the exit codes.

Exit codes (also in README.md), the same for every command that reads a capture:
  0  the input was read whole and every stream byte decoded as PTP/IP packets
  1  input problems found: gaps, malformed regions, truncated frames, a truncated or corrupt
     file (what could be read is still reported); ``validate --fail-on`` findings
  2  unusable input (missing or unreadable file, not a pcap/pcapng, only unsupported link
     types) or a usage error
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TextIO

from ..decode.tables import VENDORS
from ..engine import Dissection, Engine, EngineOptions
from ..framing import KEEP_ALL

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
def leave_out_arrow(args: argparse.Namespace) -> None:
    """pandas 3 imports pyarrow, when installed, for its ``str`` dtype: ~35-70 MB resident,
    and Arrow copies of every string column. The program's own process keeps pandas to its
    Python-backed ``str`` (the same values), which keeps ``stats`` on 20,000 connections
    under 200 MB (issue 17); writing Parquet loads pyarrow itself when it writes
    (``export.write_parquet``), after the tables are built. ``batch`` (Dask) keeps pandas'
    own choice. For the program's own process only: a library user's pandas is untouched.
    pyarrow, when it is loaded, allocates from the C library (its default pool, mimalloc,
    kept ~40 MB of freed Arrow buffers resident while a 98 MB capture's tables were written)."""
    if args.command != "batch" and "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  (import fails)
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def add_input_options(p: argparse.ArgumentParser, file: bool = True,
                      many: bool = False) -> None:
    """The input flags; each means the same in every command (``engine_options``)."""
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour on a terminal (auto; off when piped or NO_COLOR is set)")
    if many:
        p.add_argument("files", nargs="+", metavar="file",
                       help="pcap or pcapng captures (optionally gzip/xz/bzip2); - for "
                            "standard input; several: a capture column says which")
        p.set_defaults(file=None)
    if file and not many:
        p.add_argument("file", help="pcap or pcapng capture (optionally gzip/xz/bzip2); "
                                    "- for standard input")
    if file:
        p.add_argument("--follow", action="store_true",
                       help="keep reading as the file grows (like tail -f); stop with Ctrl-C")
    p.add_argument("--port", type=int, action="append", metavar="N",
                   help="TCP port carrying PTP/IP (repeatable; default 15740)")
    p.add_argument("--no-heuristics", action="store_true",
                   help="don't detect PTP/IP on other ports by its Init requests")
    p.add_argument("--max-pending", type=int, default=EngineOptions().max_pending,
                   metavar="BYTES", help="out-of-order bytes buffered per stream direction")
    p.add_argument("--vendor", choices=sorted(VENDORS), metavar="NAME",
                   help="name vendor codes from this vendor's tables instead of detecting "
                        f"the vendor per session ({', '.join(sorted(VENDORS))})")


def engine_options(args: argparse.Namespace, **stages: bool | int) -> EngineOptions:
    """The EngineOptions the input flags ask for; ``stages`` says what the command needs."""
    base = EngineOptions()
    return base.with_(ports=frozenset(args.port) if args.port else base.ports,
                      heuristics=not args.no_heuristics, max_pending=args.max_pending,
                      vendor=args.vendor, **stages)


def for_file(args: argparse.Namespace, path: str) -> argparse.Namespace:
    """``args`` with ``file`` set to one of several inputs (``stats A B``)."""
    return argparse.Namespace(**{**vars(args), "file": path})


def dissection(args: argparse.Namespace, **stages: bool | int) -> Dissection:
    """The run a command asked for: its input (a file, ``-``, or with ``live -i`` a dumpcap
    capture) into an engine with its options. ``args.on_dissection`` (set by ``live``) sees
    the run before it starts."""
    live = getattr(args, "live", None)
    if live is not None:
        stages = {**stages, **live.stages}
    run = Dissection(args.file, engine_options(args, **stages),
                     follow=getattr(args, "follow", False),
                     source=live.source(args) if live is not None else None)
    if live is not None:
        live.started(run)
    return run


class Colour:
    """The ``--color`` choice of this run, for stderr's messages and the commands' output."""

    choice = "auto"


COLOUR = Colour()


def _message(kind: str, colour: str, text: str) -> None:
    from .output import Palette, colour_wanted
    palette = Palette(colour_wanted(COLOUR.choice, sys.stderr))
    sys.stderr.write(f"{palette.paint(colour, kind + ':')} {text}\n")


def error(text: str) -> None:
    """``error: text`` on stderr (red on a terminal)."""
    _message("error", "red", text)


def warning(text: str) -> None:
    """``warning: text`` on stderr (yellow on a terminal)."""
    _message("warning", "yellow", text)


def keep_all() -> int:
    return KEEP_ALL


def report_input(engine: Engine, name: str, damaged: str | None = None,
                 finished: bool = True) -> int:
    """Say on stderr what was wrong with the input and give the exit code for it
    (``finished`` False: the command stopped early, -c; the streams' books are not closed)."""
    stats = engine.frame_stats
    for problem in stats.problems[:20]:
        warning(f"frame {problem.frame}: {problem.message}")
    if len(stats.problems) > 20:
        warning(f"... and {len(stats.problems) - 20} more frame problems")
    if engine.error:
        error(f"{name}: {engine.error}")
    elif damaged:  # exit 1 must say why, also when frames were fine but the streams were not
        error(f"the PTP/IP streams are damaged: {damaged} (see the records above)")
    unbalanced = [(k, v) for k, v in engine.accounting.items() if not v.balanced] \
        if finished else []
    for (stream, direction), books in unbalanced:
        error(f"stream {stream} direction {direction.name}: byte accounting does not add "
              f"up {books}")
    return input_exit_code(engine, bool(damaged or stats.problems or unbalanced))


def input_exit_code(engine: Engine, problems: bool = False) -> int:
    if engine.unusable or (engine.error is not None and engine.reader.format is None):
        return EXIT_UNUSABLE
    return EXIT_PROBLEMS if problems or engine.error else EXIT_OK


class Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, source: Dissection, stream: TextIO | None = None) -> None:
        stream = sys.stderr if stream is None else stream
        path = source.path
        self.size = os.path.getsize(path) if str(path) != "-" and os.path.isfile(path) else 0
        self.on = stream.isatty() and self.size > 20_000_000
        self.source = source
        self.stream = stream
        self.last = 0.0

    def update(self, frame: int) -> None:
        now = time.monotonic()
        if self.on and now - self.last > 0.25:
            self.last = now
            done = self.source.bytes_read()
            width = 30
            filled = min(width, int(width * done / self.size))
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                              f"{100 * done / self.size:5.1f}%  {done / 1e6:,.0f}/"
                              f"{self.size / 1e6:,.0f} MB  frame {frame}")
            self.stream.flush()

    def done(self) -> None:
        if self.on:
            self.stream.write("\r" + " " * 79 + "\r")
