"""Hostile captures: small inputs whose wire numbers ask for gigabytes, or whose strings attack
the terminal, written with the project's capture writer (``pcap_writer``).

Each builder returns the bytes of one capture file and is deterministic (fixed times, ports and
sequence numbers). ``CAPTURES`` names the files shipped in ``captures/hostile/``
(``scripts/make_hostile_captures.py`` writes them; ``captures/hostile/README.md`` says what
each holds). The two big ones, ``write_many_connections`` and ``write_junk_frames``, stream
straight to a file and are made by the tests in a temporary folder, not shipped (so is
``write_syn_flood``).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterator
from typing import BinaryIO

from ..decode import encode
from ..decode import encode_ptp as ptp
from ..model import ACK, PSH, SYN
from . import pcap_writer as w
from .synthetic import CAMERA_GUID, GUID

HOST, CAMERA = ("10.0.0.2", 50001), ("10.0.0.1", 15740)
ESCAPES = "\x1b]0;pwned\x07\x1b[2JX"  # retitles an xterm and clears the screen, raw
OK = 0x2001


def _conversation(host: tuple[str, int] = HOST) -> w.TcpConversation:
    """Handshake, Init Command Request / Ack and OpenSession: a session ready for more."""
    conv = w.TcpConversation(host, CAMERA)
    conv.handshake()
    conv.send(True, encode.init_command_request(GUID, "hostile host"))
    conv.send(False, encode.init_command_ack(1, CAMERA_GUID, "hostile camera"))
    conv.send(True, encode.operation_request(0x1002, 0, [1]))
    conv.send(False, encode.operation_response(OK, 0))
    return conv


def _pcap(conv: w.TcpConversation, edit: Callable[[list[w.Frame]], None] | None = None) -> bytes:
    frames = w.frames_for(conv.ip_packets(), w.LINKTYPE_ETHERNET)
    if edit is not None:
        edit(frames)
    out = io.BytesIO()
    w.write_pcap(out, frames, w.LINKTYPE_ETHERNET)
    return out.getvalue()


def _transaction(conv: w.TcpConversation, op: int, tid: int, params: list[int],
                 data: list[bytes] | None = None) -> None:
    conv.send(True, encode.operation_request(op, tid, params))
    for packet in data or []:
        conv.send(False, packet)
    conv.send(False, encode.operation_response(OK, tid))


def _object_info(size: int, name: str = "IMG_0001.JPG") -> bytes:
    return ptp.object_info(ptp.ObjectInfo(0x00010001, 0x3801, size, name))


def start_data_totals() -> bytes:
    """Start Data announcing 2^63 and 2^64-2 bytes (both beyond a signed 64-bit column)."""
    conv = _conversation()
    for tid, total in ((1, 1 << 63), (2, (1 << 64) - 2)):
        _transaction(conv, 0x1009, tid, [1], [encode.start_data(tid, total),
                                              encode.end_data(tid, b"tiny")])
    conv.finish()
    return _pcap(conv)


def partial_object_offsets() -> bytes:
    """ObjectInfo of 0xFFFFFFFE bytes; GetPartialObject reads at 0xFFFFFF00 and at 1 GiB."""
    conv = _conversation()
    _transaction(conv, 0x1008, 1, [1], encode.data_phase(1, _object_info(0xFFFFFFFE)))
    for tid, offset in ((2, 0xFFFFFF00), (3, 1 << 30), (4, 0)):
        _transaction(conv, 0x101B, tid, [1, offset, 256],
                     encode.data_phase(tid, bytes([tid]) * 256))
    conv.finish()
    return _pcap(conv)


def lost_data_bodies(count: int = 20) -> bytes:
    """A GetObject whose ``count`` Data packets of 16 MiB each lost their bodies: the camera's
    segments after each header are not in the capture, the host's ACKs say they were sent."""
    conv = _conversation()
    body = (1 << 24) - 12
    conv.send(True, encode.operation_request(0x1009, 1, [1]))
    conv.send(False, encode.start_data(1, count * body))
    header = struct.pack("<III", body + 12, 10, 1)  # Data, transaction 1, body not written
    for _ in range(count):
        conv.send(False, header)
        # The body's sequence space is used but no segment of it is written; the host's ACK
        # for it is then what tells a reader the bytes existed.
        conv._next[1] = (conv._next[1] + body) & 0xFFFFFFFF
        conv._add(True, ACK)
    conv.send(False, encode.end_data(1))
    conv.send(False, encode.operation_response(OK, 1))
    conv.finish()
    return _pcap(conv)


