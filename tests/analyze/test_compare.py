"""Two captures side by side (Capture.compare) on shipped simulator captures: the same session
against itself, a healthy one against one with every reply 0.3 s late, and one with a fault."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.compare import COLUMNS
from ptpip_analyzer.analyze.load import load

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"


@pytest.fixture(scope="module")
def healthy() -> Capture:
    return load(REAL / "gphoto2-get-all-files.pcapng")


def _row(frame: pd.DataFrame, section: str, item: str, measure: str) -> pd.Series:
    hit = frame[(frame["section"] == section) & (frame["item"] == item)
                & (frame["measure"] == measure)]
    assert len(hit) == 1, (section, item, measure)
    return hit.iloc[0]


def test_a_capture_against_itself_changes_nothing(healthy: Capture) -> None:
    out = healthy.compare(healthy)
    assert list(out.columns) == COLUMNS
    assert (out["delta"].fillna(0) == 0).all()
    assert set(out["section"]) >= {"overview", "latency", "throughput", "time", "findings"}


def test_slow_camera_shows_in_latency_and_throughput(healthy: Capture) -> None:
    slow = load(REAL / "fault-slow.pcapng")
    out = healthy.compare(slow)
    get = _row(out, "latency", "GetObject", "median")
    assert get["a"] < 0.01 and 0.3 <= get["b"] < 0.4 and get["ratio"] > 30
    assert get["unit"] == "s" and get["delta"] == pytest.approx(get["b"] - get["a"])
    count = _row(out, "latency", "GetObject", "count")
    assert count["a"] == count["b"] == 3
    # the same bytes, over a much longer time
    sent = _row(out, "throughput", "to_host", "bytes")
    assert sent["a"] == sent["b"] > 60_000
    assert _row(out, "throughput", "to_host", "mean rate")["ratio"] < 0.01
    answered = _row(out, "time", "answered transactions", "total")
    assert answered["b"] > 12 * 0.3 > answered["a"]


def test_findings_only_in_one_capture(healthy: Capture) -> None:
    short = load(REAL / "fault-short-data.pcapng")
    out = healthy.compare(short)
    rule = _row(out, "findings", "PTPIP-DP-007", "count")
    assert pd.isna(rule["a"]) and rule["b"] == 1 and pd.isna(rule["delta"])
    assert _row(out, "findings", "error", "count")[["a", "b"]].tolist() == [0, 1]


def test_an_operation_only_in_one_capture_keeps_its_row(healthy: Capture) -> None:
    upload = load(REAL / "gphoto2-upload-file.pcapng")
    out = healthy.compare(upload)
    send = _row(out, "latency", "SendObject", "count")
    assert pd.isna(send["a"]) and send["b"] == 1
    get = _row(out, "latency", "GetObject", "count")
    assert get["a"] == 3 and pd.isna(get["b"])


def test_time_breakdown_puts_the_hosts_delay_apart(healthy: Capture) -> None:
    upload = load(REAL / "gphoto2-upload-file.pcapng")
    out = healthy.compare(upload)
    host = _row(out, "time", "host delay before data", "total")
    camera = _row(out, "time", "camera", "total")
    assert host["a"] == 0 and host["b"] > 0.03 > camera["b"]  # libgphoto2's ~40 ms per phase
    spans = _row(out, "time", "session spans", "total")
    parts = sum(_row(out, "time", item, "total")["b"] for item in (
        "camera", "data transfer", "host delay before data", "host idle", "other"))
    assert parts == pytest.approx(spans["b"])


def test_tcp_health_side_by_side() -> None:
    clean = load(REAL.parent / "synthetic" / "basic-ethernet.pcap")
    reordered = load(REAL.parent / "synthetic" / "reorder-retransmit-ipv6-sll2.pcapng")
    out = clean.compare(reordered)
    resent = _row(out, "tcp", "to_host", "retransmissions")
    assert resent["a"] == 0 and resent["b"] == reordered.tcp.query(
        "direction == 'to_host'")["retransmissions"].sum() > 0
    assert _row(out, "tcp", "to_host", "out of order")["b"] > 0
    reset = load(REAL / "fault-reset-mid-transfer.pcapng")
    assert _row(clean.compare(reset), "tcp", "to_host", "resets")["b"] == 1  # the camera's RST
