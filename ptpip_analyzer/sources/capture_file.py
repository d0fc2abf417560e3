"""Streaming readers for classic pcap and pcapng: captured frames out, one at a time.

Own fast path rather than a library: dpkt's and scapy's readers build an object (and for scapy
a whole dissection) per record; here a record costs one ``unpack_from`` on a 1 MiB chunk and a
memoryview slice, so frame bytes are never copied (see benchmarks/ for the measurement).
Formats: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html) and pcapng
(draft-ietf-opsawg-pcapng): SHB/IDB/EPB/SPB/PB, both byte orders, if_tsresol, if_tsoffset.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

CHUNK = 1 << 20
MAX_RECORD = 1 << 26  # a record claiming more than 64 MiB is corruption, not a frame

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"


# Closed by decompressed()'s with-statement, not here.
_COMPRESSED: dict[bytes, Callable[[BinaryIO], io.BufferedIOBase]] = {
    b"\x1f\x8b": lambda raw: gzip.GzipFile(fileobj=raw),
    b"\xfd7zXZ": lambda raw: lzma.LZMAFile(raw),  # noqa: SIM115
    b"BZh": lambda raw: bz2.BZ2File(raw),
}


@contextlib.contextmanager
def decompressed(stream: BinaryIO) -> Iterator[BinaryIO]:
    """The capture inside a gzip/xz/bzip2-compressed file (as Wireshark reads *.pcap.gz),
    decompressed while streaming; any other file as it is. ``stream`` must be seekable."""
    head = stream.read(6)
    stream.seek(0)
    opener = next((o for magic, o in _COMPRESSED.items() if head.startswith(magic)), None)
    if opener is None:
        yield stream
        return
    with opener(stream) as inner:
        yield _Checked(inner)  # type: ignore[misc]  # read() is all a reader needs


class _Checked:
    """A decompressed stream whose errors (corrupt or cut-off archive) become CaptureError,
    after everything decompressed before the damage has been handed out."""

    def __init__(self, inner: io.BufferedIOBase) -> None:
        self.inner = inner
        self.failure: CaptureError | None = None

    def read(self, n: int = -1) -> bytes:
        if self.failure is not None:
            raise self.failure
        parts: list[bytes] = []
        want = n if n >= 0 else 1 << 62
        while want > 0:
            try:
                part = self.inner.read1(min(want, 1 << 16))  # read1: keep what precedes damage
            except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
                self.failure = CaptureError(f"compressed file is corrupt or truncated ({exc})")
                if not parts:
                    raise self.failure from exc
                break
            if not part:
                break
            parts.append(part)
            want -= len(part)
        return b"".join(parts)


class CaptureError(Exception):
    """The file can't be read as a capture (at all, or from some point on)."""


_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)


class RawFrame(NamedTuple):
    linktype: int
    time: float
    data: memoryview
    wire_length: int


def open_frames(stream: BinaryIO) -> Iterator[RawFrame]:
    """Frames of a pcap or pcapng stream in file order. Raises CaptureError on bad input."""
    magic = stream.read(4)
    if magic in PCAP_MAGICS:
        return _pcap_frames(stream, magic)
    if magic == PCAPNG_SHB:
        return _pcapng_frames(stream, magic)
    if len(magic) < 4:
        raise CaptureError("file is empty or shorter than any capture header")
    raise CaptureError(f"not a pcap or pcapng file (starts with {magic.hex()})")


class _Chunks:
    """A window over the file: ``need(n)`` guarantees n bytes from ``pos`` or returns False."""

    __slots__ = ("buf", "consumed", "pos", "stream")

    def __init__(self, stream: BinaryIO, initial: bytes = b"") -> None:
        self.stream = stream
        self.buf = initial
        self.pos = 0
        self.consumed = 0  # file offset of buf[0]

    def need(self, n: int) -> bool:
        if self.pos + n <= len(self.buf):
            return True
        rest = self.buf[self.pos:]
        self.consumed += self.pos
        more = self.stream.read(max(CHUNK, n - len(rest)))
        self.buf = rest + more
        self.pos = 0
        return n <= len(self.buf)

    def offset(self) -> int:
        return self.consumed + self.pos


