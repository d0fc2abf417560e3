"""Transcript and property tests for framing: stream ranges in, packets/gaps/malformed out."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer.decode import encode
from ptpip_analyzer.framing import HUNT_WINDOW, KEEP_ALL, Framer
from ptpip_analyzer.model import Direction, Gap, Malformed, Pdu

SESSION = [
    encode.operation_request(0x1002, 0, [1, 0, 0, 0, 0]),
    encode.operation_response(0x2001, 0),
    encode.start_data(1, 100_000),
    encode.data(1, bytes(range(256)) * 300),
    encode.end_data(1, b"\x07" * (100_000 - 76_800)),
    encode.operation_response(0x2001, 1),
    encode.probe_request(),
    encode.event(0x4002, 0xFFFFFFFF, [5]),
]
STREAM = b"".join(SESSION)


def run(chunks: list[bytes | tuple[int]], keep: bool = False) -> tuple[list[object], Framer]:
    """Feed chunks (bytes, or (n,) for an n-byte gap) and close; return the records."""
    out: list[object] = []
    framer = Framer(0, Direction.TO_INITIATOR, out, keep_payload=KEEP_ALL if keep else 0)
    offset = 0
    for i, chunk in enumerate(chunks):
        if isinstance(chunk, tuple):
            framer.gap(offset, chunk[0], i + 1, 0.0, "lost")
            offset += chunk[0]
        else:
            framer.data(offset, chunk, i + 1, 0.0)
            offset += len(chunk)
    framer.close()
    assert framer.pos == offset
    return out, framer


def accounted(out: list[object]) -> int:
    total = 0
    for r in out:
        if isinstance(r, Pdu):
            total += r.length - r.missing
        elif isinstance(r, (Gap, Malformed)):
            total += r.length
    return total


def kinds(out: list[object]) -> list[str]:
    names = {Pdu: "pdu", Gap: "gap", Malformed: "malformed"}
    return [f"{names[type(r)]}:{getattr(r, 'ptype', '')}" for r in out]


def test_one_segment_holding_the_whole_session() -> None:
    out, _ = run([STREAM])
    assert [r.ptype for r in out] == [6, 7, 9, 10, 12, 7, 13, 8]  # type: ignore[attr-defined]
    assert [r.length for r in out] == [len(p) for p in SESSION]  # type: ignore[attr-defined]


def test_packet_spanning_many_segments_starts_at_its_first_frame() -> None:
    chunks = [STREAM[i:i + 1448] for i in range(0, len(STREAM), 1448)]
    out, _ = run(chunks)
    data = out[3]
    assert isinstance(data, Pdu) and data.ptype == 10
    assert data.frame == 1 and data.offset == 38 + 14 + 20
    assert data.raw == SESSION[3][:12]  # payload counted, not copied
    assert out[4].frame == 54  # type: ignore[attr-defined]


def test_kept_payload_is_the_whole_packet() -> None:
    out, _ = run([STREAM[:5000], STREAM[5000:]], keep=True)
    assert out[3].raw == SESSION[3]  # type: ignore[attr-defined]


def test_payload_kept_only_for_data_phases_announced_small_enough() -> None:
    for limit, kept in ((100_000, True), (99_999, False)):
        out: list[object] = []
        framer = Framer(0, Direction.TO_INITIATOR, out, keep_payload=limit)
        framer.data(0, STREAM, 1, 0.0)
        assert (out[3].raw == SESSION[3]) is kept  # type: ignore[attr-defined]
        assert (out[4].raw == SESSION[4]) is kept  # type: ignore[attr-defined]


def test_length_zero_seven_and_huge_are_malformed_then_resynchronised() -> None:
    good = encode.operation_response(0x2001, 4)
    for bad in (struct.pack("<II", 0, 7), struct.pack("<II", 7, 9),
                struct.pack("<II", 0xFFFFFFFF, 10) + bytes(40)):
        out, _ = run([good + bad + good + good])
        assert kinds(out) == ["pdu:7", "malformed:", "pdu:7", "pdu:7"]
        assert out[1].offset == len(good) and out[1].length == len(bad)  # type: ignore
        assert accounted(out) == len(good) * 3 + len(bad)


def test_gap_inside_a_data_packet_keeps_framing_in_step() -> None:
    cut = 38 + 14 + 20 + 5000
    out, _ = run([STREAM[:cut], (3000,), STREAM[cut + 3000:]])
    assert kinds(out) == ["pdu:6", "pdu:7", "pdu:9", "gap:", "pdu:10", "pdu:12", "pdu:7",
                          "pdu:13", "pdu:8"]
    assert out[4].missing == 3000  # type: ignore[attr-defined]
    assert accounted(out) == len(STREAM)


def test_gap_across_a_packet_boundary_hunts_for_the_next_header() -> None:
    start = len(b"".join(SESSION[:5]))
    out, _ = run([STREAM[:start + 3], (11,), STREAM[start + 14:]])
    assert kinds(out)[-5:] == ["pdu:12", "malformed:", "gap:", "pdu:13", "pdu:8"]
    assert "header cut by a capture gap" in out[-4].reason  # type: ignore[attr-defined]
    assert accounted(out) == len(STREAM)


def test_stream_ending_inside_a_packet_is_malformed() -> None:
    out, _ = run([STREAM[:100]])
    assert isinstance(out[-1], Malformed) and "stream ends inside" in out[-1].reason
    assert accounted(out) == 100


def test_a_data_packet_cut_by_the_end_carries_its_head() -> None:
    """The stream ends inside a kept Data packet that lost bytes to a gap: its malformed
    pieces tile around the gap, and the first carries the payload so far (zeros in the hole)
    for the object reassembler; the bytes stay counted as malformed."""
    start = len(b"".join(SESSION[:3]))
    out, framer = run([STREAM[:start + 1000], (500,), STREAM[start + 1500:start + 4000]],
                      keep=True)
    assert kinds(out)[-3:] == ["gap:", "malformed:", "malformed:"]
    first, second = out[-2], out[-1]
    assert isinstance(first, Malformed) and isinstance(second, Malformed)
    head = first.data_head
    assert head is not None and second.data_head is None
    assert (head.ptype, head.transaction_id, head.length) == (10, 1, len(SESSION[3]))
    assert head.size == 4000 - 12 and head.missing == 500 and head.holes == ((988, 500),)
    body = SESSION[3][12:4000]
    assert head.payload == body[:988] + bytes(500) + body[1488:]
    assert first.length + second.length == 4000 - 500  # the gap is the gap's
    assert accounted(out) == framer.pos == start + 4000


def test_a_header_cut_by_the_end_carries_no_head() -> None:
    start = len(b"".join(SESSION[:3]))
    out, _ = run([STREAM[:start + 10]])
    assert isinstance(out[-1], Malformed) and out[-1].data_head is None


def test_non_ptpip_bytes_are_all_malformed() -> None:
    text = b"GET / HTTP/1.1\r\nHost: camera\r\n\r\n" * 10
    out, _ = run([text])
    assert kinds(out) == ["malformed:"] and accounted(out) == len(text)


def test_hunt_buffer_stays_bounded_whatever_the_input() -> None:
    junk = b"\xff" * (HUNT_WINDOW * 3)
    out: list[object] = []
    framer = Framer(0, Direction.TO_RESPONDER, out)
    framer.data(0, b"\xff\xff\xff\xff\x0a\x00\x00\x00", 1, 0.0)
    for i in range(0, len(junk), 4096):
        framer.data(8 + i, junk[i:i + 4096], 2, 0.0)
        assert len(framer.hunt) <= HUNT_WINDOW + 4096
    framer.close()
    assert accounted(out) == len(junk) + 8


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=3000), min_size=1, max_size=80))
def test_any_segmentation_gives_the_same_packets(sizes: list[int]) -> None:
    chunks, pos = [], 0
    for size in sizes:
        chunks.append(STREAM[pos:pos + size])
        pos += size
    chunks.append(STREAM[pos:])
    out, _ = run([c for c in chunks if c])
    reference, _ = run([STREAM])
    assert [(r.offset, r.length, r.ptype, r.raw) for r in out] == \
        [(r.offset, r.length, r.ptype, r.raw) for r in reference]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=600), st.tuples(st.integers(1, 500))),
                max_size=12))
def test_arbitrary_bytes_and_gaps_never_raise_and_are_all_accounted(
        chunks: list[bytes | tuple[int]]) -> None:
    out, framer = run([c for c in chunks if c != b""])
    assert accounted(out) == framer.pos


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SESSION[:3] + SESSION[5:] + [b"\x00" * 5, b"\xff" * 9]),
                max_size=15), st.integers(1, 97))
def test_packets_mixed_with_junk_are_found_and_accounted(parts: list[bytes], step: int) -> None:
    blob = b"".join(parts)
    out, _framer = run([blob[i:i + step] for i in range(0, len(blob), step)])
    assert accounted(out) == len(blob)


def test_unknown_packet_type_with_a_sane_length_is_named_as_such() -> None:
    good = encode.operation_response(0x2001, 4)
    odd = struct.pack("<II", 16, 99) + bytes(8)
    out, _ = run([good + odd + good])
    assert kinds(out) == ["pdu:7", "malformed:", "pdu:7"]
    assert out[1].unknown_type == 99  # type: ignore[attr-defined]
    out, _ = run([b"GET / HTTP/1.1\r\n\r\n" + good])
    assert out[0].unknown_type is None  # type: ignore[attr-defined]


def test_gap_inside_a_kept_data_payload_leaves_a_zero_filled_hole() -> None:
    cut = 38 + 14 + 20 + 5000
    out, _ = run([STREAM[:cut], (3000,), STREAM[cut + 3000:]], keep=True)
    data = next(r for r in out if isinstance(r, Pdu) and r.ptype == 10)
    assert data.missing == 3000 and data.holes == ((5000 - 12, 3000),)
    expected = bytearray(SESSION[3])
    expected[5000:8000] = bytes(3000)
    assert data.raw == bytes(expected)


def test_a_data_phase_announced_small_cannot_make_us_keep_more() -> None:
    out: list[object] = []
    framer = Framer(0, Direction.TO_INITIATOR, out, keep_payload=1000)
    stream = encode.start_data(1, 10) + b"".join(encode.data(1, bytes(600)) for _ in range(5))
    framer.data(0, stream, 1, 0.0)
    kept = [len(r.raw) for r in out if isinstance(r, Pdu) and r.ptype == 10]
    assert kept == [612, 12, 12, 12, 12]  # the first fits within keep_payload, then counted only
