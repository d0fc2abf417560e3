"""Framing: cut PTP/IP packets out of one direction of a reassembled byte stream.

Sans-IO: the reassembler calls ``data()`` and ``gap()`` with contiguous stream ranges; records
(``Pdu``, ``Gap``, ``Malformed``) are appended to ``out`` in stream order. Every stream byte
ends up counted in exactly one of ``packet_bytes``, ``gap_bytes``, ``malformed_bytes`` (or in the
unit still being assembled, until ``close()``).

Bulk Data / End Data bodies are counted, not copied, unless the data phase is small: a Start
Data announcing at most ``keep_payload`` bytes makes the following Data / End Data packets keep
their payload (datasets such as DeviceInfo or ObjectInfo are decoded from it); big object
transfers stay on the per-segment fast path, a few integer operations in the middle of a packet.
After a bad header or a gap whose far side is not at a known packet boundary, the framer hunts
for the next plausible header, confirmed by the header that follows it (PROTOCOL.md: framing works
on the reassembled stream; a length below 8 is malformed).
"""

from __future__ import annotations

import bisect
import enum
import re
import struct

from .decode.codes import DATA_PACKET_TYPES, PARAMS_START, packet_type_name
from .model import Buffer, DataHead, Direction, Gap, Malformed, Pdu
from .protocol import HEADER, LENGTH_BOUNDS, PacketType

_HEADER = HEADER.unpack_from
_TID = struct.Struct("<I").unpack_from
_U64 = struct.Struct("<Q").unpack_from
UNKNOWN_LENGTH = 0xFFFFFFFFFFFFFFFF
KEEP_ALL = 1 << 64  # keep_payload value that keeps every data phase's payload
DEFAULT_MAX_LENGTH = 1 << 30
HUNT_WINDOW = 1 << 18
MAX_KEPT = 1 << 24  # a Data packet larger than this is counted, never buffered
# Zero bytes standing in for lost bytes of kept Data payloads, per data phase (from one Start
# Data to the next): past it the phase's payload is no longer kept, only counted.
MAX_ZERO_FILL = 1 << 22
# Candidate headers: any 4 bytes, then a packet type 1..14 as u32 LE.
_CANDIDATE = re.compile(rb"(?s)(?=....[\x01-\x0e]\x00\x00\x00)")
_BOUNDS = LENGTH_BOUNDS  # (minimum, maximum) length per type (protocol.py)


def _self_evident(buf: bytearray, j: int, ptype: int) -> bool:
    """A candidate whose body checks out on its own: a code in its type's range (ISO 15740
    code ranges: 0x1/0x9 operations, 0x2/0xA responses, 0x4/0xC events)."""
    if ptype == 6:
        phase, code = struct.unpack_from("<IH", buf, j + 8)
        return phase <= 2 and code >> 12 in (1, 9)
    if ptype in (7, 8):
        code = struct.unpack_from("<H", buf, j + 8)[0] >> 12
        return code in ((2, 0xA) if ptype == 7 else (4, 0xC))
    return False


def _exact(length: int, ptype: int) -> bool:
    """A type of one fixed length at exactly that length, where the hunt starts: all 8 header
    bytes are fixed, so it needs no confirmation. A host's lone Cancel opening a mid-stream
    capture was otherwise held until the end (nothing followed it in its direction), and came
    out after the camera's Events."""
    low, high = _BOUNDS[ptype]
    return low == high == length


class Phase(enum.Enum):
    HEADER = "header"  # assembling the 8-byte header of the next packet
    BODY = "body"  # inside a packet of known length
    HUNT = "hunt"  # position unknown: searching for the next plausible header


_BODY = Phase.BODY
_HEAD = Phase.HEADER
_START_DATA = PacketType.START_DATA
_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)


def header_problem(length: int, ptype: int, max_length: int) -> str | None:
    """Why a header can't start a packet, or None if it can."""
    if length < 8:
        return f"packet length {length} is below the 8-byte header"
    bounds = _BOUNDS.get(ptype)
    if bounds is None:
        return f"unknown packet type {ptype} (0x{ptype:08X}) with length {length}"
    low, high = bounds
    if not low <= length <= (max_length if high is None else high):
        return f"length {length} is impossible for {packet_type_name(ptype)} ({ptype})"
    return None


