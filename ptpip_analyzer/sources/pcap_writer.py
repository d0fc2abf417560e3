"""A small capture writer: TCP conversations to pcap / pcapng, pathologies on purpose.

Used to make the shipped synthetic captures (scripts/make_synthetic_captures.py), test inputs
and bug-report excerpts. It writes real, checksummed IPv4/IPv6 + TCP frames in any of the link
types the reader supports, so tshark reads the same files.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from ..model import ACK, FIN, PSH, RST, SYN

LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW = 0, 1, 101
LINKTYPE_LOOP, LINKTYPE_SLL, LINKTYPE_SLL2 = 108, 113, 276
LINKTYPE_IEEE802_11, LINKTYPE_RADIOTAP = 105, 127


def wifi_frame(packet: bytes, qos: bool = True, protected: bool = False) -> bytes:
    """An 802.11 data frame (to the AP, QoS by default) carrying an IP packet via LLC/SNAP."""
    ethertype = 0x86DD if packet[0] >> 4 == 6 else 0x0800
    fc = 0x88 if qos else 0x08
    flags = 0x01 | (0x40 if protected else 0)
    header = bytes([fc, flags]) + b"\x00\x00" + b"\x02\x00\x00\x00\x00\x01" * 3 + b"\x00\x00"
    if qos:
        header += b"\x00\x00"
    return header + b"\xaa\xaa\x03\x00\x00\x00" + struct.pack("!H", ethertype) + packet


@dataclass(slots=True)
class Frame:
    time: float
    data: bytes
    wire_length: int | None = None  # original length when the frame is cut (snaplen)
    comment: str | None = None  # pcapng only: the packet's opt_comment (tshark: frame.comment)


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_tcp(src: str, sport: int, dst: str, dport: int, seq: int, ack: int, flags: int,
           payload: bytes = b"", window: int = 65535) -> bytes:
    """An IPv4 or IPv6 packet holding one TCP segment, checksums filled in."""
    s, d = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, window, 0, 0)
    if s.version == 4:
        pseudo = s.packed + d.packed + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
    else:
        pseudo = s.packed + d.packed + struct.pack("!I3xB", len(tcp) + len(payload), 6)
    csum = _checksum(pseudo + tcp + payload)
    tcp = tcp[:16] + struct.pack("!H", csum) + tcp[18:]
    if s.version == 4:
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000,
                             64, 6, 0, s.packed, d.packed)
        header = header[:10] + struct.pack("!H", _checksum(header)) + header[12:]
    else:
        header = struct.pack("!IHBB16s16s", 6 << 28, len(tcp) + len(payload), 6, 64, s.packed,
                             d.packed)
    return header + tcp + payload


def link_frame(linktype: int, packet: bytes, vlan: int | None = None) -> bytes:
    """Wrap an IP packet in a link-layer header of the given type."""
    v6 = packet[0] >> 4 == 6
    ethertype = 0x86DD if v6 else 0x0800
    if linktype == LINKTYPE_ETHERNET:
        tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
        return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + tag + \
            struct.pack("!H", ethertype) + packet
    if linktype == LINKTYPE_SLL:
        return struct.pack("!HHH8sH", 0, 772, 6, b"\x02" * 6 + b"\0\0", ethertype) + packet
    if linktype == LINKTYPE_SLL2:
        return struct.pack("!HHIHBB8s", ethertype, 0, 1, 772, 0, 6, b"\x02" * 6 + b"\0\0") + packet
    if linktype == LINKTYPE_NULL:
        return struct.pack("<I", 30 if v6 else 2) + packet  # little-endian host
    if linktype == LINKTYPE_LOOP:
        return struct.pack("!I", 30 if v6 else 2) + packet
    if linktype == LINKTYPE_RAW:
        return packet
    if linktype == LINKTYPE_IEEE802_11:
        return wifi_frame(packet)
    if linktype == LINKTYPE_RADIOTAP:  # minimal radiotap header: no fields present
        return struct.pack("<BBHI", 0, 0, 8, 0) + wifi_frame(packet)
    raise ValueError(f"link type {linktype} not supported by the writer")


def write_pcap(out: BinaryIO, frames: Iterable[Frame], linktype: int, nanosecond: bool = False,
               big_endian: bool = False, snaplen: int = 262144) -> None:
    e = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nanosecond else 0xA1B2C3D4
    out.write(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
    scale = 1_000_000_000 if nanosecond else 1_000_000
    for f in frames:
        ticks = round(f.time * scale)
        sec, frac = divmod(ticks, scale)
        wire = f.wire_length or len(f.data)
        out.write(struct.pack(e + "IIII", sec, frac, len(f.data), wire) + f.data)


def _pcapng_block(btype: int, body: bytes, e: str) -> bytes:
    body += b"\x00" * (-len(body) % 4)
    size = len(body) + 12
    return struct.pack(e + "II", btype, size) + body + struct.pack(e + "I", size)


@dataclass(slots=True)
class Interface:
    linktype: int
    tsresol: int = 6  # 10^-tsresol seconds per tick
    snaplen: int = 262144


def write_pcapng(out: BinaryIO, frames: Iterable[tuple[int, Frame]],
                 interfaces: list[Interface], big_endian: bool = False,
                 simple: bool = False, comment: str | None = None) -> None:
    """Frames given as (interface index, frame); ``simple`` writes SPBs (interface 0 only);
    ``comment``: the section header's opt_comment (capinfos shows it)."""
    e = ">" if big_endian else "<"
    shb = struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1)
    if comment is not None:
        shb += _comment_option(comment, e)
    out.write(_pcapng_block(0x0A0D0D0A, shb, e))
    for iface in interfaces:
        opts = struct.pack(e + "HHB3x", 9, 1, iface.tsresol) + struct.pack(e + "HH", 0, 0)
        out.write(_pcapng_block(1, struct.pack(e + "HHI", iface.linktype, 0, iface.snaplen)
                                + opts, e))
    for ifid, f in frames:
        wire = f.wire_length or len(f.data)
        if simple:
            out.write(_pcapng_block(3, struct.pack(e + "I", wire) + f.data, e))
            continue
        ticks = round(f.time * 10 ** interfaces[ifid].tsresol)
        body = struct.pack(e + "IIIII", ifid, ticks >> 32, ticks & 0xFFFFFFFF, len(f.data),
                           wire) + f.data
        if f.comment is not None:
            body += b"\x00" * (-len(body) % 4) + _comment_option(f.comment, e)
        out.write(_pcapng_block(6, body, e))


