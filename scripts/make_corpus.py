#!/usr/bin/env python3
"""Re-make captures/real/: real initiators (gphoto2, ptpy) against the simulator on loopback.

Usage: python3 scripts/make_corpus.py [--out captures/real] [--only NAME ...]
Needs gphoto2, dumpcap (tshark package) and ptpy==0.3.2; loopback only. Each scenario runs a
fresh simulator on a free port, captures with dumpcap on ``lo``, and prints the initiator's
exit status and duration (facts for captures/README.md). Captures are not byte-reproducible
(timestamps, ports, TCP sequence numbers change); their PTP/IP content is.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ptpip_analyzer.decode import encode
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.faults import Fault
from ptpip_analyzer.simulator.harness import (
    announced_session,
    capture_filter,
    free_port,
    gphoto2_command,
    gphoto2_env,
    loopback_capture,
    personality_config,
    run_gphoto2,
    running_simulator,
)
from ptpip_analyzer.simulator.jpeg import make_jpeg
from ptpip_analyzer.simulator.personalities import PERSONALITIES
from ptpip_analyzer.simulator.profile import VENDORS
from ptpip_analyzer.simulator.server import ServerConfig

OBJECTS, OBJECT_SIZE = 3, 20_000
INITIATOR_TIMEOUT = 8.0  # gphoto2 hangs on some faults (it waits for data that never comes)
Runner = Callable[[int, Path], str]


@dataclass(frozen=True)
class Scenario:
    name: str
    run: Runner
    faults: tuple[Fault, ...] = ()
    vendor: str = "generic"
    objects: int = OBJECTS
    extra: dict[str, float] = field(default_factory=dict)


def gphoto2(*args: str, interrupt_after: float | None = None) -> Runner:
    def run(port: int, work: Path) -> str:
        process = subprocess.Popen(gphoto2_command(port, *args), cwd=work,
                                   env=gphoto2_env(work), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT)
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            process.send_signal(signal.SIGINT)
        try:
            process.wait(INITIATOR_TIMEOUT)
            return f"gphoto2 exit {process.returncode}"
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return f"gphoto2 killed after {INITIATOR_TIMEOUT:.0f} s (hung)"
    return run


def ptpy_download(port: int, work: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from tests.simulator.test_interop_ptpy import download_all
    files = download_all(port)
    return f"ptpy downloaded {len(files)} objects"


def upload(port: int, work: Path) -> str:
    path = work / "UPLOAD.JPG"
    path.write_bytes(make_jpeg(seed=4242, size=OBJECT_SIZE))
    return gphoto2("--folder", "/store_00010001", "--upload-file", str(path))(port, work)


def scripted_cancel(port: int, work: Path) -> str:
    """Not a real initiator (none we have sends Cancel over PTP/IP): a minimal scripted one
    that opens a session, starts GetObject and sends Cancel right after the request."""
    with socket.create_connection(("127.0.0.1", port), 5) as cmd:
        cmd.sendall(encode.init_command_request(bytes(range(16)), "scripted-cancel"))
        number = struct.unpack_from("<I", _read(cmd), 8)[0]
        with socket.create_connection(("127.0.0.1", port), 5) as evt:
            evt.sendall(encode.init_event_request(number))
            _read(evt)
            cmd.sendall(encode.operation_request(0x1002, 0, (1,)))
            _read(cmd)
            cmd.sendall(encode.operation_request(0x1009, 1, (1,)) + encode.cancel(1))
            types = _read_until_response(cmd)
            cmd.sendall(encode.operation_request(0x1003, 2))
            _read(cmd)
    return "scripted initiator got packet types " + ",".join(map(str, types))


def _read(sock: socket.socket) -> bytes:
    head = _exact(sock, 8)
    return head + _exact(sock, struct.unpack_from("<I", head)[0] - 8)


def _exact(sock: socket.socket, size: int) -> bytes:
    out = b""
    while len(out) < size:
        chunk = sock.recv(size - len(out))
        if not chunk:
            raise ConnectionError("closed")
        out += chunk
    return out


def _read_until_response(sock: socket.socket) -> list[int]:
    types: list[int] = []
    while not types or types[-1] != 7:
        types.append(struct.unpack_from("<I", _read(sock), 4)[0])
    return types


GET_ALL = gphoto2("--get-all-files")
SCENARIOS = [
    Scenario("gphoto2-summary", gphoto2("--summary")),
    Scenario("gphoto2-list-files", gphoto2("--list-files")),
    Scenario("gphoto2-get-all-files", GET_ALL),
    Scenario("gphoto2-upload-file", upload),
    Scenario("gphoto2-capture-image", gphoto2("--capture-image")),
    Scenario("gphoto2-summary-nikon", gphoto2("--summary"), vendor="nikon"),
    Scenario("ptpy-download", ptpy_download),
    Scenario("gphoto2-refused", gphoto2("--summary"), (Fault.REFUSE,)),
    Scenario("gphoto2-interrupted", gphoto2("--get-all-files", interrupt_after=1.0),
             (Fault.SLOW,), extra={"fault_delay": 0.4}),
    Scenario("scripted-cancel", scripted_cancel, objects=1),
    Scenario("scripted-cancel-ignored", scripted_cancel, (Fault.IGNORE_CANCEL,), objects=1),
    Scenario("fault-wrong-transaction-id", GET_ALL, (Fault.WRONG_TRANSACTION_ID,)),
    Scenario("fault-short-data", GET_ALL, (Fault.SHORT_DATA,)),
    Scenario("fault-long-data", GET_ALL, (Fault.LONG_DATA,)),
    Scenario("fault-unknown-length", GET_ALL, (Fault.UNKNOWN_LENGTH,)),
    Scenario("fault-slow", GET_ALL, (Fault.SLOW,), extra={"fault_delay": 0.3}),
    Scenario("fault-drop-event", GET_ALL, (Fault.DROP_EVENT,)),
    Scenario("fault-reset-mid-transfer", GET_ALL, (Fault.RESET,)),
]


def make(scenario: Scenario, out: Path, work: Path) -> None:
    store = st.ObjectStore()
    st.generate(store, scenario.objects, OBJECT_SIZE if scenario.objects > 1 else 400_000)
    camera = Camera(VENDORS[scenario.vendor], store, capture_size=OBJECT_SIZE)
    config = ServerConfig(port=free_port(), faults=frozenset(scenario.faults),
                          chunk_size=65536, **scenario.extra)  # type: ignore[arg-type]
    work.mkdir(parents=True, exist_ok=True)
    path = out / f"{scenario.name}.pcapng"
    with running_simulator(camera, config) as sim, loopback_capture(path, sim.ports[0]):
        started = time.monotonic()
        outcome = scenario.run(sim.ports[0], work)
        took = time.monotonic() - started
    print(f"{path.name}: {outcome}; {took:.2f} s; {path.stat().st_size} bytes", flush=True)


CAMERA_OBJECTS = 2  # per personality session: small captures, every action still exercised


def make_camera_session(name: str, out: Path, work: Path) -> None:
    """camera-NAME.pcapng: gphoto2 --summary, --list-files, --get-all-files and, where the
    camera lists InitiateCapture, --capture-image against personality NAME, one capture."""
    who = PERSONALITIES[name]
    store = st.ObjectStore()
    st.generate(store, CAMERA_OBJECTS, OBJECT_SIZE)
    camera = Camera(VENDORS["generic"], store, capture_size=OBJECT_SIZE, personality=who)
    port = free_port()
    path = out / f"camera-{name}.pcapng"
    shutil.rmtree(work, ignore_errors=True)  # gphoto2 won't overwrite last run's files
    with running_simulator(camera, personality_config(who, port)) as sim, \
            loopback_capture(path, sim.ports[0], capture_filter(who)):
        started = time.monotonic()
        runs = run_gphoto2(who, port, work)
        took = time.monotonic() - started
    outcome = ", ".join(f"{r.action} exit {r.returncode}" for r in runs)
    print(f"{path.name}: {outcome}; {took:.2f} s; {path.stat().st_size} bytes", flush=True)


DISCOVERY_CAMERAS = ("sony-alpha", "canon-eos", "nikon-z")  # the ones that announce (sourced)


def make_discovery_session(name: str, out: Path, work: Path) -> None:
    """discovery-NAME.pcapng: the camera announces itself (SSDP + description, or mDNS), then
    gphoto2 --summary."""
    store = st.ObjectStore()
    st.generate(store, 1, OBJECT_SIZE)
    camera = Camera(VENDORS["generic"], store, personality=PERSONALITIES[name])
    path = out / f"discovery-{name}.pcapng"
    shutil.rmtree(work, ignore_errors=True)
    run = announced_session(camera, free_port(), path, work)
    print(f"{path.name}: {run.action} exit {run.returncode}; {path.stat().st_size} bytes",
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "captures" / "real")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ptpip-corpus-work"))
    parser.add_argument("--only", nargs="*", default=None, help="scenario names")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for scenario in SCENARIOS:
        if args.only is None or scenario.name in args.only:
            make(scenario, args.out, args.work / scenario.name)
    for name in PERSONALITIES:
        if args.only is None or f"camera-{name}" in args.only:
            make_camera_session(name, args.out, args.work / f"camera-{name}")
    for name in DISCOVERY_CAMERAS:
        if args.only is None or f"discovery-{name}" in args.only:
            make_discovery_session(name, args.out, args.work / f"discovery-{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