def dataset_counts() -> bytes:
    """Datasets whose array counts say 2^32-1 elements with a few bytes behind them."""
    conv = _conversation()
    huge = struct.pack("<I", 0xFFFFFFFF)
    handles = huge + struct.pack("<II", 1, 2)
    info = struct.pack("<HIH", 100, 6, 100) + b"\x00" + struct.pack("<H", 0) + huge + b"\x01\x00"
    _transaction(conv, 0x1004, 1, [], encode.data_phase(1, handles))
    _transaction(conv, 0x1007, 2, [0xFFFFFFFF, 0, 0], encode.data_phase(2, handles))
    _transaction(conv, 0x1001, 3, [], encode.data_phase(3, info))
    conv.finish()
    return _pcap(conv)


def ptpip_lengths() -> bytes:
    """PTP/IP headers with lengths 0, 7, 8, 9, 2^31 and 2^32-1 between good packets."""
    conv = _conversation()
    for tid, length in enumerate((0, 7, 8, 9, 1 << 31, 0xFFFFFFFF), start=1):
        conv.send(True, struct.pack("<II", length, 6) + b"\x01\x00\x00\x00")
        _transaction(conv, 0x1001, tid, [])
    conv.finish()
    return _pcap(conv)


def ip_lengths() -> bytes:
    """IPv4 total lengths 0, 7, 8, 9 and 0xFFFF, an IPv6 payload length of 0xFFFF, and TCP
    data offsets below 5, on frames of a session that is otherwise fine."""
    conv = _conversation()
    for tid in range(1, 8):
        _transaction(conv, 0x1001, tid, [])
    conv.finish()

    def edit(frames: list[w.Frame]) -> None:
        requests = [f for f in frames if len(f.data) > 54 and f.data[14 + 20 + 13] & PSH
                    and f.data[14 + 22:14 + 24] == b"\x3d\x7c"][-7:]
        for frame, total in zip(requests, (0, 7, 8, 9, 0xFFFF), strict=False):
            frame.data = frame.data[:16] + struct.pack("!H", total) + frame.data[18:]
        frame = requests[5]
        frame.data = frame.data[:14 + 32] + b"\x30" + frame.data[14 + 33:]  # data offset 3
        v6 = w.ip_tcp("2001:db8::2", 50002, "2001:db8::1", 15740, 1, 1, ACK, b"x" * 20)
        v6 = v6[:4] + b"\xff\xff" + v6[6:]
        frames.insert(len(frames) - 3, w.Frame(frames[-4].time, w.link_frame(1, v6)))

    return _pcap(conv, edit)


def _one_transaction(edit: Callable[[list[w.Frame]], None]) -> bytes:
    """The session with a GetDeviceInfo, its frames edited before they are written."""
    conv = _conversation()
    _transaction(conv, 0x1001, 1, [])
    conv.finish()
    return _pcap(conv, edit)


def timestamps_backwards() -> bytes:
    """An answer stamped an hour before its request (a clock step during the capture)."""

    def edit(frames: list[w.Frame]) -> None:
        for frame in frames[-6:]:
            frame.time -= 3600.0

    return _one_transaction(edit)


