"""The ``simulate`` command: argument parsing and the run loop (no protocol logic here)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from pathlib import Path
from typing import Any

from ..protocol import PTPIP_PORT
from ..simulator import store as st
from ..simulator.camera import Camera
from ..simulator.faults import Fault
from ..simulator.fuji import FujiSimulator, simulator_for
from ..simulator.personalities import Behaviour, Personality, listing, personality
from ..simulator.profile import VENDORS
from ..simulator.server import DEFAULT_NAME, ServerConfig, Simulator, camera_config, log

DEFAULT_GENERATED = 5
EVENT_PORT_DELAY = 0.15  # s; gphoto2 retries a refused event connection twice, 100 ms apart


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
    parser.add_argument("--port", type=int, default=PTPIP_PORT, help="command port (0: any free)")
    parser.add_argument("--event-port", type=int, default=None,
                        help="also accept event connections on this port")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--objects", type=Path, metavar="DIR", help="serve the files in DIR")
    source.add_argument("--generate", type=int, metavar="N",
                        help=f"serve N generated JPEGs (default {DEFAULT_GENERATED})")
    parser.add_argument("--object-size", type=int, default=st.DEFAULT_OBJECT_SIZE,
                        help="size of generated JPEGs in bytes")
    parser.add_argument("--vendor", choices=sorted(VENDORS), default="generic")
    parser.add_argument("--camera", metavar="NAME",
                        help="be this camera (DeviceInfo, Ack name and GUID, documented "
                             "behaviour; docs/cameras.md); 'list' lists them")
    parser.add_argument("--event-port-delay", type=float, default=None, metavar="S",
                        help="open the separate event port S seconds after the first Ack "
                             f"(ricoh-theta: {EVENT_PORT_DELAY}; 0: at once)")
    parser.add_argument("--announce", type=float, nargs="?", const=5.0, default=0.0,
                        metavar="S", help="announce the --camera via SSDP (and its UPnP "
                        "description over HTTP) and mDNS, unicast to 127.0.0.1 only, every S "
                        "seconds (default 5)")
    parser.add_argument("--register-guid", action="append", default=[], metavar="HEX",
                        help="a host GUID (32 hex digits) a pairing camera (nikon-z, "
                             "sony-alpha) accepts; others get Init Fail (repeatable)")
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
    parser.add_argument("--name", default=None,
                        help=f"friendly name in the Ack (default: the camera's, or "
                             f"{DEFAULT_NAME!r})")


def chosen_personality(args: argparse.Namespace) -> Personality | None:
    return None if args.camera is None else personality(args.camera)


def build_camera(args: argparse.Namespace) -> Camera:
    store = st.ObjectStore()
    if args.objects is not None:
        st.load_folder(store, args.objects)
    else:
        count = DEFAULT_GENERATED if args.generate is None else args.generate
        st.generate(store, count, args.object_size)
    return Camera(VENDORS[args.vendor], store, capture_size=args.object_size,
                  personality=chosen_personality(args))


def registered_guids(args: argparse.Namespace) -> frozenset[bytes]:
    guids = frozenset(bytes.fromhex(g.replace(":", "").replace("-", ""))
                      for g in args.register_guid)
    if any(len(g) != 16 for g in guids):
        raise ValueError("--register-guid takes 16 bytes (32 hex digits)")
    return guids


def build_config(args: argparse.Namespace) -> ServerConfig:
    who = chosen_personality(args)
    late = who is not None and Behaviour.EVENT_PORT_LATE in who.behaviours
    event_port = args.event_port if args.event_port or not late or not args.port else args.port + 1
    named: dict[str, Any] = {"name": args.name} if args.name else {}
    return camera_config(
        who, None if args.port == PTPIP_PORT else args.port, registered_guids(args),
        host=args.host, event_port=event_port,
        faults=frozenset(Fault(name) for name in args.fault), fault_delay=args.fault_delay,
        probe_interval=args.probe_interval, event_port_delay=event_port_delay(args, late),
        announce_interval=args.announce, **named)


def event_port_delay(args: argparse.Namespace, late: bool) -> float:
    if args.event_port_delay is not None:
        return float(args.event_port_delay)
    return EVENT_PORT_DELAY if late else 0.0


async def serve(simulator: Simulator | FujiSimulator, timeout: float | None) -> None:
    await simulator.start()
    print(f"simulator listening on {simulator.config.host} port(s) "
          f"{' '.join(map(str, simulator.ports))}", flush=True)
    try:
        await asyncio.sleep(timeout if timeout is not None else float("inf"))
    finally:
        await simulator.close()


def run(args: argparse.Namespace) -> int:
    if args.camera == "list":
        print("\n".join(listing()))
        return 0
    try:
        camera, config = build_camera(args), build_config(args)
    except ValueError as exc:
        print(f"ptpip-analyzer simulate: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(message)s")
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        log.warning("binding %s: the simulator is reachable beyond this machine", args.host)
    if config.announce_interval and config.host not in ("127.0.0.1", "localhost"):
        print("ptpip-analyzer simulate: --announce sends on loopback only; bind 127.0.0.1",
              file=sys.stderr)
        return 2
    if config.registered_guids is not None and not config.registered_guids:
        log.warning("%s accepts only registered host GUIDs (--register-guid HEX); gphoto2 "
                    "keeps its GUID in ~/.gphoto/settings (ptp2_ip=guid=...)", args.camera)
    simulator = simulator_for(camera, config)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(simulator, args.timeout))
    return 0


def simulator_main(argv: list[str] | None = None) -> int:
    """``python -m ptpip_analyzer.simulator``: the ``simulate`` command on its own."""
    parser = argparse.ArgumentParser(prog="python -m ptpip_analyzer.simulator")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["simulate", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))
