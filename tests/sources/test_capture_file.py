"""capture_file.open_frames: pcap and pcapng in, RawFrames out, CaptureError for anything bad.

Inputs come from pcap_writer; the few layouts the writer can't make (obsolete Packet Block,
binary if_tsresol, if_tsoffset, corrupt blocks) are built with struct right in the test.
"""

from __future__ import annotations

import io
import random
import struct
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptpip_analyzer.model import ACK, PSH
from ptpip_analyzer.sources import capture_file
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources.capture_file import CaptureError, RawFrame, open_frames

FrameTuple = tuple[int, float, bytes, int]


# -- building and reading -----------------------------------------------------------------------
def tcp_frame(linktype: int, n: int, seq: int = 1) -> bytes:
    packet = w.ip_tcp("10.0.0.2", 40000, "10.0.0.1", 15740, seq, 7, ACK | PSH,
                      bytes(i & 0xFF for i in range(n)))
    return w.link_frame(linktype, packet)


def pcap_bytes(frames: list[w.Frame], linktype: int = w.LINKTYPE_ETHERNET,
               **options: bool) -> bytes:
    out = io.BytesIO()
    w.write_pcap(out, frames, linktype, **options)
    return out.getvalue()


def pcapng_bytes(frames: list[tuple[int, w.Frame]], interfaces: list[w.Interface],
                 big_endian: bool = False, simple: bool = False) -> bytes:
    out = io.BytesIO()
    w.write_pcapng(out, frames, interfaces, big_endian=big_endian, simple=simple)
    return out.getvalue()


def tuples(frames: list[RawFrame]) -> list[FrameTuple]:
    return [(f.linktype, f.time, bytes(f.data), f.wire_length) for f in frames]


def read(blob: bytes) -> list[FrameTuple]:
    return tuples(list(open_frames(io.BytesIO(blob))))


def read_until_error(blob: bytes) -> tuple[list[FrameTuple], CaptureError | None]:
    """Frames yielded before the reader stopped, and its CaptureError (anything else escapes)."""
    got: list[RawFrame] = []
    try:
        for frame in open_frames(io.BytesIO(blob)):
            got.append(frame)  # noqa: PERF402 - keep the frames read before an error
    except CaptureError as exc:
        return tuples(got), exc
    return tuples(got), None


def exact_time(t: float, per_second: int) -> float:
    """The float nearest to the timestamp pcap_writer stores for ``t`` (round(t * ticks/s))."""
    return float(Fraction(round(t * per_second), per_second))


def pcapng_block_ends(blob: bytes, endian: str = "<") -> list[int]:
    """File offsets where pcapng blocks end (each block: u32 type, u32 total length, ...)."""
    ends, pos = [], 0
    while pos < len(blob):
        pos += struct.unpack_from(endian + "I", blob, pos + 4)[0]
        ends.append(pos)
    return ends


TIMES = [0.0, 1_700_000_000.123456, 1_700_000_000.999999, 1_234_567_890.000001,
         4_294_967_295.5, 1_700_000_000.123456789, 1_700_000_001.000000001, 1_999_999_999.987654321]


# -- pcap -------------------------------------------------------------------------------------
@pytest.mark.parametrize("big_endian", [False, True], ids=["le", "be"])
@pytest.mark.parametrize("nanosecond", [False, True], ids=["us", "ns"])
def test_pcap_frames_and_timestamps_are_exact(big_endian: bool, nanosecond: bool) -> None:
    frames = [w.Frame(t, tcp_frame(w.LINKTYPE_ETHERNET, 10 + i)) for i, t in enumerate(TIMES)]
    frames[2].wire_length, frames[2].data = len(frames[2].data), frames[2].data[:40]  # snaplen
    blob = pcap_bytes(frames, w.LINKTYPE_ETHERNET, nanosecond=nanosecond,
                      big_endian=big_endian)
    scale = 10 ** 9 if nanosecond else 10 ** 6
    assert read(blob) == [(1, exact_time(f.time, scale), f.data, f.wire_length or len(f.data))
                          for f in frames]


