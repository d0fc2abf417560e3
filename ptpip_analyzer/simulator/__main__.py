"""``python -m ptpip_analyzer.simulator``: the ``simulate`` subcommand without the main CLI."""

from __future__ import annotations

import argparse
import sys

from ..cli.simulate import add_parsers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ptpip_analyzer.simulator")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["simulate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