def clock_at_epoch() -> bytes:
    """The answers stamped in January 1970 (a clock that was never set), 54 years before the
    request: as many 100 ms intervals between them as there are bytes in 127 GiB."""

    def edit(frames: list[w.Frame]) -> None:
        for frame in frames[-6:]:
            frame.time = 1.0 + frame.time % 1.0

    return _one_transaction(edit)


def caplen_over_len() -> bytes:
    """Records whose captured length is larger than the frame's length on the wire."""

    def edit(frames: list[w.Frame]) -> None:
        for frame in frames[3:6]:
            frame.wire_length = len(frame.data) - 10

    return _one_transaction(edit)


def snaplen_cuts() -> bytes:
    """Frames cut by a snapshot length inside each header: Ethernet (10 bytes kept), IPv4 (20),
    TCP (40) and the PTP/IP header (58), the wire lengths telling what was there."""

    def edit(frames: list[w.Frame]) -> None:
        payload = [f for f in frames if len(f.data) > 54]
        for frame, keep in zip(payload[-4:], (10, 20, 40, 58), strict=True):
            frame.wire_length, frame.data = len(frame.data), frame.data[:keep]

    return _one_transaction(edit)


def ends_inside_header() -> bytes:
    """Each direction ends inside a PTP/IP packet header: 5 bytes of it, then FIN."""
    conv = _conversation()
    conv.send(True, encode.operation_request(0x1001, 1)[:5])
    conv.send(False, encode.operation_response(OK, 1)[:5])
    conv.finish()
    return _pcap(conv)


def terminal_escapes() -> bytes:
    """Escape sequences and control characters in every wire string that gets printed: the
    Init names, DeviceInfo strings, an ObjectInfo filename."""
    conv = w.TcpConversation(HOST, CAMERA)
    conv.handshake()
    conv.send(True, encode.init_command_request(GUID, "host" + ESCAPES))
    conv.send(False, encode.init_command_ack(1, CAMERA_GUID, ESCAPES))
    _transaction(conv, 0x1002, 0, [1])
    info = ptp.device_info(ptp.DeviceInfo(
        vendor_extension_id=6, vendor_extension_desc="desc" + ESCAPES, operations=[0x1001],
        events=[], properties=[], capture_formats=[], image_formats=[0x3801],
        manufacturer="maker" + ESCAPES, model="model\r\x1b[31m", device_version="1\x00\x08",
        serial_number="\x9b2J"))
    _transaction(conv, 0x1001, 1, [], encode.data_phase(1, info))
    _transaction(conv, 0x1008, 2, [1], encode.data_phase(2, _object_info(4, ESCAPES + ".JPG")))
    _transaction(conv, 0x1009, 3, [1], encode.data_phase(3, b"\xff\xd8\xff\xd9"))
    conv.finish()
    return _pcap(conv)


def ends_inside_gapped_packet() -> bytes:
    """The capture stops inside a Data packet that already lost a segment to a gap, and inside
    an Operation Request whose middle was lost."""
    conv = _conversation()
    conv.send(True, encode.operation_request(0x1009, 1, [1]))
    conv.send(False, encode.start_data(1, 40_000))
    packet = encode.data(1, bytes(range(256)) * 160)
    cut = conv.send(False, packet[:10_000], mss=1000)
    conv.send(True, encode.operation_request(0x9999, 2, [1, 2, 3, 4, 5]), mss=10)
    lost = {id(cut[3]), id(cut[4]), id(conv.segments[-3])}
    conv.segments = [s for s in conv.segments if id(s) not in lost]
    return _pcap(conv)


def _session_pcap() -> bytes:
    conv = _conversation()
    _transaction(conv, 0x1001, 1, [], encode.data_phase(1, b"\x64\x00" + bytes(60)))
    conv.finish()
    return _pcap(conv)


def _session_pcapng() -> bytes:
    conv = _conversation()
    _transaction(conv, 0x1001, 1, [])
    conv.finish()
    out = io.BytesIO()
    frames = w.frames_for(conv.ip_packets(), w.LINKTYPE_ETHERNET)
    w.write_pcapng(out, [(0, f) for f in frames], [w.Interface(w.LINKTYPE_ETHERNET)])
    return out.getvalue()