def _pcap_frames(stream: BinaryIO, magic: bytes) -> Iterator[RawFrame]:
    endian, unit = PCAP_MAGICS[magic]
    chunks = _Chunks(stream, magic)
    if not chunks.need(24):
        raise CaptureError("pcap file header is truncated")
    linktype = struct.unpack_from(endian + "I", chunks.buf, 20)[0] & 0x0FFFFFFF
    chunks.pos = 24
    record = struct.Struct(endian + "IIII").unpack_from
    frame = 0
    while True:
        buf, pos = chunks.buf, chunks.pos
        size = len(buf)
        view = memoryview(buf)
        while pos + 16 <= size:
            sec, frac, incl, orig = record(buf, pos)
            end = pos + 16 + incl
            if end > size:
                break
            frame += 1
            yield _new_tuple(RawFrame, (linktype, sec + frac * unit, view[pos + 16:end], orig))
            pos = end
        chunks.pos = pos
        if not _refill_pcap(chunks, record, frame + 1):
            return


def _refill_pcap(chunks: _Chunks, record: Callable[[bytes, int], tuple[int, ...]],
                 frame: int) -> bool:
    """Make the next whole record available; False at a clean end of file."""
    at = chunks.offset()
    if not chunks.need(16):
        if len(chunks.buf) - chunks.pos == 0:
            return False
        raise CaptureError(f"file truncated in the record header of frame {frame} "
                           f"(file offset {at})")
    incl = record(chunks.buf, chunks.pos)[2]
    if incl > MAX_RECORD:
        raise CaptureError(f"frame {frame}: record claims {incl} bytes (file offset {at}); "
                           "the file is corrupt from here on")
    if not chunks.need(16 + incl):
        have = len(chunks.buf) - chunks.pos - 16
        raise CaptureError(f"file truncated in frame {frame}: {have} of {incl} bytes present "
                           f"(file offset {at})")
    return True


class _Interface(NamedTuple):
    linktype: int
    ticks_per_second: int
    unit: float
    offset: float
    snaplen: int


def _pcapng_frames(stream: BinaryIO, magic: bytes) -> Iterator[RawFrame]:
    chunks = _Chunks(stream, magic)
    endian = "<"
    interfaces: list[_Interface] = []
    frame = 0
    while True:
        # Fast path: the run of well-formed Enhanced Packet Blocks already in the buffer.
        buf, pos, epb = chunks.buf, chunks.pos, _EPB_HEAD[endian]
        size, view, known = len(buf), memoryview(buf), len(interfaces)
        while pos + 28 <= size:
            btype, blen, ifid, hi, lo, incl, orig = epb(buf, pos)
            if btype != 6 or blen & 3 or blen < 32 + incl or pos + blen > size or ifid >= known:
                break  # anything unusual: the general path below decides
            iface = interfaces[ifid]
            sec, frac = divmod((hi << 32) | lo, iface.ticks_per_second)
            frame += 1
            yield _new_tuple(RawFrame, (iface.linktype, sec + frac * iface.unit + iface.offset,
                                        view[pos + 28:pos + 28 + incl], orig))
            pos += blen
        chunks.pos = pos
        at = chunks.offset()
        if not chunks.need(12):
            if len(chunks.buf) - chunks.pos == 0:
                return
            raise CaptureError(f"file truncated in a block header (file offset {at})")
        btype_raw = bytes(chunks.buf[chunks.pos:chunks.pos + 4])
        if btype_raw == PCAPNG_SHB:
            endian = _section_endian(chunks.buf, chunks.pos + 8, at)
            interfaces = []
        btype, blen = struct.unpack_from(endian + "II", chunks.buf, chunks.pos)
        if blen < 12 or blen % 4 or blen > MAX_RECORD:
            raise CaptureError(f"corrupt pcapng block at file offset {at} (length {blen}) "
                               f"after frame {frame}")
        if not chunks.need(blen):
            raise CaptureError(f"file truncated in a pcapng block at file offset {at} "
                               f"(frame {frame + 1})")
        body = memoryview(chunks.buf)[chunks.pos + 8:chunks.pos + blen - 4]
        chunks.pos += blen
        if btype in _MIN_BODY and len(body) < _MIN_BODY[btype]:
            raise CaptureError(f"corrupt pcapng block at file offset {at}: type {btype} "
                               f"needs {_MIN_BODY[btype]} body bytes, has {len(body)}")
        if btype == 1:
            interfaces.append(_read_idb(body, endian, at))
        elif btype in (6, 3, 2):
            frame += 1
            yield _packet_block(btype, body, endian, interfaces, frame, at)


