"""Frame order (ptpip_analyzer/frame_order.py): on every shipped capture the records come out
with non-decreasing frame numbers, every record exactly once; a full window lets records go
early and counts them; the engine knows the capture's first frame time."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from ptpip_analyzer.engine import Dissection, Engine, EngineOptions, Item
from ptpip_analyzer.frame_order import FrameOrder

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
SHIPPED = sorted(p for folder in ("real", "synthetic", "hostile")
                 for p in (CAPTURES / folder).iterdir() if p.suffix in (".pcap", ".pcapng"))


def _pieces(engine: Engine, data: bytes, size: int) -> Iterator[list[Item]]:
    """The capture fed ``size`` bytes at a time: one batch per piece, as a pipe gives them."""
    for start in range(0, len(data), size):
        yield engine.feed_bytes(data[start:start + size])
    yield engine.close()


def _ordered(path: Path, piece: int = 1 << 20,
             **bounds: int) -> tuple[list[int], list[int], FrameOrder]:
    engine = Engine(EngineOptions(annotate=False, validate=False))
    order = FrameOrder(engine, **bounds)
    items = list(order.items(_pieces(engine, path.read_bytes(), piece)))
    return [i.record.frame for i in items], [i.index for i in items], order


@pytest.mark.parametrize("piece", [1 << 20, 333], ids=["whole", "333-byte-pieces"])
@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_frames_never_go_backwards(path: Path, piece: int) -> None:
    frames, indexes, order = _ordered(path, piece)
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


class _OpenFrames:
    """An engine stand-in whose oldest open frame the test sets per batch."""

    def __init__(self, opens: list[int | None]) -> None:
        self.opens = iter(opens)

    def oldest_open_frame(self) -> int | None:
        return next(self.opens)


def _item(index: int, frame: int, size: int = 0) -> Item:
    return Item(index, None, SimpleNamespace(frame=frame, raw=b"x" * size), None, ())  # type: ignore[arg-type]


def test_records_wait_for_the_oldest_open_frame() -> None:
    """A packet begun in frame 1 and finished in frame 9 comes first, though it completes last."""
    batches = [[_item(0, 3), _item(1, 2)], [_item(2, 5)], [_item(3, 1), _item(4, 9)]]
    order = FrameOrder(_OpenFrames([1, 1, None]))  # type: ignore[arg-type]
    assert [i.record.frame for i in order.items(batches)] == [1, 2, 3, 5, 9]
    assert order.forced == 0 and order.peak == 5


def test_a_full_window_lets_records_go_early_and_counts_them() -> None:
    batches = [[_item(0, 3), _item(1, 2)], [_item(2, 5)], [_item(3, 1), _item(4, 9)]]
    order = FrameOrder(_OpenFrames([1, 1, None]), max_records=1)  # type: ignore[arg-type]
    frames = [i.record.frame for i in order.items(batches)]
    assert sorted(frames) == [1, 2, 3, 5, 9]
    assert order.forced == sum(a > b for a, b in itertools.pairwise(frames)) == 1


def test_the_window_is_bounded_by_bytes_too() -> None:
    batches = [[_item(0, 2, 600), _item(1, 3, 600)], [_item(2, 1, 10)]]
    order = FrameOrder(_OpenFrames([1, None]), max_bytes=1000)  # type: ignore[arg-type]
    assert [i.record.frame for i in order.items(batches)] == [2, 1, 3]
    assert order.forced == 1 and order.held_bytes == 0


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
