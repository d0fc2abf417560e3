"""Link, IP and TCP header decoding: captured frames in, TCP segments out.

Hot path: one call per frame, no per-frame objects but the segment itself. Link types from
https://www.tcpdump.org/linktypes.html: 0 NULL (BSD loopback, host byte order), 1 Ethernet
(802.1Q / 802.1ad tags), 12/14/101 raw IP, 105 IEEE 802.11, 108 LOOP (network byte order),
113 Linux SLL, 127 802.11 + radiotap, 192 802.11 + PPI, 228 IPv4, 229 IPv6, 276 Linux SLL2.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..model import FrameProblem, TcpSegment, UdpDatagram
from ..protocol import MDNS_PORT, SSDP_PORT
from .capture_file import RawFrame

_U16 = struct.Struct(">H").unpack_from
_U16LE = struct.Struct("<H").unpack_from
_IPV4 = struct.Struct(">BxH2xHxB").unpack_from  # vhl, total length, frag field, protocol
_IPV6 = struct.Struct(">HB").unpack_from  # payload length, next header (at offset 4)
_TCP = struct.Struct(">HHIIBBH").unpack_from

ETH_IPV4, ETH_IPV6 = 0x0800, 0x86DD
_VLAN_TYPES = frozenset({0x8100, 0x88A8, 0x9100})
_BSD_IPV6 = frozenset({24, 28, 30})
_IPV6_EXTENSIONS = frozenset({0, 43, 60})
SUPPORTED_LINKTYPES = frozenset({0, 1, 12, 14, 101, 105, 108, 113, 127, 192, 228, 229, 276})
DISCOVERY_PORTS = frozenset({SSDP_PORT, MDNS_PORT})  # handed to ptpip_analyzer.discovery


@dataclass(slots=True)
class FrameStats:
    """What the link decoder saw besides TCP segments (counts, and problems to report)."""

    frames: int = 0
    tcp_segments: int = 0
    non_tcp: int = 0
    truncated: int = 0
    fragments: int = 0
    encrypted: int = 0  # protected 802.11 data frames
    problems: list[FrameProblem] = field(default_factory=list)
    unknown_linktypes: dict[int, int] = field(default_factory=dict)
    max_problems: int = 1000
    time_backwards: int = 0  # frames stamped earlier than the frame before them
    oversized: int = 0  # records whose captured length exceeds the length on the wire
    last_time: float = float("-inf")  # the previous frame's timestamp (across batches)
    first_time: float | None = None  # the first frame's timestamp (Wireshark's time 0)
    datagrams: int = 0  # UDP datagrams on a discovery port
    # told of each of them as it is read (the engine's discovery decoder); None: only counted
    on_datagram: Callable[[UdpDatagram], None] | None = None

    def report(self, frame: int, kind: str, message: str) -> None:
        if len(self.problems) < self.max_problems:
            self.problems.append(FrameProblem(frame, kind, message))


def network_offset(linktype: int, data: memoryview) -> tuple[int, int]:
    """(IP version 4/6 or 0, offset of the IP header) for a frame of this link type."""
    if linktype == 1:
        if len(data) < 14:
            return TOO_SHORT, 0
        ethertype, off = _U16(data, 12)[0], 14
        while ethertype in _VLAN_TYPES and len(data) >= off + 4:
            ethertype, off = _U16(data, off + 2)[0], off + 4
        return _ethertype_version(ethertype), off
    if linktype == 113:
        return (_ethertype_version(_U16(data, 14)[0]), 16) if len(data) >= 16 else (TOO_SHORT, 0)
    if linktype == 276:
        return (_ethertype_version(_U16(data, 0)[0]), 20) if len(data) >= 20 else (TOO_SHORT, 0)
    if linktype in (0, 108):
        return (_loopback_version(linktype, data), 4) if len(data) >= 4 else (TOO_SHORT, 0)
    if linktype in (12, 14, 101, 228, 229):
        return (data[0] >> 4 if len(data) else TOO_SHORT), 0
    if linktype in _WIFI_LINKS:
        return _wifi_offset(data, _WIFI_LINKS[linktype](data))
    return -1, 0


# 802.11 captures of a camera's own Wi-Fi: the radio header's length, then the MAC header.
# Radiotap (127) and PPI (192) carry their length as u16 LE at offset 2 (radiotap.org, PPI
# spec 1.0); plain 802.11 (105) has no radio header.
_WIFI_LINKS: dict[int, Callable[[memoryview], int]] = {
    105: lambda data: 0,
    127: lambda data: _U16LE(data, 2)[0] if len(data) >= 4 else len(data),
    192: lambda data: _U16LE(data, 2)[0] if len(data) >= 4 else len(data),
}
ENCRYPTED = -2  # network_offset's answer for a protected (encrypted) 802.11 data frame
TOO_SHORT = -3  # ... for a frame shorter than its link-layer header


def _wifi_offset(data: memoryview, off: int) -> tuple[int, int]:
    """IEEE 802.11-2020 section 9.2: data frames, optional 4th address, QoS and HT control
    fields, then an LLC/SNAP header (AA AA 03 00 00 00 + ethertype)."""
    if len(data) < off + 24:
        return 0, 0
    fc, flags = data[off], data[off + 1]
    if (fc >> 2) & 3 != 2 or fc & 0x40:  # not a data frame, or a null-data subtype
        return 0, 0
    if flags & 0x40:
        return ENCRYPTED, 0
    header = 24 + (6 if flags & 3 == 3 else 0)
    if fc & 0x80:  # QoS data subtype
        header += 2 + (4 if flags & 0x80 else 0)
    llc = off + header
    if bytes(data[llc:llc + 6]) != b"\xaa\xaa\x03\x00\x00\x00" or len(data) < llc + 8:
        return 0, 0
    return _ethertype_version(_U16(data, llc + 6)[0]), llc + 8


def _ethertype_version(ethertype: int) -> int:
    return 4 if ethertype == ETH_IPV4 else 6 if ethertype == ETH_IPV6 else 0


def _loopback_version(linktype: int, data: memoryview) -> int:
    if len(data) < 4:
        return 0
    raw = bytes(data[:4])
    # NULL is in the capturing host's byte order; LOOP is always big-endian.
    family = int.from_bytes(raw, "little" if linktype == 0 and raw[0] else "big")
    return 4 if family == 2 else 6 if family in _BSD_IPV6 else 0


# Fast path: IPv4 without options carrying TCP, behind a link header of fixed size: one
# unpack covers the IPv4 and TCP headers. (link type -> (ethertype offset or -1, IP offset))
_FAST_LINKS = {1: (12, 14), 113: (14, 16), 276: (0, 20), 101: (-1, 0), 228: (-1, 0)}
_FAST_V4 = struct.Struct(">BxH2xHxB2x4s4sHHIIBBH").unpack_from
_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__


def tcp_segments(frames: Iterable[RawFrame], stats: FrameStats) -> Iterator[TcpSegment]:
    """TCP segments of IPv4/IPv6 frames, numbered from 1 like Wireshark's frame numbers.

    Numbering continues from ``stats.frames``: the frame counter lives in ``stats``, so a
    capture can be pushed through in batches (or one frame at a time) with one ``FrameStats``.
    """
    number, fast, last = stats.frames, 0, stats.last_time
    if stats.first_time is None:  # outside the per-frame loop: it costs nothing per frame
        frames = iter(frames)
        first = next(frames, None)
        if first is None:
            return
        stats.first_time = first[1]
        frames = itertools.chain((first,), frames)
    try:
        for linktype, time, data, wire_length in frames:
            number += 1
            if time < last - TIME_SLACK or len(data) > wire_length:  # the fast path's cost
                _odd_frame(number, time, last, len(data), wire_length, stats)
            last = time
            link = _FAST_LINKS.get(linktype)
            if link is not None and len(data) >= link[1] + 40:
                tpos, off = link
                if tpos < 0 or (data[tpos] == 8 and data[tpos + 1] == 0):
                    (vhl, total, frag, proto, src, dst, sport, dport, seq, ack, doff,
                     flags, window) = _FAST_V4(data, off)
                    start = off + 20 + (doff >> 4) * 4
                    end = off + total
                    if vhl == 0x45 and proto == 6 and not frag & 0x3FFF and doff >= 0x50 \
                            and start <= end <= len(data):
                        fast += 1
                        yield _new_tuple(TcpSegment, (number, time, src, sport, dst, dport, seq,
                                                      ack, flags, data[start:end], 0,
                                                      window))
                        continue
            segment = _general(number, linktype, time, data, wire_length, stats)
            if segment is not None:
                yield segment
    finally:
        stats.frames, stats.last_time = number, last
        stats.tcp_segments += fast


MAX_REPORTS_PER_KIND = 10  # then only counted (FrameStats.time_backwards / .oversized)
# Merged interfaces and multi-queue NICs stamp frames microseconds out of order; a step back of
# more than this is a clock step (and makes latencies across it negative).
TIME_SLACK = 1e-3


def _odd_frame(number: int, time: float, last: float, captured: int, wire: int,
               stats: FrameStats) -> None:
    """A frame stamped before its predecessor (a clock step, or interfaces merged out of order:
    latencies across it come out negative), or a record claiming more bytes than the wire
    carried (pcap-savefile(5): caplen <= len; the frame is still decoded as captured)."""
    if time < last - TIME_SLACK:
        stats.time_backwards += 1
        if stats.time_backwards <= MAX_REPORTS_PER_KIND:
            stats.report(number, "time-backwards", f"timestamp {last - time:.6f} s earlier than "
                         "the previous frame's: times and latencies across it are wrong")
    if captured > wire:
        stats.oversized += 1
        if stats.oversized <= MAX_REPORTS_PER_KIND:
            stats.report(number, "caplen-over-len", f"record holds {captured} bytes but says "
                         f"the frame was {wire} bytes on the wire")


def _general(number: int, linktype: int, time: float, data: memoryview, wire_length: int,
             stats: FrameStats) -> TcpSegment | None:
    """Any frame the fast path does not take: every link type, IPv6, options, damage."""
    version, off = network_offset(linktype, data)
    if version == 4:
        return _ipv4(number, time, data, off, wire_length, stats)
    if version == 6:
        return _ipv6(number, time, data, off, wire_length, stats)
    if version == ENCRYPTED:
        stats.encrypted += 1
        if stats.encrypted == 1:
            stats.report(number, "encrypted", "encrypted 802.11 frames: not decodable without "
                         "the network's keys (decrypt them first, e.g. with Wireshark)")
    elif version == TOO_SHORT:
        return _short(number, stats, wire_length, len(data))
    elif version < 0:
        stats.unknown_linktypes[linktype] = stats.unknown_linktypes.get(linktype, 0) + 1
    stats.non_tcp += 1
    return None


def _ipv4(frame: int, time: float, data: memoryview, off: int, wire: int,
          stats: FrameStats) -> TcpSegment | None:
    if len(data) < off + 20:
        return _short(frame, stats, wire, len(data))
    vhl, total, frag, proto = _IPV4(data, off)
    if proto != 6:
        stats.non_tcp += 1
        if proto == 17 and not frag & 0x3FFF:
            _udp(frame, time, data, off + (vhl & 15) * 4, min(off + total, len(data)),
                 data[off + 12:off + 16], data[off + 16:off + 20], stats)
        return None
    if frag & 0x3FFF:  # more-fragments flag or a fragment offset
        stats.fragments += 1
        stats.report(frame, "ip-fragment", "fragmented IPv4 packet: not reassembled")
        return None
    ihl = (vhl & 15) * 4
    if ihl < 20:
        stats.report(frame, "malformed", f"IPv4 header length {ihl} is below 20")
        return None
    if total and total < ihl + 20:
        stats.report(frame, "malformed", f"IPv4 total length {total} leaves no room for its "
                     f"{ihl}-byte header and a TCP header")
        return None
    # TSO captures carry total length 0: then the frame's length is all there is.
    end = _ip_end(frame, "IPv4 total length", off + total if total else wire, off, wire, data,
                  stats)
    return _tcp(frame, time, data, off + ihl, end, data[off + 12:off + 16],
                data[off + 16:off + 20], stats)


def _ip_end(frame: int, field: str, end: int, off: int, wire: int, data: memoryview,
            stats: FrameStats) -> int:
    """Where the IP packet ends: as its header says, unless that is past the frame's end on
    the wire. Then the header lies (a snaplen cut shows as a wire length beyond the captured
    bytes, not as this), and the bytes the frame holds are all there is."""
    limit = max(wire, len(data))  # a record may also claim a wire length below what it holds
    if end <= limit:
        return end
    stats.report(frame, "malformed", f"{field} says {end - off} bytes but the frame carried "
                 f"{limit - off} from the IP header on")
    return limit


def _ipv6(frame: int, time: float, data: memoryview, off: int, wire: int,
          stats: FrameStats) -> TcpSegment | None:
    if len(data) < off + 40:
        return _short(frame, stats, wire, len(data))
    plen, nxt = _IPV6(data, off + 4)
    src, dst = data[off + 8:off + 24], data[off + 24:off + 40]
    end = _ip_end(frame, "IPv6 header + payload length", off + 40 + plen, off, wire, data, stats) \
        if plen else wire
    pos = off + 40
    while nxt in _IPV6_EXTENSIONS or nxt == 51 or nxt == 44:
        if nxt == 44:
            stats.fragments += 1
            stats.report(frame, "ip-fragment", "fragmented IPv6 packet: not reassembled")
            return None
        if len(data) < pos + 2:
            return _short(frame, stats, wire, len(data))
        # The length unit is the current header's (AH counts 4-byte words, RFC 4302), not
        # that of the header it names next.
        header = nxt
        nxt, hlen = data[pos], data[pos + 1]
        pos += (hlen + 2) * 4 if header == 51 else (hlen + 1) * 8
    if nxt != 6:
        stats.non_tcp += 1
        if nxt == 17:
            _udp(frame, time, data, pos, min(end, len(data)), src, dst, stats)
        return None
    return _tcp(frame, time, data, pos, end, src, dst, stats)


def _udp(frame: int, time: float, data: memoryview, off: int, end: int, src: memoryview,
         dst: memoryview, stats: FrameStats) -> None:
    """Hand on a datagram to or from a discovery port (only non-TCP frames come here)."""
    if end < off + 8:
        return
    sport, dport = _U16(data, off)[0], _U16(data, off + 2)[0]
    if sport not in DISCOVERY_PORTS and dport not in DISCOVERY_PORTS:
        return
    stats.datagrams += 1
    if stats.on_datagram is not None:
        stats.on_datagram(UdpDatagram(frame, time, bytes(src), sport, bytes(dst), dport,
                                      bytes(data[off + 8:end])))


def _tcp(frame: int, time: float, data: memoryview, off: int, ip_end: int, src: memoryview,
         dst: memoryview, stats: FrameStats) -> TcpSegment | None:
    if len(data) < off + 20:
        return _short(frame, stats, ip_end, len(data))
    sport, dport, seq, ack, doff, flags, window = _TCP(data, off)
    if doff >> 4 < 5:
        stats.report(frame, "malformed", f"TCP header length {(doff >> 4) * 4} is below 20")
        return None
    start = off + (doff >> 4) * 4
    captured_end = min(ip_end, len(data))
    # Only payload counts: a cut inside the TCP options must not add option bytes to the
    # sequence space that reassembly expects this segment to cover.
    missing = ip_end - max(captured_end, start)
    if missing > 0:
        stats.truncated += 1
        stats.report(frame, "truncated", f"frame truncated by the capture: {missing} bytes of "
                     "TCP payload missing")
    payload = data[start:captured_end] if captured_end > start else data[0:0]
    stats.tcp_segments += 1
    return TcpSegment(frame, time, bytes(src), sport, bytes(dst), dport, seq, ack, flags,
                      payload, max(missing, 0), window)


def _short(frame: int, stats: FrameStats, wire: int, have: int) -> TcpSegment | None:
    stats.truncated += 1
    reason = "cut by the capture" if wire > have else "malformed"
    stats.report(frame, "truncated", f"headers incomplete ({have} bytes captured, {reason})")
    return None  # the frame gives no segment