def test_pcap_link_type_ignores_the_fcs_bits() -> None:
    blob = bytearray(pcap_bytes([w.Frame(1.0, tcp_frame(w.LINKTYPE_SLL, 4))], w.LINKTYPE_SLL))
    struct.pack_into("<I", blob, 20, 0x1000_0000 | w.LINKTYPE_SLL)  # FCS-present flag
    assert [f[0] for f in read(bytes(blob))] == [w.LINKTYPE_SLL]


def test_pcap_with_no_frames_is_empty_not_an_error() -> None:
    assert read(pcap_bytes([], w.LINKTYPE_RAW)) == []


# -- pcapng -----------------------------------------------------------------------------------
TWO_INTERFACES = [w.Interface(w.LINKTYPE_ETHERNET, tsresol=6),
                  w.Interface(w.LINKTYPE_SLL, tsresol=9)]


@pytest.mark.parametrize("big_endian", [False, True], ids=["le", "be"])
def test_pcapng_two_interfaces_keep_their_link_types_and_resolutions(big_endian: bool) -> None:
    frames = [(i % 2, w.Frame(t, tcp_frame(TWO_INTERFACES[i % 2].linktype, i)))
              for i, t in enumerate(TIMES)]
    blob = pcapng_bytes(frames, TWO_INTERFACES, big_endian=big_endian)
    assert read(blob) == [
        (TWO_INTERFACES[i].linktype, exact_time(f.time, 10 ** TWO_INTERFACES[i].tsresol),
         f.data, len(f.data)) for i, f in frames]


def test_pcapng_and_pcap_give_the_same_nanosecond_timestamps() -> None:
    frames = [w.Frame(t, tcp_frame(w.LINKTYPE_RAW, 1)) for t in TIMES]
    as_pcap = read(pcap_bytes(frames, w.LINKTYPE_RAW, nanosecond=True))
    as_pcapng = read(pcapng_bytes([(0, f) for f in frames],
                                  [w.Interface(w.LINKTYPE_RAW, tsresol=9)]))
    assert [f[1] for f in as_pcapng] == [f[1] for f in as_pcap]


def test_simple_packet_blocks_use_interface_zero_and_its_snaplen() -> None:
    whole = tcp_frame(w.LINKTYPE_ETHERNET, 7)  # 61 bytes: the block pads 3 bytes
    cut = tcp_frame(w.LINKTYPE_ETHERNET, 46)
    frames = [(0, w.Frame(5.0, whole)), (0, w.Frame(6.0, cut[:64], wire_length=len(cut)))]
    blob = pcapng_bytes(frames, [w.Interface(w.LINKTYPE_ETHERNET, snaplen=64)], simple=True)
    assert read(blob) == [(1, 0.0, whole, 61), (1, 0.0, cut[:64], len(cut))]


def test_sections_reset_interfaces_and_byte_order() -> None:
    first = [(0, w.Frame(1.5, tcp_frame(w.LINKTYPE_ETHERNET, 3)))]
    second = [(1, w.Frame(2.25, tcp_frame(w.LINKTYPE_RAW, 4))),
              (0, w.Frame(3.125, tcp_frame(w.LINKTYPE_SLL, 5)))]
    blob = pcapng_bytes(first, [w.Interface(w.LINKTYPE_ETHERNET)]) + pcapng_bytes(
        second, [w.Interface(w.LINKTYPE_SLL, tsresol=9), w.Interface(w.LINKTYPE_RAW)],
        big_endian=True)
    assert [(f[0], f[1]) for f in read(blob)] == [(1, 1.5), (101, 2.25), (113, 3.125)]


def test_packet_block_naming_an_interface_the_section_lacks() -> None:
    blob = pcapng_bytes([(0, w.Frame(1.0, tcp_frame(w.LINKTYPE_RAW, 1)))],
                        [w.Interface(w.LINKTYPE_RAW)])
    epb = struct.pack("<IIIIIII", 6, 32, 1, 0, 0, 0, 0) + struct.pack("<I", 32)  # interface 1
    frames, error = read_until_error(blob + epb)
    assert len(frames) == 1
    assert error is not None and "frame 2" in str(error) and "interface 1" in str(error)


