"""link.tcp_segments: frames of every supported link type in, TCP segments and FrameStats out.

Packets come from pcap_writer (ip_tcp, link_frame). What the writer can't make is built with
struct here: UDP/ARP, IPv4 fragments, IPv6 extension headers, 802.1ad double tags, big-endian
NULL, TCP options, bad header lengths.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer.model import ACK, PSH, SYN, FrameProblem, TcpSegment
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources.capture_file import RawFrame
from ptpip_analyzer.sources.link import SUPPORTED_LINKTYPES, FrameStats, tcp_segments

HOSTS = {4: ("10.0.0.2", "10.0.0.1"), 6: ("2001:db8::2", "2001:db8::1")}
SEQ, ACK_NO, PAYLOAD = 0xFFFF_FF00, 0x1234_5678, b"\x0c\x00\x00\x00\x03\x00\x00\x00\x01\x00\x00\x00"


def packet(version: int, payload: bytes = PAYLOAD, flags: int = ACK | PSH) -> bytes:
    src, dst = HOSTS[version]
    return w.ip_tcp(src, 50001, dst, 15740, SEQ, ACK_NO, flags, payload)


def expected(version: int, payload: bytes = PAYLOAD, frame: int = 1, time: float = 1.5,
             missing: int = 0, flags: int = ACK | PSH) -> TcpSegment:
    src, dst = (ipaddress.ip_address(a).packed for a in HOSTS[version])
    return TcpSegment(frame, time, src, 50001, dst, 15740, SEQ, ACK_NO, flags, payload, missing,
                      65535)  # the writer's window


def decode(*frames: tuple[int, bytes] | RawFrame) -> tuple[list[TcpSegment], FrameStats]:
    """(link type, frame bytes) pairs, or whole RawFrames, through tcp_segments."""
    raw = [f if isinstance(f, RawFrame) else RawFrame(f[0], 1.5, memoryview(f[1]), len(f[1]))
           for f in frames]
    stats = FrameStats()
    return list(tcp_segments(raw, stats)), stats


# -- one segment through every link type ------------------------------------------------------
def null_big_endian(ip: bytes) -> bytes:  # NULL from a big-endian host: AF_INET6 = 30 on BSD
    return struct.pack(">I", 30 if ip[0] >> 4 == 6 else 2) + ip


ENCAPSULATIONS: dict[str, tuple[int, Callable[[bytes], bytes]]] = {
    "null-le": (0, lambda ip: w.link_frame(w.LINKTYPE_NULL, ip)),
    "null-be": (0, null_big_endian),
    "ethernet": (1, lambda ip: w.link_frame(w.LINKTYPE_ETHERNET, ip)),
    "raw-12": (12, lambda ip: ip),
    "raw-14": (14, lambda ip: ip),
    "raw-101": (101, lambda ip: w.link_frame(w.LINKTYPE_RAW, ip)),
    "loop": (108, lambda ip: w.link_frame(w.LINKTYPE_LOOP, ip)),
    "sll": (113, lambda ip: w.link_frame(w.LINKTYPE_SLL, ip)),
    "sll2": (276, lambda ip: w.link_frame(w.LINKTYPE_SLL2, ip)),
    "ieee802.11": (105, lambda ip: w.link_frame(w.LINKTYPE_IEEE802_11, ip)),
    "radiotap": (127, lambda ip: w.link_frame(w.LINKTYPE_RADIOTAP, ip)),
    "ppi": (192, lambda ip: struct.pack("<BBHI", 0, 0, 8, 105) + w.wifi_frame(ip, qos=False)),
}


@pytest.mark.parametrize("version", [4, 6])
@pytest.mark.parametrize("encapsulation", ENCAPSULATIONS)
def test_every_link_type_yields_the_same_segment(encapsulation: str, version: int) -> None:
    linktype, wrap = ENCAPSULATIONS[encapsulation]
    segments, stats = decode((linktype, wrap(packet(version))))
    assert segments == [expected(version)]
    assert (stats.frames, stats.tcp_segments, stats.non_tcp, stats.problems) == (1, 1, 0, [])


@pytest.mark.parametrize(("linktype", "version"), [(228, 4), (229, 6)])
def test_ip_only_link_types(linktype: int, version: int) -> None:
    assert decode((linktype, packet(version)))[0] == [expected(version)]


def test_all_supported_link_types_are_covered() -> None:
    covered = {lt for lt, _ in ENCAPSULATIONS.values()} | {228, 229}
    assert covered == SUPPORTED_LINKTYPES


def vlan_tags(*tags: tuple[int, int]) -> bytes:
    return b"".join(struct.pack("!HH", tpid, vid) for tpid, vid in tags)


@pytest.mark.parametrize("version", [4, 6])
@pytest.mark.parametrize("tags", [
    ((0x8100, 42),), ((0x88A8, 100), (0x8100, 42)), ((0x9100, 7), (0x8100, 42)),
], ids=["802.1q", "802.1ad-double", "9100-double"])
def test_vlan_tags_are_skipped(tags: tuple[tuple[int, int], ...], version: int) -> None:
    untagged = w.link_frame(w.LINKTYPE_ETHERNET, packet(version))
    frame = untagged[:12] + vlan_tags(*tags) + untagged[12:]
    assert decode((1, frame))[0] == [expected(version)]


def test_writer_vlan_frame() -> None:
    assert decode((1, w.link_frame(1, packet(4), vlan=42)))[0] == [expected(4)]


# -- IPv6 extension headers -------------------------------------------------------------------
def ipv6_with_extensions(ip: bytes, chain: list[tuple[int, int]]) -> bytes:
    """Insert extension headers, given as (type, size in bytes), between IPv6 and TCP.

    Length fields per RFC 8200 section 4 (8-byte units, not counting the first 8) and
    RFC 4302 section 2.2 for AH (4-byte units, minus 2).
    """
    types = [t for t, _ in chain] + [6]
    extensions = b""
    for (htype, size), following in zip(chain, types[1:], strict=True):
        hlen = size // 4 - 2 if htype == 51 else size // 8 - 1
        extensions += bytes([following, hlen]) + bytes(size - 2)
    tcp = ip[40:]
    header = struct.pack("!IHBB16s16s", 6 << 28, len(extensions) + len(tcp), types[0], 64,
                         ip[8:24], ip[24:40])
    return header + extensions + tcp


@pytest.mark.parametrize("chain", [
    [(0, 8)], [(0, 8), (60, 16)], [(60, 24)], [(51, 24)], [(0, 16), (51, 24)],
    [(60, 8), (43, 24), (51, 16), (60, 16)],
], ids=["hop-by-hop", "hop-by-hop+dest", "dest-24", "ah-24", "hop-by-hop-16+ah",
        "dest+routing+ah+dest"])
def test_ipv6_extension_headers_are_skipped(chain: list[tuple[int, int]]) -> None:
    frame = w.link_frame(w.LINKTYPE_ETHERNET, ipv6_with_extensions(packet(6), chain))
    segments, stats = decode((1, frame))
    assert segments == [expected(6)] and stats.problems == []


def test_ipv6_fragment_header_is_counted_and_reported() -> None:
    frame = w.link_frame(w.LINKTYPE_SLL2, ipv6_with_extensions(packet(6), [(0, 8), (44, 8)]))
    segments, stats = decode((276, frame))
    assert segments == [] and stats.fragments == 1
    assert [(p.frame, p.kind) for p in stats.problems] == [(1, "ip-fragment")]


# -- lengths: padding, snaplen, TSO, bad header lengths ---------------------------------------
@pytest.mark.parametrize("payload", [b"", b"P", b"\x08\x00\x00\x00\x0d\x00"])
def test_ethernet_padding_is_not_payload(payload: bytes) -> None:
    frame = w.link_frame(w.LINKTYPE_ETHERNET, packet(4, payload))
    padded = frame + bytes(60 - len(frame)) + b"\xde\xad\xbe\xef"  # padding, then an FCS
    segments, stats = decode((1, padded))
    assert segments == [expected(4, payload)] and stats.problems == []


@pytest.mark.parametrize(("linktype", "version"), [(1, 4), (1, 6), (113, 4), (276, 6), (0, 4)])
def test_snaplen_cut_reports_missing_payload(linktype: int, version: int) -> None:
    payload = bytes(range(256)) * 4
    whole = w.link_frame(linktype, packet(version, payload))
    header = len(whole) - len(payload)
    cut = RawFrame(linktype, 1.5, memoryview(whole[:200]), len(whole))
    segments, stats = decode(cut)
    kept = 200 - header
    assert segments == [expected(version, payload[:kept], missing=len(payload) - kept)]
    assert stats.truncated == 1
    assert stats.problems == [FrameProblem(1, "truncated", "frame truncated by the capture: "
                                           f"{len(payload) - kept} bytes of TCP payload missing")]


def ipv4_tcp_with_options(payload: bytes, options: bytes) -> bytes:
    """IPv4 + TCP with ``options`` (a multiple of 4 bytes); checksums left 0."""
    tcp = struct.pack("!HHIIBBHHH", 50001, 15740, SEQ, ACK_NO, (5 + len(options) // 4) << 4,
                      ACK | PSH, 65535, 0, 0) + options + payload
    src, dst = (ipaddress.ip_address(a).packed for a in HOSTS[4])
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src,
                       dst) + tcp


def test_tcp_options_count_as_header_not_payload() -> None:
    timestamps = b"\x01\x01\x08\x0a" + bytes(8)
    frame = w.link_frame(1, ipv4_tcp_with_options(PAYLOAD, timestamps))
    assert decode((1, frame))[0] == [expected(4)]


def test_cut_inside_tcp_options_misses_only_the_payload() -> None:
    """Reassembly advances by len(payload) + missing: option bytes must not count."""
    payload = bytes(100)
    whole = w.link_frame(1, ipv4_tcp_with_options(payload, b"\x01\x01\x08\x0a" + bytes(8)))
    cut = RawFrame(1, 1.5, memoryview(whole[:14 + 20 + 20 + 4]), len(whole))
    segments, stats = decode(cut)
    assert segments == [expected(4, b"", missing=100)] and stats.truncated == 1


@pytest.mark.parametrize("keep", [14 + 10, 14 + 20 + 10, 14 + 40 + 10])
def test_cut_inside_the_headers_is_truncated_without_a_segment(keep: int) -> None:
    whole = w.link_frame(1, packet(4 if keep < 14 + 40 else 6))
    segments, stats = decode(RawFrame(1, 1.5, memoryview(whole[:keep]), len(whole)))
    assert segments == [] and stats.truncated == 1
    assert stats.problems[0].kind == "truncated" and "cut by the capture" in \
        stats.problems[0].message


@pytest.mark.parametrize("version", [4, 6])
def test_tso_length_zero_means_the_whole_frame(version: int) -> None:
    ip = bytearray(packet(version))
    struct.pack_into("!H", ip, 2 if version == 4 else 4, 0)  # IPv4 total / IPv6 payload length
    frame = w.link_frame(w.LINKTYPE_ETHERNET, bytes(ip))
    assert decode((1, frame))[0] == [expected(version)]


def test_bad_ipv4_and_tcp_header_lengths_are_malformed_not_segments() -> None:
    short_ihl = bytearray(packet(4))
    short_ihl[0] = 0x44  # IHL 4 words: the "TCP header" would start inside the IP header
    short_doff = bytearray(packet(4))
    short_doff[20 + 12] = 0x40  # TCP data offset 4 words: the payload would hold TCP header
    segments, stats = decode((101, bytes(short_ihl)), (101, bytes(short_doff)))
    assert segments == []
    assert [(p.frame, p.kind) for p in stats.problems] == [(1, "malformed"), (2, "malformed")]


# -- what is not TCP --------------------------------------------------------------------------
def ipv4(protocol: int, body: bytes, fragment: int = 0x4000) -> bytes:
    src, dst = (ipaddress.ip_address(a).packed for a in HOSTS[4])
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 1, fragment, 64, protocol, 0,
                       src, dst) + body


def ipv6(next_header: int, body: bytes) -> bytes:
    src, dst = (ipaddress.ip_address(a).packed for a in HOSTS[6])
    return struct.pack("!IHBB16s16s", 6 << 28, len(body), next_header, 64, src, dst) + body


UDP = struct.pack("!HHHH", 5353, 5353, 12, 0) + b"ping"
ARP = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x06" + struct.pack(
    "!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, b"\x02\x00\x00\x00\x00\x01", bytes([10, 0, 0, 2]),
    bytes(6), bytes([10, 0, 0, 1]))


def test_non_tcp_frames_are_counted_and_numbered() -> None:
    segments, stats = decode(
        (1, ARP), (1, w.link_frame(1, ipv4(17, UDP))), (101, packet(4)),
        (113, w.link_frame(113, ipv6(17, UDP))), (101, ipv4(1, b"\x08\x00\x00\x00")),
        (276, w.link_frame(276, packet(6))))
    assert [s.frame for s in segments] == [3, 6]
    assert (stats.frames, stats.tcp_segments, stats.non_tcp, stats.problems) == (6, 2, 4, [])


@pytest.mark.parametrize("fragment", [0x2000, 0x00B9, 0x20B9], ids=["first", "last", "middle"])
def test_ipv4_fragments_are_counted_and_reported(fragment: int) -> None:
    frame = ipv4(6, packet(4)[20:], fragment=fragment)
    segments, stats = decode((101, frame), (101, packet(4)))
    assert [s.frame for s in segments] == [2]
    assert stats.fragments == 1
    assert stats.problems == [FrameProblem(1, "ip-fragment",
                                           "fragmented IPv4 packet: not reassembled")]


def test_unknown_link_type_is_counted_per_type() -> None:
    segments, stats = decode((147, packet(4)), (1, w.link_frame(1, packet(4))), (147, b""),
                             (9, b"\x00"))
    assert [s.frame for s in segments] == [2]
    assert stats.unknown_linktypes == {147: 2, 9: 1}
    assert stats.non_tcp == 3


def test_handshake_flags_and_sequence_numbers() -> None:
    syn = w.ip_tcp("10.0.0.2", 50001, "10.0.0.1", 15740, SEQ, ACK_NO, SYN)
    assert decode((101, syn))[0] == [expected(4, b"", flags=SYN)]


def test_problem_list_is_capped() -> None:
    stats = FrameStats(max_problems=3)
    frames = [RawFrame(101, 0.0, memoryview(ipv4(6, b"", 0x2000)), 20)] * 10
    assert list(tcp_segments(frames, stats)) == []
    assert stats.fragments == 10 and len(stats.problems) == 3


# -- properties -------------------------------------------------------------------------------
LINKTYPES = sorted(SUPPORTED_LINKTYPES | {147})


def check_any_frame(linktype: int, data: bytes, extra: int) -> None:
    stats = FrameStats()
    frame = RawFrame(linktype, 0.0, memoryview(data), len(data) + extra)
    segments = list(tcp_segments([frame], stats))
    assert stats.frames == 1 and len(segments) == stats.tcp_segments <= 1
    for seg in segments:
        assert bytes(seg.payload) in data and seg.missing >= 0
        assert len(seg.payload) + seg.missing <= max(len(data) + extra, 0xFFFF + 80)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(LINKTYPES), st.binary(max_size=120), st.integers(0, 70_000))
def test_any_bytes_as_a_frame_never_raise(linktype: int, data: bytes, extra: int) -> None:
    check_any_frame(linktype, data, extra)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(ENCAPSULATIONS.values())), st.sampled_from([4, 6]),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)), max_size=6),
       st.integers(0, 200), st.integers(0, 3000))
def test_damaged_real_frames_never_raise(encapsulation: tuple[int, Callable[[bytes], bytes]],
                                         version: int,
                                         edits: list[tuple[int, int]], keep: int,
                                         extra: int) -> None:
    linktype, wrap = encapsulation
    data = bytearray(wrap(packet(version, bytes(64))))
    for at, value in edits:
        data[at % len(data)] = value
    check_any_frame(linktype, bytes(data[:keep]), extra)
