"""``stats`` and ``report`` of one capture in their own process, checked against the memory
bound (issue 17), for the tests of large inputs."""

from __future__ import annotations

from pathlib import Path

from tests.peak_rss import BOUND_KB, run_analyzer


def bounded_stats(capture: Path, scratch: Path) -> str:
    """``stats``' output, after checking its exit code and its peak RSS."""
    run = run_analyzer("stats", capture, report=scratch / "stats.json")
    assert run.returncode == 0, run.stderr
    assert run.peak_kb < BOUND_KB, run.peak_kb
    return run.stdout


def bounded_report(capture: Path, scratch: Path) -> str:
    """The report's HTML, after checking the exit code and peak RSS of ``report``."""
    out = scratch / "report.html"
    run = run_analyzer("report", capture, "-o", out, report=scratch / "report.json")
    assert run.returncode == 0, run.stderr
    assert run.peak_kb < BOUND_KB, run.peak_kb
    html = out.read_text(encoding="utf-8")
    assert html.endswith("</html>\n")
    return html