def test_obsolete_packet_block() -> None:
    data = tcp_frame(w.LINKTYPE_ETHERNET, 9)
    head = pcapng_bytes([], [w.Interface(w.LINKTYPE_ETHERNET, tsresol=6)])
    ticks = 1_700_000_000_250_000
    # Packet Block (type 2): u16 interface id, u16 drops, ts high, ts low, captured, original
    body = struct.pack("<HHIIII", 0, 0, ticks >> 32, ticks & 0xFFFFFFFF, len(data), 1500) + data
    body += bytes(-len(body) % 4)
    block = struct.pack("<II", 2, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    assert read(head + block) == [(1, 1_700_000_000.25, data, 1500)]


def test_binary_tsresol_and_tsoffset() -> None:
    shb = pcapng_bytes([], [])
    # IDB: link type, reserved, snaplen; options if_tsresol = 2^-20, if_tsoffset = 1000 s, end
    body = struct.pack("<HHI", w.LINKTYPE_RAW, 0, 0) + struct.pack("<HHB3x", 9, 1, 0x80 | 20) \
        + struct.pack("<HHq", 14, 8, 1000) + struct.pack("<HH", 0, 0)
    idb = struct.pack("<II", 1, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    data = tcp_frame(w.LINKTYPE_RAW, 0)  # 40 bytes, no padding needed
    ticks = (3 << 20) + (1 << 19)  # 3.5 s
    epb_body = struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, 40, 40) + data
    epb = struct.pack("<II", 6, len(epb_body) + 12) + epb_body + \
        struct.pack("<I", len(epb_body) + 12)
    assert read(shb + idb + epb) == [(101, 1003.5, data, 40)]


# -- truncation and corruption ----------------------------------------------------------------
def small_pcap() -> tuple[bytes, list[int]]:
    frames = [w.Frame(1.0 + i, tcp_frame(w.LINKTYPE_NULL, 3 * i)) for i in range(4)]
    blob = pcap_bytes(frames, w.LINKTYPE_NULL)
    ends = [24]
    for f in frames:
        ends.append(ends[-1] + 16 + len(f.data))
    return blob, ends


def small_pcapng() -> tuple[bytes, list[int]]:
    frames = [(i % 2, w.Frame(1.0 + i, tcp_frame(TWO_INTERFACES[i % 2].linktype, i)))
              for i in range(4)]
    blob = pcapng_bytes(frames, TWO_INTERFACES, big_endian=True)
    return blob, pcapng_block_ends(blob, ">")


def test_pcap_cut_at_every_byte_keeps_whole_frames_and_raises_only_capture_error() -> None:
    blob, ends = small_pcap()
    full = read(blob)
    assert len(full) == len(ends) - 1 and ends[-1] == len(blob)
    for cut in range(len(blob)):
        frames, error = read_until_error(blob[:cut])
        whole = sum(end <= cut for end in ends[1:])
        assert frames == full[:whole], cut
        assert (error is None) == (cut in ends), cut


def test_pcapng_cut_at_every_byte_keeps_whole_frames_and_raises_only_capture_error() -> None:
    blob, ends = small_pcapng()
    full = read(blob)
    frame_ends = ends[3:]  # SHB, two IDBs, then one EPB per frame
    assert len(full) == len(frame_ends) == 4
    for cut in range(len(blob)):
        frames, error = read_until_error(blob[:cut])
        assert frames == full[:sum(end <= cut for end in frame_ends)], cut
        assert (error is None) == (cut in ends), cut


def test_truncation_messages_name_the_frame() -> None:
    blob, ends = small_pcap()
    _, in_header = read_until_error(blob[:ends[2] + 5])
    _, in_data = read_until_error(blob[:ends[2] + 20])
    assert "record header of frame 3" in str(in_header)
    assert "truncated in frame 3" in str(in_data) and f"file offset {ends[2]}" in str(in_data)


def test_pcap_record_claiming_a_huge_length() -> None:
    blob, ends = small_pcap()
    corrupt = bytearray(blob)
    struct.pack_into("<I", corrupt, ends[1] + 8, 0x7FFF_FFFF)  # frame 2's captured length
    frames, error = read_until_error(bytes(corrupt))
    assert len(frames) == 1
    assert error is not None and "frame 2" in str(error) and str(0x7FFF_FFFF) in str(error)


def test_pcapng_block_claiming_a_huge_length() -> None:
    blob, ends = small_pcapng()
    corrupt = bytearray(blob)
    struct.pack_into(">I", corrupt, ends[3] + 4, 0x7FFF_FFF0)  # the second EPB's length
    frames, error = read_until_error(bytes(corrupt))
    assert len(frames) == 1
    assert error is not None and f"file offset {ends[3]}" in str(error)
    assert "after frame 1" in str(error)


def test_pcapng_packet_claiming_more_bytes_than_its_block() -> None:
    blob, ends = small_pcapng()
    corrupt = bytearray(blob)
    struct.pack_into(">I", corrupt, ends[3] + 20, 5000)  # the second EPB's captured length
    frames, error = read_until_error(bytes(corrupt))
    assert len(frames) == 1 and error is not None and "frame 2" in str(error)


def pcapng_block(btype: int, body: bytes) -> bytes:
    return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)


