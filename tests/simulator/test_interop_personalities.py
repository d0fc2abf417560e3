"""gphoto2 (the Debian package) against every camera personality on loopback, captured.

Each personality gets ``--summary``, ``--list-files``, ``--get-all-files`` and, where it lists
InitiateCapture, ``--capture-image``, with the gphoto2 camera model that matches it; the capture
then validates with no errors and names the camera. The same runs make the shipped
captures/real/camera-NAME.pcapng (scripts/make_corpus.py). Pairing cameras (Nikon Z, Sony) also
refuse a gphoto2 with another host GUID. About 1.5 s per personality, most of it dumpcap.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.decode.annotate import Annotator
from ptpip_analyzer.decode.vendor import camera_name
from ptpip_analyzer.engine import (
    DissectOptions,
    Engine,
    EngineOptions,
    dissect_file,
    validate_records,
)
from ptpip_analyzer.model import Severity
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.harness import (
    HOST_GUID,
    capture_filter,
    gphoto2_command,
    gphoto2_env,
    loopback_capture,
    personality_config,
    run_gphoto2,
    running_simulator,
)
from ptpip_analyzer.simulator.personalities import PERSONALITIES, Behaviour, Personality
from ptpip_analyzer.simulator.profile import VENDORS

from .conftest import assert_accounted, free_port

# Fixed loopback ports (Fuji's 55740-55742, SSDP's 1900): these tests share one test worker
pytestmark = pytest.mark.xdist_group("fixed-ports")

NAMES = list(PERSONALITIES)
OBJECTS, SIZE = 2, 20_000


def _camera(who: Personality) -> Camera:
    store = st.ObjectStore()
    st.generate(store, OBJECTS, SIZE)
    return Camera(VENDORS["generic"], store, capture_size=SIZE, personality=who)


def _stranger(port: int, who: Personality, work: Path) -> int:
    work.mkdir()
    stranger = bytes(b ^ 0xFF for b in HOST_GUID)
    done = subprocess.run(gphoto2_command(port, "--summary", model=who.gphoto2_model), cwd=work,
                          env=gphoto2_env(work, stranger), capture_output=True, text=True,
                          timeout=30, check=False)
    return done.returncode


def _named_cameras(capture: Path, port: int) -> set[str | None]:
    annotator = Annotator()
    pairs = list(dissect_file(capture, DissectOptions(ports=frozenset({port}))).records())
    for conn, record in pairs:
        annotator.feed(conn, record)
    return {annotator.vendors.camera(conn) for conn, _ in pairs}


def _assert_fuji_event_connections_paired(capture: Path) -> None:
    """gphoto2 opens 55741 after InitiateOpenCapture and sends nothing there: each such event
    connection still joins its own session (the engine's validator pairs it by its port)."""
    engine = Engine(EngineOptions(annotate=False))
    engine.feed_bytes(capture.read_bytes())
    engine.close()
    sessions = engine.validator.session_list()  # type: ignore[union-attr]
    ports = {c.stream: c.responder.port for c in engine.connections}
    assert sessions and all(ports.get(s.event_stream) == 55741 for s in sessions)
    assert len({s.event_stream for s in sessions}) == len(sessions)


@pytest.mark.parametrize("name", NAMES)
def test_gphoto2_against_the_personality(name: str, tmp_path: Path) -> None:
    who, port = PERSONALITIES[name], free_port()
    camera = _camera(who)
    originals = {o.info.filename: o.data for o in camera.store.objects.values()}
    capture = tmp_path / f"camera-{name}.pcapng"
    pairs = Behaviour.REGISTERED_GUID_ONLY in who.behaviours
    config = personality_config(who, port)
    port = config.port  # Fuji's is fixed
    with running_simulator(camera, config), loopback_capture(capture, port, capture_filter(who)):
        runs = {r.action: r for r in run_gphoto2(who, port, tmp_path)}
        refused = _stranger(port, who, tmp_path / "stranger") if pairs else None
    p3 = Behaviour.ERROR_AFTER_TRANSFER in who.behaviours
    assert {a: r.returncode for a, r in runs.items()} == {
        a: 1 if p3 and a == "--get-all-files" else 0 for a in runs}, runs
    summary = runs["--summary"].output
    assert f"Manufacturer: {who.profile.manufacturer}" in summary
    assert f"Model: {who.profile.model}" in summary
    assert f"There are {OBJECTS} files in folder" in runs["--list-files"].output
    fetched = tmp_path / "get-all-files"
    if not p3:
        assert {n: (fetched / n).read_bytes() for n in originals} == originals
    assert ("--capture-image" in runs) == who.capture
    if who.capture:
        assert len(camera.store.objects) == OBJECTS + 1
    assert refused in (None, 1)

    assert_accounted(capture, port, min_packets=20)
    result = validate_records(dissect_file(capture, DissectOptions(ports=frozenset({port})))
                              .records())
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []
    expected = {"PTPIP-QK-001"} if p3 else set()
    if who.fuji_framing:  # Fuji's framing and libgphoto2's double Init (its request has no
        expected |= {"PTPIP-QK-005", "PTPIP-QK-006"}  # PTP/IP version: no HS-008)
        _assert_fuji_event_connections_paired(capture)
    if pairs:  # the stranger's Init Fail, named as the camera's habit
        expected.add("PTPIP-QK-002" if who.profile.manufacturer.startswith("Nikon")
                     else "PTPIP-QK-003")
    assert {f.rule for f in result.findings} == expected
    named = camera_name(None, who.profile.model)
    assert any(c is not None and named in c for c in _named_cameras(capture, port))


def test_ricoh_theta_late_event_port_defeats_libgphoto2_retry(tmp_path: Path) -> None:
    """ptpip.c retries a refused THETA event connection on the same socket, which Linux does
    not allow: with the camera's delay gphoto2 fails, with the port open at once it works."""
    who = PERSONALITIES["ricoh-theta"]
    outcomes = []
    for delay in (0.15, 0.0):
        port, event_port = free_port(), free_port()
        config = personality_config(who, port, event_port, event_port_delay=delay)
        with running_simulator(_camera(who), config):
            work = tmp_path / f"delay-{delay}"
            work.mkdir()
            done = subprocess.run(
                gphoto2_command(port, "--summary", model=who.gphoto2_model,
                                event_port=event_port),
                cwd=work, env=gphoto2_env(work), capture_output=True, text=True, timeout=30,
                check=False)
            outcomes.append(done.returncode)
    assert outcomes[0] != 0 and outcomes[1] == 0, outcomes
