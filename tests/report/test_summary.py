"""The summary frames that both stats and the report show."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.report import print_stats, summary

CAPTURES = Path(__file__).resolve().parents[2] / "captures"


def test_capabilities_per_session_in_stats() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-summary-nikon.pcapng")
    rows = summary.capabilities(cap)
    assert rows["model"].tolist() == ["D750"]
    assert rows["capabilities"][0].startswith("18 operations, 2 events, 3 properties")
    out = io.StringIO()
    print_stats(cap, Console(file=out, width=200))
    assert "Camera capabilities" in out.getvalue() and "BatteryLevel 87 %" in out.getvalue()


def test_no_capabilities_without_device_info() -> None:
    assert summary.capabilities(load(CAPTURES / "real" / "gphoto2-refused.pcapng")).empty


def test_sessions_that_say_the_same_share_a_row() -> None:
    cap = load(CAPTURES / "real" / "camera-canon-eos.pcapng")  # gphoto2 connected 4 times
    rows = summary.capabilities(cap)
    assert rows["session"].tolist() == ["1, 2, 3, 4"] and rows["model"][0] == "Canon EOS R6"
