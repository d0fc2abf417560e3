"""Frame order (ptpip_analyzer/frame_order.py): on every shipped capture the records come out
with non-decreasing frame numbers, every record exactly once; a full window lets records go
early and counts them; the engine knows the capture's first frame time."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.engine import Dissection, EngineOptions
from ptpip_analyzer.frame_order import FrameOrder

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
SHIPPED = sorted(p for folder in ("real", "synthetic", "hostile")
                 for p in (CAPTURES / folder).iterdir() if p.suffix in (".pcap", ".pcapng"))


def _ordered(path: Path, **bounds: int) -> tuple[list[int], list[int], FrameOrder]:
    run = Dissection(path, EngineOptions(annotate=False, validate=False))
    order = FrameOrder(run.engine, **bounds)
    items = list(order.items(run.batches()))
    return [i.record.frame for i in items], [i.index for i in items], order


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_frames_never_go_backwards(path: Path) -> None:
    frames, indexes, order = _ordered(path)
    assert frames == sorted(frames)
    assert sorted(indexes) == list(range(len(indexes)))  # each record once, none lost
    assert order.forced == 0 and order.held_bytes == 0


def test_completion_order_differs_on_shipped_captures() -> None:
    """The reordering is needed: in completion order some frames go backwards."""
    inverted = 0
    for path in SHIPPED:
        frames = [i.record.frame for i in Dissection(
            path, EngineOptions(annotate=False, validate=False)).items()]
        inverted += sum(a > b for a, b in itertools.pairwise(frames))
    assert inverted >= 20  # 20 in lost-data-bodies.pcap, 3 in loss-midstream-vlan.pcap


def test_a_full_window_lets_records_go_early_and_counts_them() -> None:
    path = CAPTURES / "hostile" / "lost-data-bodies.pcap"
    frames, indexes, order = _ordered(path, max_records=0)
    assert sorted(indexes) == list(range(len(indexes)))
    assert order.forced == sum(a > b for a, b in itertools.pairwise(frames)) > 0


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark not installed")
@pytest.mark.parametrize("name", ["real/gphoto2-summary.pcapng", "synthetic/basic-ethernet.pcap",
                                  "synthetic/not-ptpip-raw.pcap"])
def test_first_frame_time_is_tsharks_first_frame(name: str) -> None:
    """Time 0 is the capture's first frame, PTP/IP or not (Wireshark's frame.time_relative)."""
    run = Dissection(CAPTURES / name, EngineOptions(annotate=False, validate=False))
    for _ in run.items():
        pass
    first = subprocess.run(["tshark", "-r", str(CAPTURES / name), "-c", "1", "-T", "fields",
                            "-e", "frame.time_epoch"], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert run.engine.first_frame_time == pytest.approx(float(first), abs=1e-6)
