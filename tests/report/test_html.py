"""The HTML report: self-contained, every section present, numbers from the capture, and it
renders in a real browser (headless Chromium from Debian) to a screenshot."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.report import SECTIONS, render, write_report
from ptpip_analyzer.report.ladder import steps

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def short_data() -> Capture:
    return load(CAPTURES / "real" / "fault-short-data.pcapng")


@pytest.mark.parametrize("name", ["real/fault-short-data.pcapng",
                                  "real/gphoto2-capture-image.pcapng",
                                  "real/gphoto2-refused.pcapng",
                                  "synthetic/not-ptpip-raw.pcap",
                                  "synthetic/loss-midstream-vlan.pcap"])
def test_every_section_and_no_url(name: str) -> None:
    html = render(load(CAPTURES / name))
    for section in SECTIONS:
        assert f'<section id="{section}">' in html
    assert not re.search(r"https?://", html)
    assert "<link" not in html and "src=" not in html and "@import" not in html
    # one inline script (zoom and filter), no external file, nothing fetched
    assert html.count("<script") == 1 and "<script>" in html
    assert not re.search(r"fetch\(|XMLHttpRequest|WebSocket|import\(", html)


def test_report_numbers(short_data: Capture) -> None:
    html = render(short_data)
    assert "PTPIP-DP-007" in html and "announced 20000 data bytes but sent 19900" in html
    assert "SIM_0001.JPG" in html and "19.9 kB" in html  # the short object
    assert "GetObject (tid 8)" in html  # its own ladder: the failing transaction
    # first packets, the failing one, the slowest's breakdown, the sessions' breakdown,
    # timeline, throughput, latency
    assert html.count("<svg") == 7


def test_names_from_the_wire_are_escaped(short_data: Capture) -> None:
    sessions = short_data.sessions.copy()
    sessions["camera_name"] = "<img src=x onerror=alert(1)>"
    html = render(Capture(**{**{f: getattr(short_data, f) for f in Capture.__slots__},
                             "sessions": sessions}))
    assert "<img" not in html and "&lt;img" in html


def test_ladder_collapses_data_runs() -> None:
    cap = load(CAPTURES / "synthetic" / "basic-ethernet.pcap")
    labels = [s.label for s in steps(cap.packets)]
    assert "Data ×3, 197 kB" in labels and "End Data, 3.39 kB" in labels
    assert labels[:4] == ["Init Command Request", "Init Command Ack", "Init Event Request",
                          "Init Event Ack"]


def test_renders_in_headless_chromium(short_data: Capture, tmp_path: Path) -> None:
    assert CHROMIUM is not None, "chromium is missing: run scripts/setup.sh"
    report = write_report(short_data, tmp_path / "report.html")
    png = tmp_path / "report.png"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars",
         "--window-size=1000,3000", f"--screenshot={png}", report.as_uri()],
        check=True, capture_output=True, timeout=120)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000  # a blank page is a few kB
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 3000)
