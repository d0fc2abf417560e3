"""The report's inline script in a real browser (headless Chromium): zooming a time chart moves
its bars and remakes its axis, and the transactions filter hides the rows that don't match.
The page is the report as written, plus a few lines acting as the user."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.report import write_report

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

USER = """<script>
document.getElementById('timeline-chart').zoomBy(0.001, 0.2);
var q = document.getElementById('tx-filter'); q.value = 'getobjectinfo';
q.dispatchEvent(new Event('input'));
var heads = document.querySelectorAll('#tx-table th');
for (var i = 0; i < heads.length; i++) if (heads[i].textContent === 'latency') heads[i].click();
</script>"""


def _dom(page: Path, profile: Path) -> str:
    assert CHROMIUM is not None, "chromium is missing: run scripts/setup.sh"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        check=True, capture_output=True, timeout=120, text=True)
    return done.stdout


@pytest.fixture(scope="module")
def dom(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("script")
    page = write_report(load(CAPTURES / "real" / "fault-short-data.pcapng"),
                        tmp / "report.html")
    page.write_text(page.read_text().replace("</body>", USER + "</body>"))
    return _dom(page, tmp / "profile")


def _bar_width(html: str, label: str) -> float:
    svg = re.search(r'<svg [^>]*id="timeline-chart".*?</svg>', html, re.DOTALL)
    assert svg is not None
    match = re.search(rf'width="([\d.]+)"[^>]*><title>{label}', svg.group(0))
    assert match is not None
    return float(match.group(1))


def test_zoom_widens_the_bars_and_remakes_the_axis(dom: str, tmp_path: Path) -> None:
    report = write_report(load(CAPTURES / "real" / "fault-short-data.pcapng"),
                          tmp_path / "plain.html")
    plain = report.read_text()
    # 2.5 s across 690 px: the 430 µs GetObject is the 1-pixel minimum; at 1/1000 it is wide
    assert _bar_width(plain, "GetObject tid 8") == 1.0
    assert _bar_width(dom, "GetObject tid 8") > 50
    axis = re.search(r'<g class="axis"[^>]*>(.*?)</g>', dom, re.DOTALL)
    assert axis is not None and " ms<" in axis.group(1)  # ticks in milliseconds now


def test_filter_hides_other_rows(dom: str) -> None:
    rows = re.findall(r'<tr class="st-\w+" data-status="\w+"( style="display: none;")?>'
                      r"<td>\d+</td><td>\d+</td><td>(\w+)</td>", dom)
    shown = {name for hidden, name in rows if not hidden}
    assert shown == {"GetObjectInfo"} and len(rows) == 10
    assert re.search(r'<span id="tx-shown">3</span>', dom)


def test_a_heading_click_sorts_by_value(dom: str) -> None:
    rows = re.findall(r'<tr class="st-\w+" data-status="\w+"[^>]*><td>\d+</td><td>(\d+)</td>',
                      dom)
    # latency, largest first: GetObject (430 µs) before CloseSession (335 µs), ..., OpenSession
    assert rows[:2] == ["8", "9"] and len(rows) == 10


def test_a_views_charts_zoom_together(dom: str) -> None:
    throughput = re.search(r'<svg [^>]*id="throughput-chart".*?</svg>', dom, re.DOTALL)
    assert throughput is not None and 'data-group="capture"' in throughput.group(0)
    axis = re.search(r'<g class="axis"[^>]*>(.*?)</g>', throughput.group(0), re.DOTALL)
    assert axis is not None and " ms<" in axis.group(1)  # zoomed with the timeline
