"""The ``simulate`` command: argument parsing and the run loop (no protocol logic here)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from pathlib import Path
from typing import Any

from ..simulator import store as st
from ..simulator.camera import Camera
from ..simulator.faults import Fault
from ..simulator.profile import VENDORS
from ..simulator.server import DEFAULT_NAME, ServerConfig, Simulator, log

DEFAULT_GENERATED = 5


def add_parsers(subparsers: Any) -> None:
    """Adds ``simulate`` to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "simulate", help="run a PTP/IP camera simulator (responder) on loopback",
        description="A PTP/IP camera that real initiators (gphoto2, ptpy) accept. Example: "
                    "ptpip-analyzer simulate --port 15740 --generate 5, then "
                    "gphoto2 --camera 'PTP/IP Camera' --port ptpip:127.0.0.1 --list-files")
    configure(parser)
    parser.set_defaults(func=run)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=15740, help="command port (0: any free)")
    parser.add_argument("--event-port", type=int, default=None,
                        help="also accept event connections on this port")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--objects", type=Path, metavar="DIR", help="serve the files in DIR")
    source.add_argument("--generate", type=int, metavar="N",
                        help=f"serve N generated JPEGs (default {DEFAULT_GENERATED})")
    parser.add_argument("--object-size", type=int, default=st.DEFAULT_OBJECT_SIZE,
                        help="size of generated JPEGs in bytes")
    parser.add_argument("--vendor", choices=sorted(VENDORS), default="generic")
    parser.add_argument("--fault", action="append", default=[], choices=Fault.names(),
                        metavar="NAME", help="inject a fault (repeatable): "
                        + ", ".join(Fault.names()))
    parser.add_argument("--fault-delay", type=float, default=0.5,
                        help="seconds each reply waits under --fault slow")
    parser.add_argument("--probe-interval", type=float, default=0.0,
                        help="send a Probe Request after this many idle seconds on event "
                             "connections (0: never)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="stop by itself after SECONDS")
    parser.add_argument("--name", default=DEFAULT_NAME, help="friendly name in the Ack")


def build_camera(args: argparse.Namespace) -> Camera:
    store = st.ObjectStore()
    if args.objects is not None:
        st.load_folder(store, args.objects)
    else:
        count = DEFAULT_GENERATED if args.generate is None else args.generate
        st.generate(store, count, args.object_size)
    return Camera(VENDORS[args.vendor], store, capture_size=args.object_size)


def build_config(args: argparse.Namespace) -> ServerConfig:
    return ServerConfig(
        host=args.host, port=args.port, event_port=args.event_port, name=args.name,
        faults=frozenset(Fault(name) for name in args.fault), fault_delay=args.fault_delay,
        probe_interval=args.probe_interval)


async def serve(simulator: Simulator, timeout: float | None) -> None:
    await simulator.start()
    print(f"simulator listening on {simulator.config.host} port(s) "
          f"{' '.join(map(str, simulator.ports))}", flush=True)
    try:
        await asyncio.sleep(timeout if timeout is not None else float("inf"))
    finally:
        await simulator.close()


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(message)s")
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        log.warning("binding %s: the simulator is reachable beyond this machine", args.host)
    simulator = Simulator(build_camera(args), build_config(args))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(simulator, args.timeout))
    return 0


def simulator_main(argv: list[str] | None = None) -> int:
    """``python -m ptpip_analyzer.simulator``: the ``simulate`` command on its own."""
    parser = argparse.ArgumentParser(prog="python -m ptpip_analyzer.simulator")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["simulate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))