@pytest.mark.parametrize("block", [
    pcapng_block(1, b""),  # interface description without link type and snaplen
    pcapng_block(1, struct.pack("<HHI", 1, 0, 0) + struct.pack("<HH", 9, 4)),  # option cut
    pcapng_block(1, struct.pack("<HHI", 1, 0, 0) + struct.pack("<HHI", 14, 8, 0)),
    pcapng_block(6, b""), pcapng_block(6, bytes(16)),  # enhanced packet without its header
    pcapng_block(3, b""),  # simple packet without original length
    pcapng_block(2, bytes(8)),  # obsolete packet block without its header
], ids=["idb-empty", "idb-tsresol-cut", "idb-tsoffset-cut", "epb-empty", "epb-16",
        "spb-empty", "pb-8"])
def test_blocks_too_short_for_their_fields_are_capture_errors(block: bytes) -> None:
    head = pcapng_bytes([], [w.Interface(w.LINKTYPE_ETHERNET)])
    frames, error = read_until_error(head + block)
    assert frames == [] and error is not None


@pytest.mark.parametrize("blob", [
    b"", b"\xd4\xc3", b"\x0a\x0d\x0d\x0a",
    b"GET / HTTP/1.1\r\nHost: camera\r\n\r\n",
    b"# ptpip-analyzer notes\nnot a capture at all\n" * 20,
    random.Random(1).randbytes(4096),
], ids=["empty", "half-magic", "shb-type-only", "http", "text", "random"])
def test_non_captures_are_capture_errors(blob: bytes) -> None:
    frames, error = read_until_error(blob)
    assert frames == [] and isinstance(error, CaptureError)


def test_non_capture_is_refused_before_iteration() -> None:
    with pytest.raises(CaptureError, match="not a pcap or pcapng file"):
        open_frames(io.BytesIO(b"Hello, world"))


MAGICS = [b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d",
          b"\x0a\x0d\x0d\x0a"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_frames_or_capture_error(blob: bytes) -> None:
    read_until_error(blob)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(MAGICS), st.binary(max_size=400))
def test_any_bytes_after_a_capture_magic_give_frames_or_capture_error(magic: bytes,
                                                                     rest: bytes) -> None:
    frames, _ = read_until_error(magic + rest)
    assert all(len(f[2]) <= len(rest) for f in frames)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["pcap", "pcapng"]),
       st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=4))
def test_corrupted_captures_give_frames_or_capture_error(kind: str,
                                                         edits: list[tuple[int, int]]) -> None:
    blob = bytearray((small_pcap() if kind == "pcap" else small_pcapng())[0])
    for at, value in edits:
        blob[at % len(blob)] = value
    read_until_error(bytes(blob))


