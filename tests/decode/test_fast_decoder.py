"""The struct fast path derived from ksy/ptpip.ksy decodes exactly as the Kaitai parser does:
on arbitrary packets of every type and on every packet of every shipped capture."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer import pipeline
from ptpip_analyzer.decode.packets import decode_pdu, decode_pdu_kaitai
from ptpip_analyzer.engine import DissectOptions, dissect_file
from ptpip_analyzer.framing import KEEP_ALL
from ptpip_analyzer.model import Direction, Pdu

CAPTURES = Path(__file__).resolve().parent.parent.parent / "captures"


@st.composite
def pdus(draw: st.DrawFn) -> Pdu:
    ptype = draw(st.integers(1, 14))
    body = draw(st.binary(max_size=80))
    raw = struct.pack("<II", 8 + len(body), ptype) + body
    length = len(raw)
    if ptype in (10, 12) and len(raw) >= 12 and draw(st.booleans()):
        raw = raw[:12]  # a bulk payload framing did not keep
    missing = draw(st.sampled_from([0, 0, 0, 1, 5]))
    return Pdu(draw(st.integers(0, 3)), draw(st.sampled_from(list(Direction))),
               draw(st.integers(0, 1 << 40)), length, ptype, raw, draw(st.integers(1, 10**6)),
               draw(st.floats(0, 2e9, allow_nan=False)), missing)


@settings(max_examples=3000, deadline=None)
@given(pdus())
def test_fast_path_equals_kaitai_on_arbitrary_packets(pdu: Pdu) -> None:
    assert decode_pdu(pdu) == decode_pdu_kaitai(pdu)


@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*/*.pcap*")), ids=lambda p: p.name)
def test_fast_path_equals_kaitai_on_shipped_captures(path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Pdu] = []

    def keep(pdu: Pdu):  # type: ignore[no-untyped-def]
        seen.append(pdu)
        return decode_pdu(pdu)

    monkeypatch.setattr(pipeline, "decode_pdu", keep)
    for _ in dissect_file(path, DissectOptions(keep_payload=KEEP_ALL)).records():
        pass
    assert all(decode_pdu(p) == decode_pdu_kaitai(p) for p in seen)
