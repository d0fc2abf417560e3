"""Running the simulator next to real initiators: a background-thread simulator and a
loopback capture. Used by the interop tests and ``scripts/make_corpus.py``; loopback only.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..protocol import FUJI_COMMAND_PORT, FUJI_EVENT_PORT, FUJI_JPEG_PORT, MDNS_PORT, SSDP_PORT
from .camera import Camera
from .fuji import FujiSimulator, simulator_for
from .personalities import Personality
from .server import ServerConfig, Simulator, camera_config

LOOPBACK = "127.0.0.1"
FLUSH_WAIT = 0.7  # seconds: loopback captures lose their last packets when stopped at once


def free_port() -> int:
    """A TCP port on loopback that is free now (bind to 0, read it back, let it go)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


class MissingTool(RuntimeError):
    """A tool the interop run needs is not installed (tests must fail, not skip, on this)."""


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise MissingTool(f"{name} is not installed: the interop tests and corpus need it "
                          f"(apt-get install {_PACKAGES.get(name, name)})")
    return path


_PACKAGES = {"dumpcap": "tshark", "tshark": "tshark", "gphoto2": "gphoto2", "tcpdump": "tcpdump"}


@contextmanager
def running_simulator(camera: Camera, config: ServerConfig) -> Iterator[Simulator | FujiSimulator]:
    """The simulator on its own event loop in a daemon thread; yields once it listens."""
    if config.host not in (LOOPBACK, "::1"):
        raise ValueError("the harness binds loopback only")
    loop = asyncio.new_event_loop()
    simulator = simulator_for(camera, config)
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(simulator.start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="ptpip-simulator", daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("simulator did not start")
    try:
        yield simulator
    finally:
        asyncio.run_coroutine_threadsafe(simulator.close(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


@contextmanager
def loopback_capture(path: Path, port: int, extra_filter: str = "") -> Iterator[Path]:
    """dumpcap on ``lo`` with a capture filter on ``port`` (or ``extra_filter``, e.g. a
    separate event port or discovery on UDP); stopped after a flush wait."""
    dumpcap = require_tool("dumpcap")
    path.parent.mkdir(parents=True, exist_ok=True)
    bpf = f"tcp port {port}" + (f" or {extra_filter}" if extra_filter else "")
    command = [dumpcap, "-q", "-i", "lo", "-f", bpf, "-w", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_capture_start(process, path)
        yield path
        time.sleep(FLUSH_WAIT)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if not path.exists() or path.stat().st_size == 0:
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        raise RuntimeError(f"dumpcap wrote no capture: {stderr.strip()}")


def _wait_for_capture_start(process: subprocess.Popen[bytes], path: Path) -> None:
    """dumpcap writes the pcap header once the interface is open: wait for the file."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"dumpcap exited: {stderr.strip()}")
        if path.exists() and path.stat().st_size > 0:
            time.sleep(0.2)  # the filter is attached before the header is written; be safe
            return
        time.sleep(0.05)
    raise RuntimeError("dumpcap did not start capturing within 10 s")


def gphoto2_command(port: int, *args: str, model: str = "PTP/IP Camera",
                    event_port: int | None = None) -> list[str]:
    """gphoto2 against the simulator: a non-default port needs both ports, host:cmd:event."""
    return [require_tool("gphoto2"), "--camera", model,
            "--port", f"ptpip:{LOOPBACK}:{port}:{event_port or port}", *args]


def gphoto2_env(home: Path, guid: bytes | None = None) -> dict[str, str]:
    """A private HOME: gphoto2 keeps its settings and initiator GUID in ~/.gphoto; ``guid``
    writes that GUID there (ptpip.c ptp_nikon_getptpipguid reads "xx:xx:...", 16 bytes)."""
    if guid is not None:
        settings = home / ".gphoto" / "settings"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(f"ptp2_ip=guid={':'.join(f'{b:02x}' for b in guid)}\n")
    return {**os.environ, "HOME": str(home), "LANG": "C"}


# -- camera personalities against gphoto2 (tests/simulator/test_interop_personalities.py and
# scripts/make_corpus.py share this, so the shipped captures are the sessions the test runs)
HOST_GUID = bytes.fromhex("7074706970616e616c797a6572000001")  # given to gphoto2 and paired
GPHOTO2_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Gphoto2Run:
    action: str
    returncode: int
    output: str


def gphoto2_actions(who: Personality) -> tuple[str, ...]:
    """What gphoto2 does against a personality: capture only where it lists InitiateCapture."""
    return ("--summary", "--list-files", "--get-all-files",
            *(("--capture-image",) if who.capture else ()))


def personality_config(who: Personality, port: int, event_port: int | None = None,
                       **config: Any) -> ServerConfig:
    """The simulator as ``who`` on ``port`` (a Fuji-framed camera on its own ports), pairing
    ``HOST_GUID`` if the camera pairs; the Ricoh THETA event port opens at once (libgphoto2
    2.5.30 can't retry it on Linux: docs/quirks.md)."""
    return camera_config(who, None if who.fuji_framing else port, {HOST_GUID},
                         event_port=event_port, **config)


def run_gphoto2(who: Personality, port: int, work: Path,
                event_port: int | None = None) -> list[Gphoto2Run]:
    """Every action of ``gphoto2_actions`` in turn, each in its own folder under ``work``."""
    if who.fuji_framing:  # gphoto2 opens the JPEG port at event port + 1
        port, event_port = FUJI_COMMAND_PORT, FUJI_EVENT_PORT
    runs = []
    for action in gphoto2_actions(who):
        folder = work / action.strip("-")
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            gphoto2_command(port, action, model=who.gphoto2_model, event_port=event_port),
            cwd=folder, env=gphoto2_env(folder, HOST_GUID), capture_output=True, text=True,
            timeout=GPHOTO2_TIMEOUT, check=False)
        runs.append(Gphoto2Run(action, done.returncode, done.stdout + done.stderr))
    return runs


def capture_filter(who: Personality) -> str:
    """What ``loopback_capture`` needs besides the command port: Fuji's other two ports."""
    return f"tcp portrange {FUJI_COMMAND_PORT}-{FUJI_JPEG_PORT}" if who.fuji_framing else ""


DISCOVERY_FILTER = (f"udp port {SSDP_PORT} or udp port {MDNS_PORT} or "
                    "(tcp and not tcp port {port})")


def announced_session(camera: Camera, port: int, capture: Path, work: Path) -> Gphoto2Run:
    """A capture of ``camera`` announcing its personality (announce.py, loopback unicast),
    its UPnP description fetched over HTTP as a host's discovery client would, then
    ``gphoto2 --summary``; the capture holds the discovery traffic and the session."""
    who = camera.personality
    assert who is not None
    with loopback_capture(capture, port, DISCOVERY_FILTER.format(port=port)), \
            running_simulator(camera, personality_config(who, port, announce_interval=60)) \
            as sim:
        if sim.announcer is not None and sim.announcer.http_port:
            with urllib.request.urlopen(sim.announcer.location, timeout=5) as answer:
                answer.read()
        work.mkdir(parents=True, exist_ok=True)
        return run_gphoto2(who, port, work)[0]
