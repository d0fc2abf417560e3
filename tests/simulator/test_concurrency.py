"""Several gphoto2 processes at once against one simulator: each gets its own connection
number and byte-identical files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.harness import gphoto2_command, gphoto2_env
from ptpip_analyzer.simulator.server import Simulator

INITIATORS = 4


def test_concurrent_gphoto2(simulator: Simulator, camera: Camera, tmp_path: Path) -> None:
    dirs = [tmp_path / f"i{n}" for n in range(INITIATORS)]
    processes = []
    for work in dirs:
        work.mkdir()
        processes.append(subprocess.Popen(
            gphoto2_command(simulator.ports[0], "--get-all-files"), cwd=work,
            env=gphoto2_env(work), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    assert [p.wait(60) for p in processes] == [0] * INITIATORS
    for work in dirs:
        for obj in camera.store.objects.values():
            assert (work / obj.info.filename).read_bytes() == obj.data
    assert simulator.next_number == INITIATORS + 1
