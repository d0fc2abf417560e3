"""Transcript tests for one direction of TCP reassembly: segments in, stream ranges out."""

from __future__ import annotations

from ptpip_analyzer.model import ACK, FIN, SYN
from ptpip_analyzer.reassembly.tcp import HalfStream


class Recorder:
    def __init__(self) -> None:
        self.log: list[tuple[str, int, object]] = []

    def data(self, offset: int, data: object, frame: int, time: float) -> None:
        self.log.append(("data", offset, bytes(data)))  # type: ignore[arg-type]

    def gap(self, offset: int, length: int, frame: int, time: float, reason: str) -> None:
        self.log.append(("gap", offset, length))


def stream(max_pending: int = 1 << 20) -> tuple[HalfStream, Recorder]:
    rec = Recorder()
    return HalfStream(rec, max_pending), rec


def test_in_order_after_syn() -> None:
    half, rec = stream()
    half.feed(100, SYN, b"", 1, 0.0)
    half.feed(101, ACK, b"abc", 2, 0.0)
    half.feed(104, ACK, b"de", 3, 0.0)
    assert rec.log == [("data", 0, b"abc"), ("data", 3, b"de")]


def test_out_of_order_is_held_until_the_hole_fills() -> None:
    half, rec = stream()
    half.feed(100, SYN, b"", 1, 0.0)
    half.feed(104, ACK, b"def", 2, 0.0)
    half.feed(107, ACK, b"gh", 3, 0.0)
    assert rec.log == []
    half.feed(101, ACK, b"abc", 4, 0.0)
    assert rec.log == [("data", 0, b"abc"), ("data", 3, b"def"), ("data", 6, b"gh")]


def test_exact_and_overlapping_retransmissions_deliver_each_byte_once() -> None:
    half, rec = stream()
    half.feed(0, SYN, b"", 1, 0.0)
    half.feed(1, ACK, b"abcd", 2, 0.0)
    half.feed(1, ACK, b"abcd", 3, 0.0)  # exact copy
    half.feed(3, ACK, b"cdEF", 4, 0.0)  # overlaps the end, brings 2 new bytes
    assert rec.log == [("data", 0, b"abcd"), ("data", 4, b"EF")]
    assert half.stats.retransmitted_bytes == 4 + 2


def test_sequence_numbers_wrap_around() -> None:
    half, rec = stream()
    half.feed(0xFFFFFFFD, SYN, b"", 1, 0.0)
    half.feed(0xFFFFFFFE, ACK, b"ab", 2, 0.0)
    half.feed(0x00000000, ACK, b"cd", 3, 0.0)
    half.feed(0x00000002, ACK, b"ef", 4, 0.0)
    assert [e[1] for e in rec.log] == [0, 2, 4]
    assert b"".join(e[2] for e in rec.log) == b"abcdef"  # type: ignore[misc]


def test_capture_starting_mid_stream_counts_from_the_first_byte_seen() -> None:
    half, rec = stream()
    half.feed(5000, ACK, b"xyz", 1, 0.0)
    half.feed(4990, ACK, b"0123456789", 2, 0.0)  # older than the start: not part of the stream
    half.feed(5003, ACK, b"!", 3, 0.0)
    assert rec.log == [("data", 0, b"xyz"), ("data", 3, b"!")]
    assert half.stats.before_start_bytes == 10


def test_peer_ack_beyond_what_we_saw_declares_an_exact_gap() -> None:
    half, rec = stream()
    half.feed(0, SYN, b"", 1, 0.0)
    half.feed(1, ACK, b"abc", 2, 0.0)
    half.feed(9, ACK, b"ijk", 3, 0.0)  # stream bytes 3..7 never captured
    half.acknowledged(12, 4, 0.0)
    assert rec.log == [("data", 0, b"abc"), ("gap", 3, 5), ("data", 8, b"ijk")]


def test_gap_when_out_of_order_buffer_is_full() -> None:
    half, rec = stream(max_pending=5)
    half.feed(0, SYN, b"", 1, 0.0)
    half.feed(11, ACK, b"abcd", 2, 0.0)
    half.feed(15, ACK, b"efgh", 3, 0.0)  # 8 bytes pending > 5: give up on offsets 0..9
    assert rec.log == [("gap", 0, 10), ("data", 10, b"abcd"), ("data", 14, b"efgh")]


def test_close_flushes_held_segments_with_gaps() -> None:
    half, rec = stream()
    half.feed(0, SYN, b"", 1, 0.0)
    half.feed(1, ACK, b"ab", 2, 0.0)
    half.feed(6, ACK, b"fg", 3, 0.0)
    half.close()
    assert rec.log == [("data", 0, b"ab"), ("gap", 2, 3), ("data", 5, b"fg")]


def test_snaplen_cut_segment_reports_its_missing_tail_as_gap() -> None:
    half, rec = stream()
    half.feed(0, SYN, b"", 1, 0.0)
    half.feed(1, ACK, b"ab", 2, 0.0, missing=3)
    half.feed(6, ACK, b"f", 3, 0.0)
    assert rec.log == [("data", 0, b"ab"), ("gap", 2, 3), ("data", 5, b"f")]


def test_fin_limits_what_an_ack_can_declare_missing() -> None:
    half, rec = stream()
    half.feed(0, SYN, b"", 1, 0.0)
    half.feed(1, ACK | FIN, b"ab", 2, 0.0)
    half.acknowledged(4, 3, 0.0)  # acks the FIN too: no gap
    assert rec.log == [("data", 0, b"ab")]
