"""Live capture on loopback (dumpcap on ``lo``): the simulator announces itself, a host fetches
its UPnP description, gphoto2 opens a session; ``live`` prints the SSDP messages and the
description as they arrive, decoded by the engine in its one pass."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.harness import (
    HOST_GUID,
    gphoto2_command,
    gphoto2_env,
    personality_config,
    running_simulator,
)
from ptpip_analyzer.simulator.personalities import PERSONALITIES
from ptpip_analyzer.simulator.profile import VENDORS
from ptpip_analyzer.sources.live import capture_filter
from tests.simulator.conftest import free_port
from tests.test_live import live, run

# Fixed loopback ports (Fuji's 55740-55742, SSDP's 1900): these tests share one test worker
pytestmark = pytest.mark.xdist_group("fixed-ports")


def test_the_default_filter_keeps_discovery_datagrams() -> None:
    bpf = capture_filter([15741])
    assert "udp and (port 1900 or port 5353)" in bpf and "port 15741" in bpf


def test_live_shows_the_announcements_and_the_description(tmp_path: Path) -> None:
    who, port = PERSONALITIES["sony-alpha"], free_port()
    store = st.ObjectStore()
    st.generate(store, 1, 2000)
    camera = Camera(VENDORS["generic"], store, personality=who)
    config = personality_config(who, port, announce_interval=600)
    with running_simulator(camera, config) as sim:
        assert sim.announcer is not None
        # only this test's traffic: other runs share the loopback interface
        bpf = f"tcp port {port} or tcp port {sim.announcer.http_port} or udp port 1900"
        with live("-i", "lo", "--port", str(port), "-f", bpf, cwd=tmp_path) as process:
            assert sim.announcer.announce() == 1 + len(who.announcement.ssdp_types)
            with urllib.request.urlopen(sim.announcer.location, timeout=5) as answer:
                answer.read()
            done = run(gphoto2_command(port, "--summary", model=who.gphoto2_model),
                       env=gphoto2_env(tmp_path, HOST_GUID), timeout=60)  # a paired host
            assert done.returncode == 0, done.stderr
    out, err = process.communicate()
    # (the records that were not packets say where, should a loaded machine ever show one)
    assert process.returncode == 0, err + "\n".join(
        line for line in out.splitlines() if " malformed " in line or " gap " in line)
    lines = out.splitlines()
    ssdp = [line for line in lines if " discovery SSDP notify" in line]
    [doc] = [line for line in lines if " discovery UPnP description document" in line]
    assert len(ssdp) == 1 + len(who.announcement.ssdp_types)
    assert f"name={who.ack_name}" in doc and f"uuid={who.uuid}" in doc
    assert f"model={who.profile.model}" in doc and doc.endswith("(camera of stream 1)")  # tcp.stream 0: the HTTP
    assert lines.index(doc) > max(lines.index(line) for line in ssdp)
