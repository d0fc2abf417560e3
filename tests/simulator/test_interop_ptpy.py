"""ptpy 0.3.2 (PyPI, pure Python PTP/IP initiator) against the simulator, captured on loopback.

ptpy quirks seen here (facts for the validator): it pads every Operation Request to 5
parameters, sends 0xFFFFFFFF as "all formats" in GetObjectHandles, never answers or sends
probes, and reads the Init Command Ack with a single recv(72) (so camera names must stay
<= 19 characters). With ``raw=False`` it first opens and closes a whole extra session to read
DeviceInfo for vendor detection; we use ``raw=True`` for one clean session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.harness import loopback_capture
from ptpip_analyzer.simulator.server import Simulator

from . import ptpy_shims
from .conftest import assert_accounted


def download_all(port: int) -> dict[str, bytes]:
    ptpy = ptpy_shims.apply()
    camera: Any = ptpy.PTPy(device=("127.0.0.1", port), transport=ptpy.IP, raw=True)
    files: dict[str, bytes] = {}
    with camera.session():
        assert camera.get_device_info().Model == "Simulated Camera"
        for handle in camera.get_object_handles(0, all_storage_ids=True, all_formats=True):
            name = camera.get_object_info(handle).Filename
            files[name] = bytes(camera.get_object(handle).Data)
    return files


# ptpy's event-polling thread reads from the socket its own CloseSession just closed (EBADF);
# a ptpy 0.3.2 bug, harmless for the session, reported by pytest as a thread exception.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_ptpy_downloads_every_object(simulator: Simulator, camera: Camera,
                                     tmp_path: Path) -> None:
    capture = tmp_path / "ptpy.pcapng"
    with loopback_capture(capture, simulator.ports[0]):
        files = download_all(simulator.ports[0])
    expected = {o.info.filename: o.data for o in camera.store.objects.values()}
    assert files == expected
    assert_accounted(capture, simulator.ports[0], min_packets=20)