def pcap_truncated(at: str) -> bytes:
    """The session cut inside the file header, a record header, or a frame's bytes."""
    data = _session_pcap()
    third = 24 + sum(16 + n for n in _pcap_record_sizes(data)[:2])
    cut = {"file-header": 10, "record-header": third + 9, "frame": third + 16 + 30}[at]
    return data[:cut]


def _pcap_record_sizes(data: bytes) -> list[int]:
    sizes, pos = [], 24
    while pos + 16 <= len(data):
        incl = struct.unpack_from("<I", data, pos + 8)[0]
        sizes.append(incl)
        pos += 16 + incl
    return sizes


def pcap_record_length(incl: int) -> bytes:
    """The third record's captured length replaced by ``incl`` (0, 7, 8, 9, 2^31, 2^32-1)."""
    data = bytearray(_session_pcap())
    third = 24 + sum(16 + n for n in _pcap_record_sizes(bytes(data))[:2])
    struct.pack_into("<I", data, third + 8, incl)
    return bytes(data)


def _pcapng_blocks(data: bytes) -> list[int]:
    """File offsets of the pcapng blocks."""
    out, pos = [], 0
    while pos + 8 <= len(data):
        out.append(pos)
        pos += struct.unpack_from("<I", data, pos + 4)[0]
    return out


def pcapng_truncated(at: str) -> bytes:
    """The pcapng session cut inside the section header, the interface block, or a packet."""
    data = _session_pcapng()
    blocks = _pcapng_blocks(data)
    cut = {"section-header": 10, "interface-block": blocks[1] + 13,
           "packet-block": blocks[4] + 40}[at]
    return data[:cut]


def pcapng_block_length(length: int) -> bytes:
    """The third packet block's total length replaced by ``length``."""
    data = bytearray(_session_pcapng())
    struct.pack_into("<I", data, _pcapng_blocks(bytes(data))[4] + 4, length)
    return bytes(data)


def pcapng_captured_length(incl: int) -> bytes:
    """The third packet block's captured length replaced by ``incl``."""
    data = bytearray(_session_pcapng())
    struct.pack_into("<I", data, _pcapng_blocks(bytes(data))[4] + 20, incl)
    return bytes(data)


ABSURD = {"0": 0, "7": 7, "8": 8, "9": 9, "0x80000000": 1 << 31, "0xffffffff": 0xFFFFFFFF}


def _absurd(prefix: str, suffix: str, build: Callable[[int], bytes]
            ) -> dict[str, Callable[[], bytes]]:
    return {f"{prefix}-{name}.{suffix}": (lambda n=n: build(n)) for name, n in ABSURD.items()}


CAPTURES: dict[str, Callable[[], bytes]] = {
    "start-data-totals.pcap": start_data_totals,
    "partial-object-offsets.pcap": partial_object_offsets,
    "lost-data-bodies.pcap": lost_data_bodies,
    "dataset-counts.pcap": dataset_counts,
    "ptpip-lengths.pcap": ptpip_lengths,
    "ip-lengths.pcap": ip_lengths,
    "timestamps-backwards.pcap": timestamps_backwards,
    "clock-at-epoch.pcap": clock_at_epoch,
    "caplen-over-len.pcap": caplen_over_len,
    "terminal-escapes.pcap": terminal_escapes,
    "ends-inside-gapped-packet.pcap": ends_inside_gapped_packet,
    "ends-inside-header.pcap": ends_inside_header,
    "snaplen-cuts.pcap": snaplen_cuts,
    **{f"truncated-pcap-{at}.pcap": (lambda at=at: pcap_truncated(at))
       for at in ("file-header", "record-header", "frame")},
    **{f"truncated-pcapng-{at}.pcapng": (lambda at=at: pcapng_truncated(at))
       for at in ("section-header", "interface-block", "packet-block")},
    **_absurd("pcap-record-length", "pcap", pcap_record_length),
    **_absurd("pcapng-block-length", "pcapng", pcapng_block_length),
    **_absurd("pcapng-captured-length", "pcapng", pcapng_captured_length),
}


