"""TCP health per direction: transcripts of segments, and the same frames as tshark's
tcp.analysis flags on captures made by the project's writer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ptpip_analyzer.engine import Dissection, EngineOptions
from ptpip_analyzer.model import ACK, FIN, PSH, RST, SYN
from ptpip_analyzer.reassembly.tcp_analysis import DirectionAnalysis, connection_analysis
from ptpip_analyzer.sources import tcp_trouble

ROOT = Path(__file__).resolve().parents[2]
TSHARK_FIELDS = {  # tshark's tcp.analysis.<field> -> our event kinds
    "retransmission": ("retransmission", "fast_retransmission", "spurious_retransmission"),
    "fast_retransmission": ("fast_retransmission",),
    "spurious_retransmission": ("spurious_retransmission",),
    "out_of_order": ("out_of_order",),
    "duplicate_ack": ("dup_ack",),
    "zero_window": ("zero_window",),
}


def _pair() -> tuple[DirectionAnalysis, DirectionAnalysis]:
    host, camera = connection_analysis()
    host.feed(1000, 0, SYN, 0, 65535, 1, 0.0)
    camera.feed(5000, 1001, SYN | ACK, 0, 65535, 2, 0.010)
    host.feed(1001, 5001, ACK, 0, 65535, 3, 0.020)
    return host, camera


def _kinds(d: DirectionAnalysis) -> list[tuple[int, str]]:
    return [(e.frame, e.kind) for e in d.counts.events] if d.counts else []


def test_handshake_gives_the_initial_rtt_and_in_order_data_is_healthy() -> None:
    host, camera = _pair()
    assert host.rtt == camera.rtt == pytest.approx(0.020)
    camera.feed(5001, 1001, ACK | PSH, 1448, 65535, 4, 0.03)
    camera.feed(6449, 1001, ACK | PSH, 1448, 65535, 5, 0.031)
    host.feed(1001, 7897, ACK, 0, 65535, 6, 0.032)
    assert host.counts is None and camera.counts is None


def test_dup_acks_then_fast_retransmission() -> None:
    host, camera = _pair()
    camera.feed(5001, 1001, ACK, 100, 65535, 4, 0.100)
    # 5101..5201 lost before the capture; the host asks three times for 5101
    camera.feed(5201, 1001, ACK, 100, 65535, 5, 0.101)
    host.feed(1001, 5101, ACK, 0, 65535, 6, 0.1011)
    camera.feed(5301, 1001, ACK, 100, 65535, 7, 0.102)
    host.feed(1001, 5101, ACK, 0, 65535, 8, 0.1021)
    host.feed(1001, 5101, ACK, 0, 65535, 9, 0.1022)
    camera.feed(5101, 1001, ACK, 100, 65535, 10, 0.1030)
    assert _kinds(host) == [(8, "dup_ack"), (9, "dup_ack")]
    assert _kinds(camera) == [(10, "fast_retransmission")]
    assert camera.counts is not None and camera.counts.retransmissions == 1


def test_timeout_retransmission_is_a_stall_of_the_wait() -> None:
    _, camera = _pair()
    camera.feed(5001, 1001, ACK, 1000, 65535, 4, 1.0)
    camera.feed(5001, 1001, ACK, 1000, 65535, 5, 1.4)  # nothing for 0.4 s, then again
    camera.feed(5001, 1001, ACK, 1000, 65535, 6, 2.2)  # and again: one stall, not two
    assert _kinds(camera) == [(5, "retransmission"), (6, "retransmission")]
    waits = [e.wait_s for e in camera.counts.events] if camera.counts else []
    assert waits == [pytest.approx(0.4), 0.0]
    assert camera.counts is not None and camera.counts.stall_s == pytest.approx(1.2)


def test_zero_window_stall_lasts_until_the_window_opens() -> None:
    host, camera = _pair()
    camera.feed(5001, 1001, ACK, 1000, 65535, 4, 1.0)
    host.feed(1001, 6001, ACK, 0, 0, 5, 1.1)
    host.feed(1001, 6001, ACK, 0, 0, 6, 1.3)
    host.feed(1001, 6001, ACK, 0, 8192, 7, 1.85)  # window update
    assert _kinds(host) == [(5, "zero_window"), (6, "zero_window"), (5, "zero_window_stall")]
    assert host.counts is not None and host.counts.stall_s == pytest.approx(0.75)


def test_zero_window_still_shut_at_the_end_stalls_until_then() -> None:
    host, _ = _pair()
    host.feed(1001, 5001, ACK, 0, 0, 4, 1.0)
    host.close(3.0)
    assert host.counts is not None and host.counts.max_wait_s == pytest.approx(2.0)


def test_rst_and_fin_frames() -> None:
    host, camera = _pair()
    host.feed(1001, 5001, FIN | ACK, 0, 65535, 4, 1.0)
    camera.feed(5001, 1002, RST | ACK, 0, 0, 5, 1.1)
    assert (host.fin_frame, host.rst_frame, camera.fin_frame, camera.rst_frame) == (4, 0, 0, 5)
    assert camera.counts is None  # an RST's zero window is no zero window


def test_keep_alive_is_neither_retransmission_nor_its_ack_a_dup_ack() -> None:
    host, camera = _pair()
    camera.feed(5001, 1001, ACK, 100, 65535, 4, 1.0)
    host.feed(1001, 5101, ACK, 0, 65535, 5, 1.01)
    camera.feed(5100, 1001, ACK, 1, 65535, 6, 60.0)  # keep-alive: 1 byte at next - 1
    host.feed(1001, 5101, ACK, 0, 65535, 7, 60.01)
    assert camera.counts is not None and camera.counts.keep_alives == 1
    assert camera.counts.retransmissions == 0 and host.counts is None


# -- against tshark --------------------------------------------------------------------------
def _our_frames(path: Path) -> dict[str, set[int]]:
    d = Dissection(path, EngineOptions(annotate=False, validate=False))
    for _ in d.records():
        pass
    out: dict[str, set[int]] = {}
    for pair in d.dissector.flows.tcp:
        for half in pair:
            for e in half.counts.events if half.counts else ():
                out.setdefault(e.kind, set()).add(e.frame)
    return {field: set().union(*(out.get(k, set()) for k in kinds))
            for field, kinds in TSHARK_FIELDS.items()}


def _tshark_frames(path: Path, field: str) -> set[int]:
    result = subprocess.run(["tshark", "-n", "-r", str(path), "-Y", f"tcp.analysis.{field}",
                             "-T", "fields", "-e", "frame.number"],
                            capture_output=True, text=True, check=True)
    return {int(x) for x in result.stdout.split()}


@pytest.fixture(scope="module")
def trouble_captures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("tcp")
    paths = {"lossy": out / "lossy.pcapng", "reset": out / "reset.pcapng"}
    with open(paths["lossy"], "wb") as f:
        tcp_trouble.write_pcapng(tcp_trouble.lossy_download(), f)
    with open(paths["reset"], "wb") as f:
        tcp_trouble.write_pcapng(tcp_trouble.reset_mid_download(), f)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench  # the benchmark's generator: 2% reordering, 1% retransmissions
    paths["bench-reorder"] = out / "bench-reorder.pcap"
    bench.generate(paths["bench-reorder"], 10, 200_000, False, True)
    paths["shipped-reorder"] = ROOT / "captures/synthetic/reorder-retransmit-ipv6-sll2.pcapng"
    return paths


@pytest.mark.parametrize("name", ["lossy", "reset", "bench-reorder", "shipped-reorder"])
def test_same_frames_as_tshark(trouble_captures: dict[str, Path], name: str) -> None:
    path = trouble_captures[name]
    ours = _our_frames(path)
    for field in TSHARK_FIELDS:
        assert ours[field] == _tshark_frames(path, field), field


def test_lossy_download_has_every_kind_once(trouble_captures: dict[str, Path]) -> None:
    ours = _our_frames(trouble_captures["lossy"])
    assert {f: len(v) for f, v in ours.items()} == {
        "retransmission": 3, "fast_retransmission": 1, "spurious_retransmission": 1,
        "out_of_order": 1, "duplicate_ack": 2, "zero_window": 1}
    d = Dissection(trouble_captures["lossy"], EngineOptions(annotate=False, validate=False))
    for _ in d.records():
        pass
    host, camera = d.dissector.flows.tcp[0]
    assert camera.counts is not None and host.counts is not None
    assert camera.counts.max_wait_s == pytest.approx(tcp_trouble.RTO_S, abs=1e-3)
    assert host.counts.max_wait_s == pytest.approx(tcp_trouble.ZERO_WINDOW_S, abs=1e-3)
    assert d.accounting[(0, 1)].gaps == 0  # the fast retransmission filled the hole
