"""Sans-IO readers for classic pcap and pcapng: capture bytes in, captured frames out.

``CaptureReader`` takes bytes as they come (``push``/``feed``), from a file, a pipe or a live
dumpcap, and hands out every frame that is complete; a short tail means "need more" until
``end``/``close``, so a capture that is still being written can be followed. gzip, xz and bzip2
input is decompressed incrementally, in bounded pieces (a small archive can't make one huge
buffer). Errors never raise: reading stops, ``error`` says why and where, and every frame before
the damage has been handed out.

Own fast path rather than a library: dpkt's and scapy's readers build an object (and for scapy
a whole dissection) per record; here a record costs one ``unpack_from`` on the buffer and a
memoryview slice, so frame bytes are never copied (see benchmarks/ for the measurement).
Formats: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html) and pcapng
(draft-ietf-opsawg-pcapng): SHB/IDB/EPB/SPB/PB/ISB, both byte orders, if_tsresol, if_tsoffset.
"""

from __future__ import annotations

import bz2
import lzma
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, NamedTuple

CHUNK = 1 << 20  # how much a file source reads at once; also the decompressor's piece size
MAX_RECORD = 1 << 26  # a record claiming more than 64 MiB is corruption, not a frame
MAX_INTERFACES = 1 << 16  # per pcapng section; more is a corrupt (or hostile) file
# Packet comments (pcapng opt_comment) kept per capture, by frame number; past this many they
# are no longer kept (an excerpt comments every frame, with its original number)
MAX_COMMENTS = 1 << 16
MAX_COMMENT_BYTES = 1 << 10  # of each comment

PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
PCAPNG_SHB = b"\x0a\x0d\x0d\x0a"
_COMPRESSED_MAGICS = {b"\x1f\x8b": "gzip", b"\xfd7zXZ": "xz", b"BZh": "bzip2"}
_SNIFF = 6  # bytes needed to tell a compressed file from a capture


class CaptureError(Exception):
    """The input can't be read as a capture (at all, or from some point on)."""


_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)


class RawFrame(NamedTuple):
    linktype: int
    time: float
    data: memoryview
    wire_length: int


class _Interface(NamedTuple):
    linktype: int
    ticks_per_second: int
    unit: float
    offset: float
    snaplen: int


@dataclass(frozen=True, slots=True)
class InterfaceStatistics:
    """A pcapng Interface Statistics Block: what the capturing process counted (dumpcap writes
    one per interface when it stops). ``dropped`` sums isb_ifdrop and isb_osdrop."""

    interface: int
    received: int | None
    dropped: int | None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a buffer of the capture started: enough to resume reading there (record store)."""

    offset: int  # stream offset of a record boundary
    frames_before: int
    state: tuple[Any, ...]  # the format's parsing state at that offset


class _Inflater:
    """Incremental gzip (multi-member), xz or bzip2 decompression in bounded output pieces."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._input = b""
        self._d = self._new()

    def _new(self) -> Any:
        if self.kind == "gzip":
            return zlib.decompressobj(wbits=31)
        return lzma.LZMADecompressor() if self.kind == "xz" else bz2.BZ2Decompressor()

    def push(self, data: bytes) -> None:
        self._input += data

    def pieces(self) -> Iterator[bytes]:
        """Decompressed output, at most CHUNK bytes a piece, as far as the input goes."""
        while True:
            piece = self._step()
            if not piece:
                return
            yield piece

    def _step(self) -> bytes:
        """The next piece of output; b"" when the input so far is used up."""
        while True:
            d = self._d
            if self.kind == "gzip":
                data = d.unconsumed_tail or self._take()
                if not data:
                    return b""
                out = d.decompress(data, CHUNK)
                if d.eof and (d.unused_data or self._input):  # a further gzip member follows
                    self._input = d.unused_data + self._input
                    self._d = self._new()
            else:
                if d.eof:
                    return b""
                data = self._take() if d.needs_input else b""
                if not data and d.needs_input:
                    return b""
                out = d.decompress(data, CHUNK)
            if out:
                return bytes(out)

    def _take(self) -> bytes:
        data, self._input = self._input, b""
        return data

    @property
    def finished(self) -> bool:
        return bool(self._d.eof) and not self._input


