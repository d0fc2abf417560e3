"""``stats`` and ``report`` on a packet-heavy capture (issue 17): 50,000 small
GetDevicePropValue transactions, 200,004 PTP/IP packets in 17.5 MB (``benchmarks/bench.py
--small``), each command in its own process under the memory bound. The 98 MB capture of
280,000 such transactions takes minutes per command; its numbers are in benchmarks/RESULTS.md."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.peak_rss import ROOT
from tests.report.bounded_runs import bounded_report, bounded_stats

TRANSACTIONS = 50_000


@pytest.fixture(scope="module")
def small_transactions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench  # the benchmark's generator of the packet-heavy capture
    path = tmp_path_factory.mktemp("heavy") / "small-50000.pcap"
    bench.generate(path, 0, 0, False, False, small=TRANSACTIONS)
    return path


def test_stats_on_small_transactions_stays_under_the_bound(small_transactions: Path,
                                                           tmp_path: Path) -> None:
    out = bounded_stats(small_transactions, tmp_path)
    assert "200,004" in out and "50,001" in out  # packets, transactions


def test_report_on_small_transactions_stays_under_the_bound(small_transactions: Path,
                                                            tmp_path: Path) -> None:
    html = bounded_report(small_transactions, tmp_path)
    assert "<dt>PTP/IP packets</dt><dd>200,004</dd>" in html
