"""gphoto2 (the Debian package) against the simulator on loopback, captured with dumpcap.

Needs gphoto2 and dumpcap installed (CI installs them): a missing tool fails, it does not skip.
gphoto2 takes a non-default port as ``ptpip:HOST:COMMANDPORT:EVENTPORT``; with only one port it
opens the event connection on 15740 and fails ("could not connect event").
"""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

from ptpip_analyzer.engine import DissectOptions, dissect_file
from ptpip_analyzer.model import Packet
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.faults import Fault
from ptpip_analyzer.simulator.harness import gphoto2_command, gphoto2_env, loopback_capture
from ptpip_analyzer.simulator.jpeg import make_jpeg
from ptpip_analyzer.simulator.server import Simulator

from .conftest import assert_accounted, make_camera, start

TIMEOUT = 60


def gphoto2(sim: Simulator, workdir: Path, *args: str) -> str:
    port = sim.ports[0]
    done = subprocess.run(gphoto2_command(port, *args), cwd=workdir, env=gphoto2_env(workdir),
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, f"gphoto2 {args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def captured_gphoto2(sim: Simulator, tmp_path: Path, *args: str) -> str:
    capture = tmp_path / "session.pcapng"
    with loopback_capture(capture, sim.ports[0]):
        out = gphoto2(sim, tmp_path, *args)
    assert_accounted(capture, sim.ports[0], min_packets=10)
    return out


def test_summary(simulator: Simulator, tmp_path: Path) -> None:
    out = captured_gphoto2(simulator, tmp_path, "--summary")
    assert "Manufacturer: ptpip-analyzer" in out
    assert "Battery Level(0x5001)" in out and "value: 87%" in out
    assert "'640x480'" in out and "VolumeLabel: PTPIPSIM" in out


def test_list_files(simulator: Simulator, camera: Camera, tmp_path: Path) -> None:
    out = captured_gphoto2(simulator, tmp_path, "--list-files")
    names = [o.info.filename for o in camera.store.objects.values()]
    assert f"There are {len(names)} files in folder '/store_00010001'" in out
    assert all(name in out for name in names)


def test_get_all_files_byte_identical(simulator: Simulator, camera: Camera,
                                      tmp_path: Path) -> None:
    captured_gphoto2(simulator, tmp_path, "--get-all-files")
    for obj in camera.store.objects.values():
        assert (tmp_path / obj.info.filename).read_bytes() == obj.data


def test_upload_file(simulator: Simulator, camera: Camera, tmp_path: Path) -> None:
    upload = tmp_path / "upload" / "UPLOAD.JPG"
    upload.parent.mkdir()
    upload.write_bytes(make_jpeg(seed=777, size=30_000))
    captured_gphoto2(simulator, tmp_path, "--folder", "/store_00010001",
                     "--upload-file", str(upload))
    received = [o for o in camera.store.objects.values() if o.info.filename == "UPLOAD.JPG"]
    assert len(received) == 1 and received[0].data == upload.read_bytes()


def test_capture_image_events(simulator: Simulator, camera: Camera, tmp_path: Path) -> None:
    before = len(camera.store.objects)
    gphoto2(simulator, tmp_path, "--capture-image")
    assert len(camera.store.objects) == before + 1


def test_large_objects_via_partial_reads(tmp_path: Path) -> None:
    """gphoto2 reads objects over 1 MiB with GetPartialObject (listed in DeviceInfo)."""
    camera = make_camera(count=2, size=1_500_000)
    with start(camera) as sim:
        gphoto2(sim, tmp_path, "--get-all-files")
    for obj in camera.store.objects.values():
        assert (tmp_path / obj.info.filename).read_bytes() == obj.data


def test_event_probes_are_not_answered_by_gphoto2(tmp_path: Path) -> None:
    """The simulator probes idle event connections; gphoto2 2.5.30 never sends a Probe Response
    (nor a Probe Request) and still succeeds -- a validator must not require the answer."""
    with start(make_camera(count=2), Fault.SLOW, fault_delay=0.3, probe_interval=0.1) as sim:
        capture = tmp_path / "probes.pcapng"
        with loopback_capture(capture, sim.ports[0]):
            gphoto2(sim, tmp_path, "--get-all-files")
        result = dissect_file(capture, DissectOptions(ports=frozenset({sim.ports[0]})))
        types = Counter(r.ptype for _, r in result.records() if isinstance(r, Packet))
    assert types[13] >= 5 and types[14] == 0