# -- streaming over chunk boundaries ----------------------------------------------------------
def big_frames() -> list[w.Frame]:
    """About 2.5 MiB of frames of uneven sizes, and one frame bigger than a whole chunk."""
    rng = random.Random(20)
    frames, total, t = [], 0, 1_700_000_000.0
    while total < 5 * capture_file.CHUNK // 2:
        size = rng.randrange(1, 9000)
        t += rng.randrange(1, 10**6) / 10**6
        frames.append(w.Frame(round(t, 6), rng.randbytes(size)))
        total += size + 16
    frames.insert(len(frames) // 2, w.Frame(t, rng.randbytes(capture_file.CHUNK * 3 // 2)))
    return frames


@pytest.mark.parametrize("chunk", [capture_file.CHUNK, 4093, 1], ids=["1MiB", "4093", "1"])
def test_pcap_bigger_than_a_chunk_reads_identically(tmp_path: Path, chunk: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture_file, "CHUNK", chunk)
    frames = big_frames()
    path = tmp_path / "big.pcap"
    path.write_bytes(pcap_bytes(frames, w.LINKTYPE_RAW))
    assert path.stat().st_size > 2 * capture_file.CHUNK or chunk < 1 << 20
    with open(path, "rb") as stream:
        got = tuples(list(open_frames(stream)))
    assert got == [(101, exact_time(f.time, 10**6), f.data, len(f.data)) for f in frames]


@pytest.mark.parametrize("chunk", [capture_file.CHUNK, 4093], ids=["1MiB", "4093"])
def test_pcapng_bigger_than_a_chunk_reads_identically(tmp_path: Path, chunk: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture_file, "CHUNK", chunk)
    frames = big_frames()
    path = tmp_path / "big.pcapng"
    path.write_bytes(pcapng_bytes([(i % 2, f) for i, f in enumerate(frames)], TWO_INTERFACES))
    with open(path, "rb") as stream:
        got = tuples(list(open_frames(stream)))
    assert got == [(TWO_INTERFACES[i % 2].linktype,
                    exact_time(f.time, 10 ** TWO_INTERFACES[i % 2].tsresol), f.data, len(f.data))
                   for i, f in enumerate(frames)]


def test_many_interface_blocks_are_read_in_linear_time_and_capped() -> None:
    """Each IDB is appended, not copied into a new tuple (1M IDBs in 20 MB took >10 min)."""
    shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
    idb = struct.pack("<IIHHI", 1, 20, 1, 0, 0) + struct.pack("<I", 20)
    reader = capture_file.CaptureReader()
    reader.feed(shb + idb * capture_file.MAX_INTERFACES)
    reader.close()
    assert reader.error is None
    reader = capture_file.CaptureReader()
    reader.feed(shb + idb * (capture_file.MAX_INTERFACES + 1))
    reader.close()
    assert reader.error is not None and "more than 65536 interfaces" in reader.error


def test_packet_comments_are_kept_by_frame_number() -> None:
    packet = w.link_frame(1, w.ip_tcp("10.0.0.1", 1, "10.0.0.2", 15740, 1, 1, ACK, b"abcde"))
    frames = [(0, w.Frame(1.0, packet, comment="original frame 17")),
              (0, w.Frame(2.0, packet)),
              (0, w.Frame(3.0, packet[:20], len(packet), comment="é\x1b[31m"))]
    out = io.BytesIO()
    w.write_pcapng(out, frames, [w.Interface(1)], comment="a section comment")
    for piece in (1, 7, len(out.getvalue())):  # the fast and the general block paths
        reader = capture_file.CaptureReader()
        data = out.getvalue()
        got = [f for i in range(0, len(data), piece) for f in reader.feed(data[i:i + piece])]
        assert [bytes(f.data) for f in got] == [packet, packet, packet[:20]]
        assert reader.comments == {1: "original frame 17", 3: "é\x1b[31m"}