# -- big inputs, streamed to a file -------------------------------------------------------------
def write_many_connections(out: BinaryIO, count: int = 20_000) -> None:
    """``count`` concurrent PTP/IP connections: every one opens, sends its Init Command Request
    and gets its Ack before any of them closes."""
    convs = [w.TcpConversation((f"10.{i >> 8 & 255}.{i & 255}.2", 40000 + i % 20000), CAMERA)
             for i in range(count)]

    steps: list[Callable[[w.TcpConversation], object]] = [
        lambda c: c.handshake(),
        lambda c: c.send(True, encode.init_command_request(GUID, "h")),
        lambda c: c.send(False, encode.init_command_ack(1, CAMERA_GUID, "c")),
        lambda c: c.finish()]

    def frames() -> Iterator[w.Frame]:
        for n, step in enumerate(steps):  # each step for every connection, then the next
            for i, conv in enumerate(convs):
                conv.segments.clear()
                conv.time = 1_700_000_000.0 + n * 10 + i * 1e-4
                step(conv)
                yield from w.frames_for(conv.ip_packets(), w.LINKTYPE_ETHERNET)

    w.write_pcap(out, frames(), w.LINKTYPE_ETHERNET)


def write_junk_frames(out: BinaryIO, count: int = 1_000_000, size: int = 16) -> None:
    """One connection to port 15740 carrying ``count`` segments of bytes that are no PTP/IP
    (no plausible header anywhere), each in its own frame."""
    conv = w.TcpConversation(HOST, CAMERA)
    conv.handshake()
    junk = bytes((0x41 + i % 26) for i in range(size))
    first = conv.client_isn + 1

    def frames() -> Iterator[w.Frame]:
        yield from w.frames_for(conv.ip_packets(), w.LINKTYPE_RAW)
        for i in range(count):
            yield w.Frame(conv.time + (i + 1) * 1e-5, junk_segment(first + i * size, junk))

    w.write_pcap(out, frames(), w.LINKTYPE_RAW)


_TEMPLATES: dict[bytes, tuple[bytes, int]] = {}  # junk -> (template packet, its checksum sum)


def junk_segment(seq: int, junk: bytes) -> bytes:
    """``pcap_writer.ip_tcp`` of a host-to-camera segment of ``junk`` at ``seq``, made from one
    template: only the sequence number and the TCP checksum change, and the checksum moves with
    the sequence number's two 16-bit words (RFC 1624), so a million frames take seconds."""
    if junk not in _TEMPLATES:
        template = w.ip_tcp(HOST[0], HOST[1], CAMERA[0], CAMERA[1], 0, 5001, ACK | PSH, junk)
        _TEMPLATES[junk] = (template, ~struct.unpack_from("!H", template, 36)[0] & 0xFFFF)
    template, base = _TEMPLATES[junk]
    seq &= 0xFFFFFFFF
    total = base + (seq >> 16) + (seq & 0xFFFF)
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return b"".join((template[:24], struct.pack("!I", seq), template[28:36],
                     struct.pack("!H", ~total & 0xFFFF), template[38:]))


def write_syn_flood(out: BinaryIO, count: int = 150_000) -> None:
    """``count`` connection attempts (a SYN each, never answered) to port 80: no PTP/IP at all,
    but every one is a TCP stream the flow table must not remember forever."""

    def frames() -> Iterator[w.Frame]:
        for i in range(count):
            yield w.Frame(1_700_000_000.0 + i * 1e-5, w.ip_tcp(
                f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", 40000 + i % 20000, CAMERA[0],
                80, i, 0, SYN))

    w.write_pcap(out, frames(), w.LINKTYPE_RAW)
