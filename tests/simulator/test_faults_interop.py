"""gphoto2 against each fault, captured: what gphoto2 does, and that our dissector still
accounts for every byte (faults are protocol-level, the framing stays intact)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.simulator.faults import Fault
from ptpip_analyzer.simulator.harness import gphoto2_command, gphoto2_env, loopback_capture

from .conftest import assert_accounted, make_camera, start

# fault -> gphoto2 --get-all-files exit status (negative: killed by that signal).
# gphoto2 gives up ~2.5 s after the data that never comes (short-data, unknown-length) and
# dies of SIGPIPE (-13) when it writes CloseSession to the reset command connection.
EXPECTED = {
    Fault.REFUSE: 1, Fault.WRONG_TRANSACTION_ID: 1, Fault.SHORT_DATA: 1, Fault.LONG_DATA: 1,
    Fault.UNKNOWN_LENGTH: 1, Fault.SLOW: 0, Fault.DROP_EVENT: 0, Fault.RESET: -13,
}


@pytest.mark.parametrize("fault", list(EXPECTED), ids=lambda f: f.value)
def test_gphoto2_under_fault(fault: Fault, tmp_path: Path) -> None:
    with start(make_camera(count=2), fault, fault_delay=0.2) as sim:
        port = sim.ports[0]
        capture = tmp_path / "fault.pcapng"
        with loopback_capture(capture, port):
            done = subprocess.run(gphoto2_command(port, "--get-all-files"), cwd=tmp_path,
                                  env=gphoto2_env(tmp_path), capture_output=True, timeout=30, check=False)
    assert done.returncode == EXPECTED[fault], done.stdout
    assert_accounted(capture, port, min_packets=2)