class Framer:
    __slots__ = (
        "acc",
        "announced",
        "busy",
        "direction",
        "frame",
        "holes",
        "hunt",
        "hunt_marks",
        "hunt_reason",
        "hunt_scan",
        "hunt_start",
        "hunt_unknown_type",
        "keep",
        "keep_payload",
        "kept",
        "last_tid",
        "length",
        "max_length",
        "missing",
        "out",
        "phase",
        "pos",
        "ptype",
        "queue",
        "remaining",
        "start",
        "stream",
        "time",
        "unit_gaps",
        "zero_filled",
    )

    def __init__(self, stream: int, direction: Direction, out: list[object],
                 keep_payload: int = 0, max_length: int = DEFAULT_MAX_LENGTH,
                 midstream: bool = False) -> None:
        self.stream, self.direction, self.out = stream, direction, out
        self.keep_payload, self.max_length = keep_payload, max_length
        self.pos = 0
        self.phase = Phase.HEADER
        self.acc = bytearray()
        self.start = self.frame = self.length = self.ptype = self.remaining = self.missing = 0
        self.time = 0.0
        self.keep = True
        # The lists below stay the shared empty tuple until first used: most directions never
        # see a gap or a hunt, and 20,000 connections' empty lists were 11 MB (issue 17).
        self.holes: list[tuple[int, int]] | tuple[()] = ()
        # Gaps inside the packet being assembled (stream offset, length): if the stream ends
        # before the packet does, the malformed record is cut around them so that records'
        # byte ranges tile the stream. One entry per Gap record already emitted.
        self.unit_gaps: list[tuple[int, int]] | tuple[()] = ()
        self.zero_filled = 0  # zero bytes standing in for lost bytes in this data phase
        self.hunt: bytearray | bytes = b""  # (a bytearray from _to_hunt on)
        self.hunt_start = self.hunt_scan = 0
        self.hunt_marks: list[tuple[int, int, float]] | tuple[()] = ()
        self.hunt_reason = ""
        self.hunt_unknown_type: int | None = None
        self.last_tid: int | None = None
        self.announced = UNKNOWN_LENGTH  # total length of the last Start Data seen
        self.kept = 0  # payload bytes kept since that Start Data
        # Bytes handed back by resynchronisation, framed before anything newer (no recursion).
        self.queue: list[tuple[int, Buffer, int, float]] | tuple[()] = ()
        self.busy = False
        if midstream:  # no SYN captured: the first byte need not start a packet
            self._to_hunt(0, "capture starts inside the stream (no SYN): bytes before the "
                             "first packet boundary", skip_first=False)

    def open_frame(self) -> int | None:
        """The frame the record being built will carry (None: between packets)."""
        if self.phase is Phase.HUNT:
            return self.hunt_marks[0][1] if self.hunt_marks else self.frame
        return self.frame if self.acc or self.phase is Phase.BODY else None

    # -- input ------------------------------------------------------------------------------
    def data(self, offset: int, data: Buffer, frame: int, time: float) -> None:
        """Contiguous stream bytes at ``offset`` (== the end of what came before)."""
        n = len(data)
        if self.phase is _BODY and n < self.remaining and not self.keep \
                and len(self.acc) >= 12:
            self.remaining -= n  # hot path: the middle of a bulk Data packet
            self.pos = offset + n
            return
        if self.phase is _HEAD and not self.acc and not self.queue and not self.busy:
            i = self._whole_packets(data, offset, frame, time)  # hot path: small packets
            if i == n:
                self.pos = offset + n
                return
            if i:
                data, offset = memoryview(data)[i:], offset + i
        if self.queue:
            self.queue.append((offset, data, frame, time))
        else:
            self.queue = [(offset, data, frame, time)]
        self._drain()

    def _whole_packets(self, data: Buffer, offset: int, frame: int, time: float) -> int:
        """The whole, plausible packets at the start of ``data`` straight to Pdus, without the
        byte-by-byte states (most segments of small-packet traffic are whole packets: ~3x
        cheaper per packet); where it stopped, for the states to go on from."""
        i, n, out = 0, len(data), self.out
        stream, direction, max_length = self.stream, self.direction, self.max_length
        while n - i >= 8:
            length, ptype = _HEADER(data, i)
            end = i + length
            bounds = _BOUNDS.get(ptype)
            if end > n or bounds is None or length < bounds[0] or length < 8 or \
                    length > (max_length if bounds[1] is None else bounds[1]):
                break  # cut by the segment's end, or a problem: the states say which
            if ptype in DATA_PACKET_TYPES:
                raw = self._data_raw(data, i, length)
            else:
                raw = bytes(data[i:end])
                if ptype == _START_DATA:
                    self._start_data(raw)
            out.append(_new_tuple(Pdu, (stream, direction, offset + i, length, ptype, raw,
                                        frame, time, 0, ())))
            i = end
        return i

    def _start_data(self, raw: bytes) -> None:
        """A whole Start Data: its transaction id, and the data phase it announces begins."""
        if len(raw) >= 12:
            self.last_tid = _TID(raw, 8)[0]
        if len(raw) == 20:
            self.announced, self.kept, self.zero_filled = _U64(raw, 12)[0], 0, 0

    def _data_raw(self, data: Buffer, i: int, length: int) -> bytes:
        """A whole Data / End Data packet's bytes as framing keeps them (``_header``'s rule:
        the payload while the data phase stays within what may be kept, else the header and
        the transaction id)."""
        raw = bytes(data[i:i + (length if self._keeps(length) else 12)])
        self.last_tid = _TID(raw, 8)[0]
        return raw

    def _keeps(self, length: int) -> bool:
        """Whether a Data / End Data packet of ``length`` keeps its payload (counted if so):
        while the data phase stays within what Start Data announced and keep_payload allows,
        so a camera announcing 10 bytes and sending gigabytes can't make anyone downstream
        (data-phase assembly) hold them."""
        keep = self.announced <= self.keep_payload and length <= MAX_KEPT and (
            self.keep_payload >= KEEP_ALL or self.kept + length - 12 <= self.keep_payload)
        if keep:
            self.kept += length - 12
        return keep

    def gap(self, offset: int, length: int, frame: int, time: float, reason: str) -> None:
        """``length`` stream bytes at ``offset`` are not in the capture.

        A gap inside a packet of known length keeps framing in step (the packet is marked as
        missing bytes); a gap that reaches past a packet boundary starts a hunt after it.
        """
        self._settle_hunt()
        if self.phase is Phase.HEADER and self.acc:
            self._malformed(self.start, len(self.acc), "packet header cut by a capture gap")
        self.pos = offset + length
        if self.phase is Phase.BODY:
            inside = min(length, self.remaining)
            # A gap reaching past the packet's end is two records: the part inside nests in
            # the packet (its missing bytes), the rest lies between packets.
            self.out.append(Gap(self.stream, self.direction, offset, inside, frame, time, reason))
            if self.unit_gaps:
                self.unit_gaps.append((offset, inside))
            else:
                self.unit_gaps = [(offset, inside)]
            self._lose_body(inside)
            self.remaining -= inside
            if self.remaining == 0:
                self._emit_pdu()
            if inside == length:
                return
            offset, length = offset + inside, length - inside
        self.out.append(Gap(self.stream, self.direction, offset, length, frame, time, reason))
        self._to_hunt(offset + length, "", skip_first=False)

    def close(self) -> None:
        """End of stream: whatever is half-assembled becomes a malformed record; a Data /
        End Data packet's head carries what it holds (``DataHead``: an object reassembler
        keeps those bytes, e.g. of a transfer cut by a reset mid-packet)."""
        self._settle_hunt()
        if self.phase is Phase.BODY or self.acc:
            have = self.pos - self.start
            if self.phase is Phase.BODY:
                what = f"{packet_type_name(self.ptype)} of {self.length} bytes"
            else:
                what = "packet header"
            self._malformed_around_gaps(self.pos, f"stream ends inside a {what}: "
                                                  f"{have - self.missing} bytes present",
                                        self._data_head(have))
        self.phase = Phase.HEADER
        self.acc = bytearray()
        self.unit_gaps = ()

    def _data_head(self, have: int) -> DataHead | None:
        """The packet being assembled as a ``DataHead``, when it is a Data / End Data packet
        whose transaction id arrived (``have``: its bytes in the stream, lost ones included).
        The payload is what ``acc`` already holds (captured bytes, zeros for lost ones: the
        same bound as a whole packet's), never anything sized by the length field."""
        if self.phase is not Phase.BODY or self.ptype not in DATA_PACKET_TYPES \
                or len(self.acc) < 12:
            return None
        payload = bytes(memoryview(self.acc)[12:]) if self.keep else None
        return DataHead(self.ptype, _TID(self.acc, 8)[0], self.length, have - 12,
                        self.missing, payload, tuple(self.holes))

    def _malformed_around_gaps(self, end: int, reason: str,
                               head: DataHead | None = None) -> None:
        """The unit [start, end) as malformed records between the gaps inside it; the first
        piece (where the packet starts) carries ``head``."""
        at = self.start
        for offset, length in self.unit_gaps:
            self._malformed(at, offset - at, reason, data_head=head)
            at, head = offset + length, None
        self._malformed(at, end - at, reason, data_head=head)

    def _settle_hunt(self) -> None:
        """Finish any hunt with what is buffered (before a gap or the end of the stream)."""
        while self.phase is Phase.HUNT and self.hunt:
            self._hunt_run(final=True)
            self._drain()

    def _drain(self) -> None:
        if self.busy:
            return
        self.busy = True
        try:
            while self.queue:
                offset, data, frame, time = self.queue.pop(0)
                self._consume(offset, data, frame, time)
            self.queue = ()
        finally:
            self.busy = False

    def _consume(self, offset: int, data: Buffer, frame: int, time: float) -> None:
        i, n = 0, len(data)
        while i < n:
            if self.phase is Phase.BODY:
                i = self._body(data, i, n)
            elif self.phase is Phase.HEADER:
                i = self._header(data, i, n, offset, frame, time)
            else:
                self._hunt_feed(data[i:], offset + i, frame, time)
                i = n
        self.pos = offset + n

    # -- states -----------------------------------------------------------------------------
    def _header(self, data: Buffer, i: int, n: int, offset: int, frame: int, time: float) -> int:
        acc = self.acc
        if not acc:
            self.start, self.frame, self.time = offset + i, frame, time
        take = min(8 - len(acc), n - i)
        acc += data[i:i + take]
        i += take
        if len(acc) < 8:
            return i
        length, ptype = _HEADER(acc, 0)
        problem = header_problem(length, ptype, self.max_length)
        if problem is not None:
            self._to_hunt(self.start, problem, skip_first=True)
            if ptype not in _BOUNDS and ptype < 0x100 and 8 <= length <= 1 << 20:
                self.hunt_unknown_type = ptype  # small type, sane length: another packet kind
            self._hunt_buffer().extend(acc)
            self._hunt_marks().append((self.start, self.frame, self.time))
            self._hunt_feed(data[i:], offset + i, frame, time)
            return n
        self.length, self.ptype, self.remaining, self.missing = length, ptype, length - 8, 0
        self.keep = ptype not in DATA_PACKET_TYPES or self._keeps(length)
        self.phase = Phase.BODY
        if self.remaining == 0:
            self._emit_pdu()
        return i

    def _body(self, data: Buffer, i: int, n: int) -> int:
        take = min(self.remaining, n - i)
        if self.keep:
            self.acc += data[i:i + take]
        elif len(self.acc) < 12 and not self.missing:  # keep a Data packet's transaction id
            self.acc += data[i:i + min(take, 12 - len(self.acc))]
        self.remaining -= take
        if self.remaining == 0:
            self._emit_pdu()
        return i + take

    def _lose_body(self, length: int) -> None:
        """``length`` bytes of the current packet's body are not in the capture. A kept Data
        payload whose transaction id arrived keeps what it has: zeros and a hole stand in for
        the lost bytes (nothing captured is dropped; memory stays within MAX_KEPT)."""
        self.missing += length
        if self.ptype not in DATA_PACKET_TYPES or not self.keep:
            return
        if len(self.acc) < 12:  # the transaction id itself is lost: no payload to keep
            self.keep = False
            return
        if self.zero_filled + length > MAX_ZERO_FILL:
            # Lost bytes cost nothing to capture: 20 Data packets whose bodies went uncaptured
            # would otherwise make 16 MiB of zeros each. Past the cap the payload is dropped
            # (counted, not kept), as for a phase longer than keep_payload.
            self.keep = False
            self.acc = self.acc[:12]
            self.holes = ()
            return
        self.zero_filled += length
        if self.holes:
            self.holes.append((len(self.acc) - 12, length))
        else:
            self.holes = [(len(self.acc) - 12, length)]
        self.acc += bytes(length)

    def _emit_pdu(self) -> None:
        if self.missing and (self.ptype not in DATA_PACKET_TYPES or len(self.acc) < 12):
            # Only a Data packet whose transaction id arrived keeps its identity through a
            # loss; anything else is malformed, cut around its gaps (decode_pdu would say so
            # too, but can't place the gaps).
            self._malformed_around_gaps(self.start + self.length,
                                        f"{packet_type_name(self.ptype)} incomplete: "
                                        f"{self.missing} of its {self.length} bytes were lost "
                                        "in a capture gap")
            self._reset_unit()
            return
        raw = bytes(self.acc)
        if self.ptype == _START_DATA:
            self._start_data(raw)
        elif self.ptype in DATA_PACKET_TYPES and len(raw) >= 12:
            self.last_tid = _TID(raw, 8)[0]
        self.out.append(Pdu(self.stream, self.direction, self.start, self.length, self.ptype,
                            raw, self.frame, self.time, self.missing, tuple(self.holes)))
        self._reset_unit()

    def _reset_unit(self) -> None:
        self.holes = ()
        self.unit_gaps = ()
        self.acc = bytearray()
        self.phase = Phase.HEADER

    def _malformed(self, offset: int, length: int, reason: str, frame: int | None = None,
                   time: float | None = None, unknown_type: int | None = None,
                   data_head: DataHead | None = None) -> None:
        if length > 0:
            self.out.append(Malformed(self.stream, self.direction, offset, length,
                                      self.frame if frame is None else frame,
                                      self.time if time is None else time, reason,
                                      unknown_type, data_head))

    # -- resynchronisation ------------------------------------------------------------------
    def _to_hunt(self, offset: int, reason: str, skip_first: bool) -> None:
        self.phase = Phase.HUNT
        self.acc = bytearray()
        self.hunt = bytearray()
        self.hunt_start = offset
        self.hunt_scan = 1 if skip_first else 0
        self.hunt_marks = []
        self.hunt_reason = reason
        self.hunt_unknown_type = None
        self.unit_gaps = ()

    def _hunt_feed(self, data: Buffer, offset: int, frame: int, time: float) -> None:
        if len(data) == 0:
            return
        if not self.hunt:
            self.hunt_start = offset
        self._hunt_marks().append((offset, frame, time))
        self._hunt_buffer().extend(data)
        self._hunt_run(final=False)

    def _hunt_run(self, final: bool) -> None:
        """Look for a confirmed header in the hunt buffer; hand what follows back to framing."""
        found, verdict = -1, False
        for match in _CANDIDATE.finditer(self.hunt, self.hunt_scan):
            judged = self._judge(match.start(), final)
            if judged is not False:
                found, verdict = match.start(), judged is True
                break
        # (the regex holds a view of the buffer until here, so it is only resized now)
        if found >= 0 and not verdict:  # undecidable until more bytes arrive
            self.hunt_scan = found
            return
        if found >= 0:
            self._resume_at(found)
            return
        keep = 0 if final else 7  # a header may straddle the end of what we have
        self.hunt_scan = max(len(self.hunt) - keep, 0)
        if final or len(self.hunt) > HUNT_WINDOW:
            self._drop_hunt(len(self.hunt) - keep)

    def _judge(self, j: int, final: bool) -> bool | None:
        """Is there a packet at hunt offset j? None: can't tell yet."""
        buf = self._hunt_buffer()
        if j + 8 > len(buf):
            return False if final else None
        length, ptype = _HEADER(buf, j)
        if header_problem(length, ptype, self.max_length) is not None:
            return False
        base = PARAMS_START.get(ptype)
        if base is not None and (length - base) % 4:
            return False
        end = j + length
        if end <= len(buf) and (_self_evident(buf, j, ptype) or (j == 0 and _exact(length, ptype))):
            return True
        if end + 8 <= len(buf):  # confirmed by the header that follows
            next_length, next_type = _HEADER(buf, end)
            return header_problem(next_length, next_type, self.max_length) is None
        if end == len(buf) and final:
            return True
        if length > HUNT_WINDOW:  # too long to confirm by chaining
            if ptype not in DATA_PACKET_TYPES:
                return False
            if j + 12 > len(buf):
                return False if final else None
            tid: int = _TID(buf, j + 8)[0]
            return tid == self.last_tid  # a long Data packet of this transfer
        return False if final else None

    def _resume_at(self, j: int) -> None:
        self._drop_hunt(j)
        rest = memoryview(bytes(self.hunt))
        offset, marks = self.hunt_start, self.hunt_marks
        self.phase = Phase.HEADER
        self.hunt, self.hunt_marks, self.hunt_scan = b"", (), 0
        index = max(bisect.bisect_right(marks, (offset, 1 << 62)) - 1, 0)
        chunks: list[tuple[int, Buffer, int, float]] = []
        for k in range(index, len(marks)):
            lo = max(marks[k][0], offset) - offset
            hi = marks[k + 1][0] - offset if k + 1 < len(marks) else len(rest)
            if hi > lo:
                chunks.append((offset + lo, rest[lo:hi], marks[k][1], marks[k][2]))
        chunks.extend(self.queue)
        self.queue = chunks

    def _drop_hunt(self, count: int) -> None:
        """The first ``count`` hunt bytes are not a packet: one malformed record."""
        if count <= 0:
            return
        frame, time = self._mark_at(self.hunt_start)
        reason = self.hunt_reason or "no packet boundary known here"
        self._malformed(self.hunt_start, count, f"{reason}; {count} bytes skipped", frame, time,
                        self.hunt_unknown_type)
        del self._hunt_buffer()[:count]
        self.hunt_start += count
        self.hunt_scan = max(self.hunt_scan - count, 0)
        # The marks before the one holding the new start name dropped bytes: without this the
        # list grows by one per frame for as long as the hunt lasts (1M frames: 180 MB).
        first = bisect.bisect_right(self.hunt_marks, (self.hunt_start, 1 << 62)) - 1
        if first > 0:
            del self._hunt_marks()[:first]
        self.hunt_reason = ""
        self.hunt_unknown_type = None

    def _hunt_buffer(self) -> bytearray:
        """The hunt's bytes (a bytearray from ``_to_hunt`` until the hunt ends)."""
        hunt = self.hunt
        assert isinstance(hunt, bytearray), "only while hunting"
        return hunt

    def _hunt_marks(self) -> list[tuple[int, int, float]]:
        marks = self.hunt_marks
        assert isinstance(marks, list), "only while hunting"
        return marks

    def _mark_at(self, offset: int) -> tuple[int, float]:
        index = bisect.bisect_right(self.hunt_marks, (offset, 1 << 62)) - 1
        if index < 0:
            return self.frame, self.time
        return self.hunt_marks[index][1], self.hunt_marks[index][2]
