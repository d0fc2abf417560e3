"""``stats`` and ``report`` on 20,000 concurrent connections stay under the memory bound
(issue 17): measured 183 and 184 MB peak RSS, from 200 and 229 MB when the report was joined
whole and the display tables made a row for every session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.sources import hostile
from tests.report.bounded_runs import bounded_report, bounded_stats


@pytest.fixture(scope="module")
def connections_20k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sessions") / "connections-20000.pcap"
    with open(path, "wb") as f:
        hostile.write_many_connections(f, 20_000)
    return path


def test_stats_on_20000_sessions_stays_under_the_bound(connections_20k: Path,
                                                        tmp_path: Path) -> None:
    assert "Sessions (the first 8 of 20000" in bounded_stats(connections_20k, tmp_path)


def test_report_on_20000_sessions_stays_under_the_bound(connections_20k: Path,
                                                         tmp_path: Path) -> None:
    html = bounded_report(connections_20k, tmp_path)
    assert "<dt>sessions</dt><dd>20000</dd>" in html
    assert html.count('<section id="session-') == 8  # the first sessions in detail
