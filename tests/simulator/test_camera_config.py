"""One place turns a personality into the simulator's configuration (server.camera_config):
the ``simulate`` command and the test harness both go through it, and the Fuji simulator
answers the Init Command Request the way the analyzer's framing reads it (framing_fuji.py)."""

from __future__ import annotations

import argparse
import socket
import struct

import pytest

from ptpip_analyzer.cli.simulate import build_config, configure
from ptpip_analyzer.framing_fuji import FUJI_MAGIC, INIT_NAME_OFFSET, FujiFramer
from ptpip_analyzer.model import Direction, Packet
from ptpip_analyzer.protocol import FUJI_COMMAND_PORT, PTPIP_PORT
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.harness import HOST_GUID, personality_config, running_simulator
from ptpip_analyzer.simulator.personalities import PERSONALITIES
from ptpip_analyzer.simulator.profile import VENDORS
from ptpip_analyzer.simulator.server import CAMERA_GUID, DEFAULT_NAME, camera_config

# Fixed loopback ports (Fuji's 55740-55742, SSDP's 1900): these tests share one test worker
pytestmark = pytest.mark.xdist_group("fixed-ports")


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    configure(parser)
    return parser.parse_args(list(argv))


def test_the_command_and_the_harness_agree_on_a_pairing_camera() -> None:
    who = PERSONALITIES["nikon-z"]
    cli = build_config(_args("--camera", "nikon-z", "--port", "0", "--register-guid",
                             HOST_GUID.hex()))
    harness = personality_config(who, 0)
    assert cli == harness == camera_config(who, 0, {HOST_GUID})
    assert (cli.name, cli.guid, cli.registered_guids) == (who.ack_name, who.guid,
                                                          frozenset({HOST_GUID}))


def test_defaults_a_camera_that_does_not_pair_and_fujis_own_port() -> None:
    plain = build_config(_args())
    assert (plain.port, plain.name, plain.guid, plain.registered_guids) == (
        PTPIP_PORT, DEFAULT_NAME, CAMERA_GUID, None)
    assert build_config(_args("--camera", "canon-eos", "--register-guid", "00" * 16)) \
        .registered_guids is None
    assert build_config(_args("--camera", "fujifilm-x")).port == FUJI_COMMAND_PORT
    assert build_config(_args("--camera", "fujifilm-x", "--port", "0")).port == 0
    assert personality_config(PERSONALITIES["fujifilm-x"], 12345).port == FUJI_COMMAND_PORT
    assert build_config(_args("--camera", "sony-alpha", "--name", "mine")).name == "mine"


def _fuji_request(name: str) -> bytes:
    """libgphoto2 after 2.5.30: 28 bytes + the UCS-2 name, no padding to 82."""
    body = struct.pack("<I", FUJI_MAGIC) + bytes(16) + (name + "\0").encode("utf-16-le")
    return struct.pack("<II", 8 + len(body), 1) + body


def test_the_fuji_simulator_answers_a_request_of_any_length() -> None:
    who = PERSONALITIES["fujifilm-x"]
    camera = Camera(VENDORS["generic"], st.ObjectStore(), personality=who)
    request = _fuji_request("host")
    assert len(request) == INIT_NAME_OFFSET + 10 != 82
    with running_simulator(camera, personality_config(who, 0)), \
            socket.create_connection(("127.0.0.1", FUJI_COMMAND_PORT), timeout=5) as sock:
        sock.sendall(request)
        head = sock.recv(8, socket.MSG_WAITALL)
        ack = head + sock.recv(struct.unpack_from("<I", head)[0] - 8, socket.MSG_WAITALL)
    out: list[object] = []
    framer = FujiFramer(0, Direction.TO_INITIATOR, out, 0)
    framer.data(0, ack, 1, 0.0)
    [packet] = out
    assert isinstance(packet, Packet) and packet.ptype == 2
    assert (packet.name, packet.guid) == (who.ack_name, who.guid)
    requests: list[object] = []
    FujiFramer(0, Direction.TO_RESPONDER, requests, 0).data(0, request, 1, 0.0)
    [read] = requests
    assert isinstance(read, Packet) and (read.name, read.version) == ("host", None)