class CaptureReader:
    """Bytes of a pcap or pcapng capture (optionally compressed) in, ``RawFrame``s out."""

    def __init__(self) -> None:
        self._buf = b""
        self._pos = 0
        self._base = 0  # stream offset of _buf[0]
        # Input not yet joined to the buffer: a record waiting for ``_need`` bytes (from _pos)
        # gathers its pieces here, so a big record costs one join, not one copy per piece.
        self._pending: list[bytes] = []
        self._pending_len = 0
        self._need = 0
        self._blocked = False  # the pcapng general path waits for more bytes of a block
        self._head = b""  # input held back until the compression magic can be told
        self._inflater: _Inflater | None = None
        self._sniffed = False
        self._ended = False
        self._parse: Callable[[], Iterator[RawFrame]] | None = None
        self.format: str | None = None  # "pcap" or "pcapng", once known
        self.compression: str | None = None
        self.frames_read = 0
        self.error: str | None = None
        self.statistics: list[InterfaceStatistics] = []
        self.comments: dict[int, str] = {}  # frame -> its pcapng packet comment
        self.checkpoints: list[Checkpoint] = []
        self._state: tuple[Any, ...] = ()

    # -- the sans-IO surface ------------------------------------------------------------------
    def feed(self, data: bytes) -> list[RawFrame]:
        """Frames completed by ``data`` (their ``data`` views stay valid)."""
        self.push(data)
        return list(self.frames())

    def close(self) -> list[RawFrame]:
        """The input has ended: the frames still buffered; a cut-off tail sets ``error``."""
        self.end()
        return list(self.frames())

    def push(self, data: bytes) -> None:
        if self.error is not None or not data:
            return
        if not self._sniffed:
            self._head += data
            if len(self._head) < _SNIFF:
                return
            self._sniff()
            return
        self._take(data)

    def end(self) -> None:
        if not self._sniffed:
            self._sniff()
        self._ended = True

    @property
    def offset(self) -> int:
        """Stream offset (decompressed) up to which records have been handed out."""
        return self._base + self._pos

    def frames(self) -> Iterator[RawFrame]:
        """Every frame complete in what was pushed so far (a generator over the buffer)."""
        if self.error is not None:
            return
        if self._inflater is not None:
            yield from self._inflated_frames()
        else:
            yield from self._parsed()
        if self._ended and self.error is None:
            self._check_tail()

    # -- input handling -----------------------------------------------------------------------
    def _sniff(self) -> None:
        self._sniffed = True
        head, self._head = self._head, b""
        kind = next((k for m, k in _COMPRESSED_MAGICS.items() if head.startswith(m)), None)
        if kind is not None:
            self.compression = kind
            self._inflater = _Inflater(kind)
        self._take(head)

    def _take(self, data: bytes) -> None:
        if self._inflater is not None:
            self._inflater.push(data)
        else:
            self._append(data)

    def _append(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_len += len(data)

    def _merge(self) -> None:
        """Join pending input to the buffer once it can complete the record waiting for it."""
        if not self._pending or (self._available() + self._pending_len < self._need
                                 and not self._ended):
            return
        rest = self._buf[self._pos:]
        self._base += self._pos
        self._buf = b"".join([rest, *self._pending]) if rest or len(self._pending) > 1 \
            else self._pending[0]
        self._pos, self._need = 0, 0
        self._pending, self._pending_len = [], 0
        if self._parse is not None:
            self.checkpoints.append(Checkpoint(self._base, self.frames_read, self._state))

    def _inflated_frames(self) -> Iterator[RawFrame]:
        assert self._inflater is not None
        try:
            for piece in self._inflater.pieces():
                self._append(piece)
                yield from self._parsed()
                if self.error is not None:
                    return
        except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as exc:
            yield from self._parsed()
            self._fail(f"compressed file is corrupt or truncated ({exc})")
            return
        if self._ended and not self._inflater.finished:
            yield from self._parsed()
            self._fail("compressed file is corrupt or truncated (the archive ends early)")

    def _parsed(self) -> Iterator[RawFrame]:
        self._merge()
        if self._parse is None and not self._detect():
            return
        assert self._parse is not None
        yield from self._parse()

    def _detect(self) -> bool:
        if len(self._buf) < 4:
            if self._ended and (self._inflater is None or self._inflater.finished):
                self._fail("file is empty or shorter than any capture header")
            return False
        magic = self._buf[:4]
        if magic in PCAP_MAGICS:
            self.format, self._parse = "pcap", self._pcap_frames
        elif magic == PCAPNG_SHB:
            self.format, self._parse = "pcapng", self._pcapng_frames
            self._state = ("<", [])
        else:
            self._fail(f"not a pcap or pcapng file (starts with {magic.hex()})")
            return False
        self.checkpoints.append(Checkpoint(self._base, self.frames_read, self._state))
        return True

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message

    def _available(self) -> int:
        return len(self._buf) - self._pos

    # -- pcap ---------------------------------------------------------------------------------
    def _pcap_frames(self) -> Iterator[RawFrame]:
        if not self._state:
            if self._available() < 24:
                self._need = 24
                return
            endian, unit = PCAP_MAGICS[self._buf[:4]]
            linktype = struct.unpack_from(endian + "I", self._buf, 20)[0] & 0x0FFFFFFF
            self._state = (endian, unit, linktype)
            self._pos = 24
        endian, unit, linktype = self._state
        record = _PCAP_RECORD[endian]
        buf, pos = self._buf, self._pos
        size, view, frame = len(buf), memoryview(buf), self.frames_read
        try:
            while pos + 16 <= size:
                sec, frac, incl, orig = record(buf, pos)
                end = pos + 16 + incl
                if end > size:
                    if incl > MAX_RECORD:
                        self._fail(f"frame {frame + 1}: record claims {incl} bytes (file offset "
                                   f"{self._base + pos}); the file is corrupt from here on")
                    self._need = 16 + incl
                    break
                frame += 1
                yield _new_tuple(RawFrame, (linktype, sec + frac * unit, view[pos + 16:end],
                                            orig))
                pos = end
        finally:
            self._pos, self.frames_read = pos, frame

    # -- pcapng -------------------------------------------------------------------------------
    def _pcapng_frames(self) -> Iterator[RawFrame]:
        while self.error is None:
            yield from self._epb_run()
            if self._available() < 12:
                self._need = 12
                return
            frame = self._general_block()
            if frame is None:
                if self._blocked:
                    return
                continue
            self.frames_read += 1
            yield frame



    def _epb_run(self) -> Iterator[RawFrame]:
        """The run of well-formed Enhanced Packet Blocks already in the buffer (fast path)."""
        endian, interfaces = self._state
        buf, pos, epb = self._buf, self._pos, _EPB_HEAD[endian]
        size, view, known, frame = len(buf), memoryview(buf), len(interfaces), self.frames_read
        try:
            while pos + 28 <= size:
                btype, blen, ifid, hi, lo, incl, orig = epb(buf, pos)
                if btype != 6 or blen & 3 or blen < 32 + incl or pos + blen > size \
                        or ifid >= known:
                    break  # anything unusual: the general path decides
                iface = interfaces[ifid]
                sec, frac = divmod((hi << 32) | lo, iface.ticks_per_second)
                frame += 1
                if blen > 35 + incl:  # options follow the (padded) packet data
                    self._comment(frame, view[pos + 8:pos + blen - 4], endian, incl)
                yield _new_tuple(RawFrame, (iface.linktype,
                                            sec + frac * iface.unit + iface.offset,
                                            view[pos + 28:pos + 28 + incl], orig))
                pos += blen
        finally:
            self._pos, self.frames_read = pos, frame

    def _general_block(self) -> RawFrame | None:
        """One block of any kind; a frame for packet blocks, None otherwise (or when the block
        is not all there yet: then ``_blocked`` is set)."""
        buf, pos = self._buf, self._pos
        at = self._base + pos
        endian, interfaces = self._state
        if buf[pos:pos + 4] == PCAPNG_SHB:
            endian = _section_endian(buf, pos + 8)
            if endian is None:
                self._fail(f"pcapng section header at file offset {at} has a bad byte-order "
                           "magic")
                return None
            interfaces = []  # a new section describes its interfaces afresh
        btype, blen = struct.unpack_from(endian + "II", buf, pos)
        if blen < 12 or blen % 4 or blen > MAX_RECORD:
            self._fail(f"corrupt pcapng block at file offset {at} (length {blen}) after frame "
                       f"{self.frames_read}")
            return None
        self._blocked = self._available() < blen
        if self._blocked:
            self._need = blen
            return None
        body = memoryview(buf)[pos + 8:pos + blen - 4]
        self._pos += blen
        self._state = (endian, interfaces)
        if btype in _MIN_BODY and len(body) < _MIN_BODY[btype]:
            self._fail(f"corrupt pcapng block at file offset {at}: type {btype} needs "
                       f"{_MIN_BODY[btype]} body bytes, has {len(body)}")
            return None
        return self._block(btype, body, endian, interfaces, at)

    def _block(self, btype: int, body: memoryview, endian: str,
               interfaces: list[_Interface], at: int) -> RawFrame | None:
        if btype == 1:
            iface = _read_idb(body, endian, at)
            if isinstance(iface, str):
                self._fail(iface)
                return None
            if len(interfaces) >= MAX_INTERFACES:
                self._fail(f"pcapng section at file offset {at} describes more than "
                           f"{MAX_INTERFACES} interfaces: corrupt")
                return None
            interfaces.append(iface)  # appended in place: checkpoints share it, harmlessly
        elif btype == 5:
            stats = _read_isb(body, endian)  # the latest per interface (dumpcap: one at the end)
            self.statistics = [s for s in self.statistics if s.interface != stats.interface]
            self.statistics.append(stats)
        elif btype in (6, 3, 2):
            frame = _packet_block(btype, body, endian, interfaces, self.frames_read + 1, at)
            if isinstance(frame, str):
                self._fail(frame)
                return None
            if btype == 6:
                self._comment(self.frames_read + 1, body, endian, len(frame.data))
            return frame
        return None

    def _comment(self, frame: int, body: memoryview, endian: str, incl: int) -> None:
        """An Enhanced Packet Block's opt_comment (code 1, UTF-8), kept by frame number."""
        if len(self.comments) >= MAX_COMMENTS:
            return
        for code, value in _options(body, endian, 20 + incl + (-incl % 4)):
            if code == 1:
                text = bytes(value[:MAX_COMMENT_BYTES]).decode("utf-8", "replace")
                self.comments[frame] = text
                return

    # -- the end ------------------------------------------------------------------------------
    def _check_tail(self) -> None:
        left = self._available()
        if self._parse is None:
            self._detect()
            return
        if left == 0 or self.error is not None:
            return
        at, frame = self.offset, self.frames_read + 1
        if self.format == "pcap":
            self._fail(self._pcap_tail(left, at, frame))
        elif left < 12:
            self._fail(f"file truncated in a block header (file offset {at})")
        else:
            self._fail(f"file truncated in a pcapng block at file offset {at} (frame {frame})")

    def _pcap_tail(self, left: int, at: int, frame: int) -> str:
        if not self._state:
            return "pcap file header is truncated"
        if left < 16:
            return f"file truncated in the record header of frame {frame} (file offset {at})"
        incl = _PCAP_RECORD[self._state[0]](self._buf, self._pos)[2]
        return f"file truncated in frame {frame}: {left - 16} of {incl} bytes present " \
               f"(file offset {at})"


_PCAP_RECORD = {e: struct.Struct(e + "IIII").unpack_from for e in "<>"}
_EPB_HEAD = {e: struct.Struct(e + "IIIIIII").unpack_from for e in "<>"}
# Fixed part of each block body we read (IDB, obsolete PB, SPB, ISB, EPB); a shorter block
# would make struct raise instead of setting the error.
_MIN_BODY = {1: 8, 2: 20, 3: 4, 5: 12, 6: 20}


def _section_endian(buf: bytes, bom_at: int) -> str | None:
    bom = bytes(buf[bom_at:bom_at + 4])
    return {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}.get(bom)


def _options(body: memoryview, endian: str, pos: int) -> Iterator[tuple[int, memoryview]]:
    """A block's options as (code, value); stops at opt_endofopt or a truncated option."""
    while pos + 4 <= len(body):
        code, olen = struct.unpack_from(endian + "HH", body, pos)
        if code == 0:
            return
        value = body[pos + 4:pos + 4 + olen]
        if len(value) < olen:
            yield -1, value
            return
        yield code, value
        pos += 4 + olen + (-olen % 4)


def _read_idb(body: memoryview, endian: str, at: int) -> _Interface | str:
    linktype, _reserved, snaplen = struct.unpack_from(endian + "HHI", body, 0)
    per_second, offset = 10 ** 6, 0.0
    for code, value in _options(body, endian, 8):
        if code < 0:
            return f"corrupt interface description block at file offset {at}: an option " \
                   "runs past the end of the block"
        if code == 9 and len(value) >= 1:  # if_tsresol: 10^-v, or 2^-v when the high bit is set
            v = value[0]
            per_second = 1 << (v & 0x7F) if v & 0x80 else 10 ** min(v, 18)
        elif code == 14 and len(value) == 8:  # if_tsoffset, seconds
            offset = float(struct.unpack_from(endian + "q", value, 0)[0])
    return _Interface(linktype, per_second, 1 / per_second, offset, snaplen or 0xFFFFFFFF)


def _read_isb(body: memoryview, endian: str) -> InterfaceStatistics:
    ifid = struct.unpack_from(endian + "I", body, 0)[0]
    counts: dict[int, int] = {}
    for code, value in _options(body, endian, 12):
        if code in (4, 5, 7) and len(value) == 8:  # isb_ifrecv, isb_ifdrop, isb_osdrop
            counts[code] = struct.unpack_from(endian + "Q", value, 0)[0]
    drops = [counts[c] for c in (5, 7) if c in counts]
    return InterfaceStatistics(ifid, counts.get(4), sum(drops) if drops else None)


def _packet_block(btype: int, body: memoryview, endian: str,
                  interfaces: list[_Interface], frame: int, at: int) -> RawFrame | str:
    if btype == 3:  # Simple Packet Block: interface 0, no timestamp, snaplen-bound
        if not interfaces:
            return _no_interface(0, frame, at)
        iface = interfaces[0]
        orig = struct.unpack_from(endian + "I", body, 0)[0]
        incl = min(orig, iface.snaplen, len(body) - 4)
        return RawFrame(iface.linktype, 0.0, body[4:4 + incl], orig)
    if btype == 6:
        ifid, hi, lo, incl, orig = struct.unpack_from(endian + "IIIII", body, 0)
    else:  # obsolete Packet Block: u16 interface id, u16 drops count
        ifid, _drops, hi, lo, incl, orig = struct.unpack_from(endian + "HHIIII", body, 0)
    if ifid >= len(interfaces):
        return _no_interface(ifid, frame, at)
    iface = interfaces[ifid]
    if 20 + incl > len(body):
        return f"frame {frame}: packet block at file offset {at} claims {incl} captured bytes " \
               "but is shorter"
    # Whole seconds first, as pcap does: ticks * unit in one step rounds a 64-bit tick count
    # to 53 bits and is one ulp off for about a third of nanosecond timestamps.
    sec, frac = divmod((hi << 32) | lo, iface.ticks_per_second)
    return RawFrame(iface.linktype, sec + frac * iface.unit + iface.offset,
                    body[20:20 + incl], orig)


def _no_interface(ifid: int, frame: int, at: int) -> str:
    return f"frame {frame}: packet block at file offset {at} names interface {ifid}, which " \
           "the section did not describe"


def resume(checkpoint: Checkpoint, fmt: str) -> CaptureReader:
    """A reader that continues at ``checkpoint`` (bytes from its offset on are pushed next)."""
    reader = CaptureReader()
    reader._sniffed = True
    reader.format = fmt
    reader._parse = reader._pcap_frames if fmt == "pcap" else reader._pcapng_frames
    reader._state = checkpoint.state
    reader._base = checkpoint.offset
    reader.frames_read = checkpoint.frames_before
    return reader


def open_frames(stream: BinaryIO) -> Iterator[RawFrame]:
    """Frames of a pcap or pcapng file object in file order; raises CaptureError on bad input
    (before the first frame when the input is no capture at all)."""
    reader = CaptureReader()
    first = reader.feed(stream.read(CHUNK))
    if reader.error is not None and not first:
        raise CaptureError(reader.error)
    return _frames_of(reader, stream, first)


def _frames_of(reader: CaptureReader, stream: BinaryIO,
               first: list[RawFrame]) -> Iterator[RawFrame]:
    yield from first
    while reader.error is None:
        data = stream.read(CHUNK)
        if not data:
            break
        reader.push(data)
        yield from reader.frames()
    yield from reader.close()
    if reader.error is not None:
        raise CaptureError(reader.error)
