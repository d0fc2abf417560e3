"""Command line: argument parsing and printing only; the work is done by the engine and the
library. Every command reading a capture takes the same input flags (``common``) and uses the
same exit codes (0 clean, 1 input problems, 2 unusable input or usage error; README.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, add_input_options, engine_options

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_UNUSABLE", "add_input_options", "build_parser",
           "engine_options", "main"]

CORE_COMMANDS = ("dissect", "validate", "transactions")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; for a core ``command`` the optional command modules (simulator,
    analysis, export: asyncio, pandas, rich) are not even imported, so dissect starts fast."""
    from . import dissect
    parser = argparse.ArgumentParser(prog="ptpip-analyzer",
                                     description="PTP/IP dissector and analyzer")
    sub = parser.add_subparsers(dest="command", required=True)
    dissect.add_parsers(sub)
    if command not in CORE_COMMANDS:
        from . import analysis, live, objects, simulate, tui
        analysis.add_parsers(sub)
        objects.add_parsers(sub)
        simulate.add_parsers(sub)
        tui.add_parsers(sub)
        live.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    try:
        return int(args.func(args))
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
