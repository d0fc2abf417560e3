"""Ladder steps: a merged run of Data packets answers for every frame it covers, so a finding
on any of them highlights the run; a TCP reset is a step of its own."""

from __future__ import annotations

from pathlib import Path

from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.report.ladder import RESET, ladder_svg, reset_step, steps

CAPTURES = Path(__file__).resolve().parents[2] / "captures"


def test_a_finding_inside_a_data_run_highlights_the_run() -> None:
    packets = load(CAPTURES / "synthetic" / "basic-ethernet.pcap").packets
    data = packets[packets["ptype"] == 10]["frame"].tolist()
    run = next(s for s in steps(packets) if s.label.startswith("Data ×3"))
    assert run.frame == data[0] and all(run.covers(f) for f in data)
    svg = ladder_svg(packets, "basic", offending={data[1]: "rule: the second Data"})
    assert svg.count('class="offending"') == 1 and "⚠ Data ×3, 197 kB" in svg


def test_a_reset_step_says_who_reset() -> None:
    camera, host = reset_step(9, 0.5, "command", "to_host"), reset_step(9, 0.5, "event",
                                                                         "to_camera")
    assert camera.ptype == host.ptype == RESET
    assert camera.label.endswith("by the camera") and host.label.endswith("by the host")
