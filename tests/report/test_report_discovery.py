"""The report's Discovery section: the SSDP announcements of a shipped capture, each with the
session it led to; no section when the capture has no discovery traffic."""

from __future__ import annotations

import re
from pathlib import Path

from ptpip_analyzer import load
from ptpip_analyzer.report.html import render

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"


def _section(html: str, name: str) -> str | None:
    found = re.search(rf'<section id="{name}">(.*?)</section>', html, re.DOTALL)
    return found.group(1) if found else None


def test_the_announcements_are_listed_with_their_session() -> None:
    cap = load(REAL / "discovery-sony-alpha.pcapng")
    part = _section(render(cap), "discovery")
    assert part is not None
    rows = [r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.DOTALL) if "<td>" in r]
    assert len(rows) == len(cap.discovery) > 0
    cells = [re.findall(r"<td>(.*?)</td>", row, re.DOTALL) for row in rows]
    assert {c[0] for c in cells} == {str(s) for s in cap.discovery["session"]} == {"1"}
    assert {c[2] for c in cells} == set(cap.discovery["protocol"])
    assert "upnp:rootdevice" in part and "&lt;NA&gt;" not in part


def test_no_discovery_no_section() -> None:
    assert _section(render(load(REAL / "gphoto2-summary-nikon.pcapng")), "discovery") is None
