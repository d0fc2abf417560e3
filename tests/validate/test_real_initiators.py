"""A healthy session of a real initiator draws no warning: gphoto2 against the simulator on
loopback, captured with dumpcap, with the camera probing the event connection (libgphoto2
never answers probes: PROTOCOL.md). Needs gphoto2 and dumpcap (a missing tool fails)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ptpip_analyzer.engine import DissectOptions, dissect_file, validate_records
from ptpip_analyzer.model import Severity
from ptpip_analyzer.simulator.faults import Fault
from ptpip_analyzer.simulator.harness import gphoto2_command, gphoto2_env, loopback_capture
from tests.simulator.conftest import make_camera, start


def test_probes_gphoto2_never_answers_are_one_note(tmp_path: Path) -> None:
    capture = tmp_path / "probed.pcapng"
    # every reply 0.3 s late: the event connection idles, and the camera probes it each 0.1 s
    with start(make_camera(count=2), Fault.SLOW, fault_delay=0.3, probe_interval=0.1) as sim:
        port = sim.ports[0]
        with loopback_capture(capture, port):
            done = subprocess.run(gphoto2_command(port, "--get-all-files"), cwd=tmp_path,
                                  env=gphoto2_env(tmp_path), capture_output=True, text=True,
                                  timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    records = list(dissect_file(capture, DissectOptions(ports=frozenset({port}))).records())
    probes = sum(getattr(r, "ptype", 0) == 13 for _, r in records)
    result = validate_records(records)
    assert probes >= 5
    assert [f for f in result.findings if f.severity >= Severity.WARNING] == []
    notes = [f for f in result.findings if f.rule == "PTPIP-PR-004"]
    event_stream = result.sessions[0].event_stream
    assert [(f.stream, f.severity) for f in notes] == [(event_stream, Severity.NOTE)]
    assert f"none of the {probes} Probe Request(s) from the camera" in notes[0].message
    assert {t.response_code for t in result.transactions} == {0x2001}