_EPB_HEAD = {e: struct.Struct(e + "IIIIIII").unpack_from for e in "<>"}
# Fixed part of each block body we read (IDB, obsolete PB, SPB, EPB); a shorter block would
# make struct raise instead of CaptureError.
_MIN_BODY = {1: 8, 2: 20, 3: 4, 6: 20}


def _section_endian(buf: bytes, bom_at: int, at: int) -> str:
    bom = bytes(buf[bom_at:bom_at + 4])
    if bom == b"\x4d\x3c\x2b\x1a":
        return "<"
    if bom == b"\x1a\x2b\x3c\x4d":
        return ">"
    raise CaptureError(f"pcapng section header at file offset {at} has a bad byte-order magic")


def _read_idb(body: memoryview, endian: str, at: int) -> _Interface:
    linktype, _reserved, snaplen = struct.unpack_from(endian + "HHI", body, 0)
    per_second, offset = 10 ** 6, 0.0
    pos = 8
    while pos + 4 <= len(body):
        code, olen = struct.unpack_from(endian + "HH", body, pos)
        value = body[pos + 4:pos + 4 + olen]
        if code == 0:
            break
        if len(value) < olen:
            raise CaptureError(f"corrupt interface description block at file offset {at}: "
                               f"option {code} runs past the end of the block")
        if code == 9 and olen >= 1:  # if_tsresol: 10^-v, or 2^-v when the high bit is set
            v = value[0]
            per_second = 1 << (v & 0x7F) if v & 0x80 else 10 ** v
        elif code == 14 and olen == 8:  # if_tsoffset, seconds
            offset = float(struct.unpack_from(endian + "q", value, 0)[0])
        pos += 4 + olen + (-olen % 4)
    return _Interface(linktype, per_second, 1 / per_second, offset, snaplen or 0xFFFFFFFF)


def _packet_block(btype: int, body: memoryview, endian: str, interfaces: list[_Interface],
                  frame: int, at: int) -> RawFrame:
    if btype == 3:  # Simple Packet Block: interface 0, no timestamp, snaplen-bound
        iface = _interface(interfaces, 0, frame, at)
        orig = struct.unpack_from(endian + "I", body, 0)[0]
        incl = min(orig, iface.snaplen, len(body) - 4)
        return RawFrame(iface.linktype, 0.0, body[4:4 + incl], orig)
    if btype == 6:
        ifid, hi, lo, incl, orig = struct.unpack_from(endian + "IIIII", body, 0)
    else:  # obsolete Packet Block: u16 interface id, u16 drops count
        ifid, _drops, hi, lo, incl, orig = struct.unpack_from(endian + "HHIIII", body, 0)
    iface = _interface(interfaces, ifid, frame, at)
    if 20 + incl > len(body):
        raise CaptureError(f"frame {frame}: packet block at file offset {at} claims {incl} "
                           "captured bytes but is shorter")
    # Whole seconds first, as pcap does: ticks * unit in one step rounds a 64-bit tick count
    # to 53 bits and is one ulp off for about a third of nanosecond timestamps.
    sec, frac = divmod((hi << 32) | lo, iface.ticks_per_second)
    ts = sec + frac * iface.unit + iface.offset
    return RawFrame(iface.linktype, ts, body[20:20 + incl], orig)


def _interface(interfaces: list[_Interface], ifid: int, frame: int, at: int) -> _Interface:
    if ifid >= len(interfaces):
        raise CaptureError(f"frame {frame}: packet block at file offset {at} names interface "
                           f"{ifid}, which the section did not describe")
    return interfaces[ifid]
