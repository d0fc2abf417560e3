"""The question-answering helpers, checked against the transactions and bytes on the wire."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.load import load

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"


@pytest.fixture(scope="module")
def slow() -> Capture:
    return load(REAL / "fault-slow.pcapng")  # every reply 0.3 s late


def test_throughput_adds_up_to_the_packet_bytes(slow: Capture) -> None:
    rate = slow.throughput("100ms")
    assert rate["bytes"].sum() == slow.packets["length"].sum()
    assert (rate["bytes_per_s"] == rate["bytes"] * 10).all()
    per_direction = rate.groupby("direction", observed=True)["bytes"].sum()
    s = slow.sessions.iloc[0]
    assert per_direction["to_camera"] == s["bytes_to_camera"]
    assert per_direction["to_host"] == s["bytes_to_host"]
    # resampled: one row per 100 ms from the first to the last packet of each group
    span = slow.packets["time"].max() - slow.packets["time"].min()
    assert len(rate[rate["direction"] == "to_host"]) <= span / rate["time"].diff().max() + 2


def test_throughput_overall() -> None:
    cap = load(REAL / "gphoto2-get-all-files.pcapng")
    rate = cap.throughput("1s", by=())
    assert list(rate.columns) == ["time", "bytes", "bytes_per_s"]
    assert rate["bytes"].sum() == cap.packets["length"].sum()


def test_latency_stats_per_operation(slow: Capture) -> None:
    table = slow.latency_stats().set_index("opcode_name")
    tx = slow.transactions
    get = tx[tx["opcode_name"] == "GetObject"]["latency_s"]
    row = table.loc["GetObject"]
    assert row["count"] == len(get) == 3
    assert row["min_s"] == get.min() and row["max_s"] == get.max()
    assert row["median_s"] == pytest.approx(get.median())
    assert row["p95_s"] == pytest.approx(get.quantile(0.95))
    assert (table["min_s"] >= 0.3).all()  # the fault delays every reply
    assert table["count"].sum() == tx["latency_s"].notna().sum()


def test_latency_stats_count_unanswered_and_failed() -> None:
    cap = load(REAL / "gphoto2-interrupted.pcapng")
    table = cap.latency_stats()
    tx = cap.transactions
    assert table["unanswered"].sum() == tx["latency_s"].isna().sum()
    assert table["failed"].sum() == tx["ok"].eq(False).sum()


def test_slowest_transactions(slow: Capture) -> None:
    top = slow.slowest_transactions(3)
    assert len(top) == 3
    assert top["latency_s"].iloc[0] == slow.transactions["latency_s"].max()
    assert top["latency_s"].is_monotonic_decreasing


def test_idle_gaps(slow: Capture) -> None:
    cap = slow
    gaps = cap.idle_gaps(0.25)
    answered = cap.transactions["latency_s"].notna().sum()
    assert len(gaps) >= answered and (gaps["idle_s"] >= 0.25).all()
    assert (gaps["after"].str.startswith(("Operation Response", "Start Data"))).all()
    assert gaps["idle_s"].max() == pytest.approx(
        cap.packets.sort_values("time")["rel_s"].diff().max())
    assert cap.idle_gaps(1000.0).empty


def test_object_speeds(slow: Capture) -> None:
    speeds = slow.object_speeds()
    assert len(speeds) == 3 and (speeds["bytes"] == 20_000).all()
    assert speeds["rate_Bps"].tolist() == pytest.approx(
        (speeds["bytes"] / speeds["transfer_s"]).tolist())
    assert (speeds["transfer_s"] >= 0.3).all()
