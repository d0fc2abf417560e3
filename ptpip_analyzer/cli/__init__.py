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


class _Version(argparse.Action):
    """--version: looks for tshark only when asked (it runs ``tshark --version``)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .version import version_text
        sys.stdout.write(version_text())
        parser.exit(EXIT_OK)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; for a core ``command`` the optional command modules (simulator,
    analysis, export: asyncio, pandas, rich) are not even imported, so dissect starts fast."""
    from . import dissect, validation
    parser = argparse.ArgumentParser(prog="ptpip-analyzer",
                                     description="PTP/IP dissector and analyzer")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="versions of this package, its Kaitai compiler and tshark")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    dissect.add_parsers(sub)
    validation.add_parsers(sub)
    if command not in CORE_COMMANDS:
        from . import analysis, compare, live, objects, simulate, tui
        analysis.add_parsers(sub)
        compare.add_parsers(sub)
        objects.add_parsers(sub)
        simulate.add_parsers(sub)
        tui.add_parsers(sub)
        live.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from . import common
    from .output import UsageError
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    if args.command is None:  # like git: the command list, a usage error (exit 2)
        parser.print_help(sys.stderr)
        parser.exit(EXIT_UNUSABLE)
    common.COLOUR.choice = getattr(args, "color", "auto")
    if argv is None:  # the program itself, not a caller in its own process
        common.leave_out_arrow(args)
    try:
        return int(args.func(args))
    except UsageError as exc:
        common.error(str(exc))
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        common.error(f"{exc.strerror or exc}: {getattr(exc, 'filename', '')}")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001  a bug of ours: one line, never a traceback
        common.error(f"internal error ({exc.__class__.__name__}: {exc}) while processing "
                     f"{getattr(args, 'file', '')}; please report it")
        return EXIT_UNUSABLE
