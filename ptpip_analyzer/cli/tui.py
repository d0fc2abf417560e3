"""``ptpip-analyzer tui FILE``: the terminal UI (``ptpip_analyzer.tui``); ``--serve`` gives the
same app to a browser on localhost (textual-serve). Parsing only: the app does the rest."""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from . import selection
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, add_input_options, engine_options
from .live import add_capture_options, capture_source

SERVE_HOST = "localhost"  # never another interface: the capture's contents are served


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tui", help="interactive terminal UI: packets, detail, hex, "
                                   "transactions, sessions, findings, graphs, filters")
    add_input_options(p, file=False)
    p.add_argument("file", nargs="?", default=None, metavar="FILE",
                   help="capture file (pcap/pcapng, maybe gzip/xz/bz2), or - for a capture "
                        "stream on standard input; or -i IFACE to capture live")
    p.add_argument("--follow", action="store_true",
                   help="keep reading as the file grows (like tail -f)")
    add_capture_options(p)
    selection.add_filter_option(p, "packets")
    p.add_argument("--serve", action="store_true",
                   help="serve the UI to a web browser on localhost instead (textual-serve)")
    p.add_argument("--serve-port", type=int, default=8000, metavar="N",
                   help="port for --serve (default 8000)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.interface is None):
        sys.stderr.write("error: tui needs a capture FILE, - (standard input) or -i IFACE\n")
        return EXIT_UNUSABLE
    if args.interface is not None:
        return run_live(args)
    if args.serve:
        return serve(args)
    if args.file != "-" and not os.path.exists(args.file):
        sys.stderr.write(f"error: no such file: {args.file}\n")
        return EXIT_UNUSABLE
    packets_filter = selection.display_filter(args, "packets")  # a bad one: usage error
    from ..tui.app import run_app
    from ..tui.terminal import TerminalError, capture_path
    try:
        with capture_path(args.file) as path:
            run_app(path, engine_options(args), follow=args.follow or args.file == "-",
                    name="standard input" if args.file == "-" else None,
                    packets_filter=packets_filter)
    except TerminalError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_UNUSABLE
    return EXIT_OK


def run_live(args: argparse.Namespace) -> int:
    """``tui -i IFACE``: dumpcap on the interface feeds the app; the list follows new rows."""
    if args.serve:
        sys.stderr.write("error: tui --serve shows a capture file, not a live capture\n")
        return EXIT_UNUSABLE
    packets_filter = selection.display_filter(args, "packets")
    from ..sources.live import LiveError, check_interface
    from ..tui.app import run_app
    try:
        check_interface(args.interface)
        source = capture_source(args)
    except LiveError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_UNUSABLE
    run_app(source.path, engine_options(args), follow=True, name=f"live on {args.interface}",
            packets_filter=packets_filter, source=source)
    failure = source.failed
    if failure:  # also shown in the header while the app ran
        sys.stderr.write(f"error: {failure}\n")
        return EXIT_PROBLEMS
    return EXIT_OK


def serve(args: argparse.Namespace) -> int:
    if args.file == "-":
        sys.stderr.write("error: tui --serve reads a file, not standard input\n")
        return EXIT_UNUSABLE
    try:
        from textual_serve.server import Server
    except ImportError:
        sys.stderr.write("error: tui --serve needs textual-serve (pip install textual-serve)\n")
        return EXIT_UNUSABLE
    argv = [sys.executable, "-m", "ptpip_analyzer", "tui", os.path.abspath(args.file),
            *input_flags(args)]
    Server(shlex.join(argv), host=SERVE_HOST, port=args.serve_port).serve()
    return EXIT_OK


def input_flags(args: argparse.Namespace) -> list[str]:
    """The input flags again, for the app that --serve starts per browser."""
    flags = [f"--port={p}" for p in args.port or ()]
    flags += ["--no-heuristics"] * args.no_heuristics + ["--follow"] * args.follow
    flags.append(f"--max-pending={args.max_pending}")
    if args.display_filter:
        flags.append(f"--display-filter={args.display_filter}")
    return flags + ([f"--vendor={args.vendor}"] if args.vendor else [])
