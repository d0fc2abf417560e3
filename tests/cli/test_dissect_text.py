"""dissect's plain text lines (cli/dissect.py ``TextLines``): made from cached pieces, yet the
very lines of the general path (``Printer._line``) on every record of every shipped capture;
``describe.summary``'s head + tail is the one-piece summary on any packet."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ptpip_analyzer.cli.dissect import _DEFAULTS, Printer, TextLines
from ptpip_analyzer.cli.output import TimeFormat
from ptpip_analyzer.decode import describe
from ptpip_analyzer.engine import Engine, EngineOptions
from ptpip_analyzer.model import Direction, Packet
from ptpip_analyzer.terminal_text import escape

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
SHIPPED = sorted(p for folder in ("real", "synthetic", "hostile")
                 for p in (CAPTURES / folder).iterdir() if p.suffix in (".pcap", ".pcapng"))


class _Out:
    def __init__(self) -> None:
        self.text: list[str] = []

    def write(self, text: str) -> None:
        self.text.append(text)


def _printer(time_format: str = "r") -> Printer:
    args = argparse.Namespace(**{**_DEFAULTS, "format": "text", "vendor": None,
                                 "color": "never", "time_format": time_format})
    return Printer(args, _Out())  # type: ignore[arg-type]


@pytest.mark.parametrize("time_format", ["r", "d"])
@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_text_lines_are_the_general_lines(path: Path, time_format: str) -> None:
    engine = Engine(EngineOptions(annotate=False, validate=False, keep_payload=1 << 16))
    items = engine.feed_bytes(path.read_bytes()) + engine.close()
    fast, general = _printer(time_format), _printer(time_format)
    for p in (fast, general):
        p.comments = engine.reader.comments
        p.times = TimeFormat(time_format, engine.first_frame_time)
    lines = TextLines(fast.times, fast.vendors)  # type: ignore[arg-type]
    for item in items:
        fast.learn(item)
        general.learn(item)
        if isinstance(item.record, Packet):
            lines.packet(item.conn, item.record, fast.comments.get(item.record.frame))
        else:
            lines.add(fast._line(item))
        assert lines.pending[-1] == general._line(item), item.record.frame


_u32 = st.integers(0, 0xFFFFFFFF)
_maybe = st.none() | _u32
packets = st.builds(
    Packet, stream=st.just(0), direction=st.sampled_from(Direction), offset=st.just(0),
    length=_u32, ptype=st.integers(0, 20), frame=st.just(1), time=st.just(0.0),
    transaction_id=_maybe, code=st.none() | st.integers(0, 0xFFFF) | _u32,
    params=st.lists(_u32, max_size=5).map(tuple), data_length=st.none() | st.integers(0, 2**64 - 1),
    connection_number=_maybe, name=st.none() | st.text(max_size=8), version=_maybe,
    reason=_maybe, missing=st.integers(0, 3))


@given(packets, st.sampled_from([None, "canon", "nikon", "sony", "mtp"]))
def test_summary_head_and_tail_are_the_whole_summary(p: Packet, vendor: str | None) -> None:
    whole = escape(f"{describe.type_name(p)}  {describe.essentials(p, None, vendor)}".rstrip())
    assert describe.summary_head(p.ptype, p.code, vendor) + describe.summary_tail(p) == whole
    assert describe.summary(p, None, vendor) == whole


def test_summary_heads_are_bounded() -> None:
    for code in range(describe.MAX_HEADS + 10):
        describe.summary_head(6, code)
    assert len(describe._HEADS) <= describe.MAX_HEADS