def _comment_option(text: str, e: str) -> bytes:
    """opt_comment (code 1, UTF-8) then opt_endofopt (pcapng spec, section 3.5)."""
    value = text.encode("utf-8")
    return struct.pack(e + "HH", 1, len(value)) + value + b"\x00" * (-len(value) % 4) + \
        struct.pack(e + "HH", 0, 0)


@dataclass(slots=True)
class Segment:
    """One TCP segment of a scripted conversation, before link encapsulation."""

    time: float
    from_client: bool
    seq: int
    ack: int
    flags: int
    payload: bytes
    window: int = 65535


@dataclass(slots=True)
class TcpConversation:
    """Scripts one TCP connection. Sequence numbers are tracked; ``send`` cuts by ``mss``."""

    client: tuple[str, int]
    server: tuple[str, int]
    client_isn: int = 1000
    server_isn: int = 5000
    mss: int = 1448
    time: float = 1_700_000_000.0
    step: float = 0.0001
    segments: list[Segment] = field(default_factory=list)
    _next: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._next = [self.client_isn, self.server_isn]

    def _add(self, from_client: bool, flags: int, payload: bytes = b"") -> Segment:
        me, peer = (0, 1) if from_client else (1, 0)
        self.time += self.step
        seg = Segment(self.time, from_client, self._next[me], self._next[peer], flags, payload)
        self.segments.append(seg)
        self._next[me] = (self._next[me] + len(payload) + (1 if flags & (SYN | FIN) else 0)) \
            & 0xFFFFFFFF
        return seg

    def handshake(self) -> None:
        self._add(True, SYN)
        self._add(False, SYN | ACK)
        self._add(True, ACK)

    def send(self, from_client: bool, data: bytes, mss: int | None = None) -> list[Segment]:
        size = mss or self.mss
        out = [self._add(from_client, ACK | PSH, data[i:i + size])
               for i in range(0, len(data), size)]
        self._add(not from_client, ACK)
        return out

    def finish(self, reset: bool = False) -> None:
        if reset:
            self._add(True, RST | ACK)
            return
        self._add(True, FIN | ACK)
        self._add(False, FIN | ACK)
        self._add(True, ACK)

    def ip_packets(self) -> list[tuple[float, bytes]]:
        out = []
        for s in self.segments:
            src, dst = (self.client, self.server) if s.from_client else (self.server, self.client)
            out.append((s.time, ip_tcp(src[0], src[1], dst[0], dst[1], s.seq, s.ack, s.flags,
                                       s.payload, s.window)))
        return out


def frames_for(packets: Iterable[tuple[float, bytes]], linktype: int,
               vlan: int | None = None) -> list[Frame]:
    return [Frame(t, link_frame(linktype, p, vlan)) for t, p in packets]
