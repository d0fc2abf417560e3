"""The record store: random access by record number to what the engine decoded.

A view (the TUI's packet list, a detail pane) asks for record ``n`` and gets its connection,
the record with its decoded fields and its annotation, without re-reading the capture.

What is kept, so that memory stays bounded (about 0.1 KB a small packet):
- every packet's ``raw`` bytes as framing kept them (whole for every packet but bulk Data /
  End Data, whose payload beyond ``keep_payload`` was only counted) and, in arrays, its stream,
  direction, offset, frame and time: the ``Packet`` is decoded again when asked for (the fast
  decoder's ~3 µs; the same bytes give the same fields). A decoded Packet kept whole took
  ~0.4 KB with its fields' objects: 500,000 records in the TUI were ~150 MB more. Gaps,
  malformed regions, packets with lost bytes and Fuji's packets (framed by their own rules)
  are kept as they are;
- the annotation of records that completed a data phase (dataset and all); for the others it
  is rebuilt on demand (``annotation``) with the vendor detected so far, which can only be
  better than the one known when the record went by;
- per capture buffer a ``Checkpoint`` (one per MiB read) and each stream direction's initial
  sequence number, so that ``bytes_of`` can re-read a bulk packet's bytes from a seekable file:
  it resumes the reader at the checkpoint before the packet's first frame and takes the bytes
  of that direction's segments by sequence number. Input from a pipe, stdin or a compressed
  file can't be re-read: there ``bytes_of`` gives what was kept (header and transaction id) and
  says so (``complete`` False).
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from .decode.packets import decode_pdu
from .model import Connection, Direction, Packet, Pdu, Record
from .protocol import HEADER, PacketType
from .sources.capture_file import CHUNK, Checkpoint, resume
from .sources.link import FrameStats, tcp_segments

if TYPE_CHECKING:
    from .decode.annotate import Annotation
    from .decode.params import NamedParam

_MASK, _HALF = 0xFFFFFFFF, 1 << 31
MAX_RESCAN_FRAMES = 2_000_000  # frames looked at past a packet's first frame to find its bytes
MAX_REREAD = 1 << 24  # bytes of one packet re-read at most (framing keeps no more either)
_REQUEST = int(PacketType.OPERATION_REQUEST)
_LOOKBACK = 10_000  # records searched back for the request a response answers


class StoredRecord(NamedTuple):
    index: int  # type: ignore[assignment]  # shadows tuple.index, as Item's does
    conn: Connection
    record: Record
    annotation: Annotation | None


class PacketBytes(NamedTuple):
    data: bytes
    complete: bool  # False: bytes not kept and not re-readable, or lost to the capture
    note: str  # how they were obtained, or why they are short


_HEADER = HEADER.unpack_from
_DIRECTIONS = tuple(Direction)


class RecordStore:
    def __init__(self) -> None:
        self._records: list[Record | bytes] = []  # bytes: a packet's raw, decoded on demand
        self._stream, self._direction = array("l"), array("b")
        self._offset, self._frame, self._time = array("q"), array("q"), array("d")
        self._streams: dict[int, Connection] = {}
        self._notes: dict[int, Annotation] = {}  # records that completed a data phase
        self.bases: dict[tuple[int, Direction], int] = {}  # initial sequence numbers
        self.path: str | None = None  # a seekable capture file the records can be re-read from
        self.format: str | None = None
        self.checkpoints: list[Checkpoint] = []

    def add(self, conn: Connection, record: Record, note: Annotation | None) -> None:
        if note is not None and (note.data_phase is not None or note.dataset is not None):
            self._notes[len(self._records)] = note
        self._streams.setdefault(conn.stream, conn)
        compact = type(record) is Packet and not record.missing and conn.variant != "fuji" \
            and type(record.raw) is bytes and len(record.raw) >= 8 \
            and _HEADER(record.raw, 0) == (record.length, record.ptype)  # as framing cut it
        self._records.append(record.raw if compact else record)  # type: ignore[union-attr]
        self._stream.append(record.stream)
        self._direction.append(record.direction)
        self._offset.append(record.offset)
        self._frame.append(record.frame)
        self._time.append(record.time)

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index: int) -> StoredRecord:
        index = index if index >= 0 else len(self._records) + index
        record = self.record(index)
        return StoredRecord(index, self._streams[record.stream], record, self._notes.get(index))

    def __iter__(self) -> Iterator[StoredRecord]:
        return (self[i] for i in range(len(self._records)))

    def record(self, index: int) -> Record:
        kept = self._records[index]
        if type(kept) is not bytes:
            return kept  # type: ignore[return-value]
        length, ptype = _HEADER(kept, 0)
        return decode_pdu(Pdu(self._stream[index], _DIRECTIONS[self._direction[index]],
                              self._offset[index], length, ptype, kept, self._frame[index],
                              self._time[index]))

    def frame_of(self, index: int) -> int:
        return self._frame[index]

    def connection(self, stream: int) -> Connection:
        return self._streams[stream]

    def index_at_frame(self, frame: int) -> int | None:
        """The first record holding bytes from ``frame`` (a finding's, a go-to-frame), else the
        first after it in record order; None if no record is that late. Records are in the
        order framing completed them, nearly but not strictly by frame (streams interleave,
        segments reorder), so this is a scan: 500,000 records take about 20 ms."""
        after: int | None = None
        for i, at in enumerate(self._frame):
            if at == frame:
                return i
            if after is None and at > frame:
                after = i
        return after

    def annotation(self, index: int, vendor: str | None) -> Annotation | None:
        """The record's annotation: as kept, or rebuilt with ``vendor`` (named parameters)."""
        kept = self._notes.get(index)
        if kept is not None:
            return kept
        record = self.record(index)
        if not isinstance(record, Packet):
            return None
        from .decode.annotate import Annotation
        from .decode.params import event_params, request_params, response_params
        params: tuple[NamedParam, ...] = ()
        opcode: int | None = None
        if record.ptype == 6 and record.code is not None:
            params = tuple(request_params(record.code, record.params, vendor))
        elif record.ptype == 8 and record.code is not None:
            params = tuple(event_params(record.code, record.params, vendor))
        elif record.ptype in (7, 9, 10, 11, 12):
            opcode = self._opcode_of(index, record)
            if record.ptype == 7:
                params = tuple(response_params(opcode, record.params, vendor))
        return Annotation(vendor, params, opcode)

    def _opcode_of(self, index: int, p: Packet) -> int | None:
        for i in range(index - 1, max(-1, index - _LOOKBACK), -1):
            kept = self._records[i]
            if self._stream[i] != p.stream or (type(kept) is bytes and kept[4] != _REQUEST):
                continue  # (the type's low byte: no need to decode the others)
            r = self.record(i)
            if isinstance(r, Packet) and r.ptype == _REQUEST and r.transaction_id == p.transaction_id:
                return r.code
        return None

    # -- bytes --------------------------------------------------------------------------------
    def bytes_of(self, index: int) -> PacketBytes:
        """The record's bytes on the wire (a packet's whole bytes when they can be had)."""
        record = self.record(index)
        if not isinstance(record, Packet):
            return PacketBytes(b"", False, f"{record.length} bytes not decoded as a packet")
        if len(record.raw) >= record.length:
            return PacketBytes(record.raw, record.missing == 0, "kept")
        if self.path is None or (record.stream, record.direction) not in self.bases:
            return PacketBytes(record.raw, False, "payload not kept (input can't be re-read)")
        return self._reread(record)

    def _reread(self, p: Packet) -> PacketBytes:
        # One checkpoint further back: reordered segments of the packet may precede its first.
        at = max(0, bisect.bisect_left([c.frames_before for c in self.checkpoints], p.frame) - 2)
        fmt = self.format or _format_of(self.path)
        if not self.checkpoints or self.path is None or fmt is None:
            return PacketBytes(p.raw, False, "no checkpoint before the packet")
        conn = self._streams[p.stream]
        src, dst = conn.endpoints(p.direction)
        key = (src.address, src.port, dst.address, dst.port)
        base = self.bases[(p.stream, p.direction)]
        want = _Window(p.offset, min(p.length, MAX_REREAD))
        checkpoint = self.checkpoints[at]
        reader = resume(checkpoint, fmt)
        stats = FrameStats(frames=checkpoint.frames_before)
        with open(self.path, "rb") as f:
            f.seek(checkpoint.offset)
            while not want.full and stats.frames < p.frame + MAX_RESCAN_FRAMES:
                data = f.read(CHUNK)
                if not data:
                    break
                reader.push(data)
                for seg in tcp_segments(reader.frames(), stats):
                    if (seg.src, seg.sport, seg.dst, seg.dport) == key:
                        want.add(_stream_offset(seg.seq, base, p.offset), seg.payload)
        note = "re-read from the capture" if want.full else \
            f"re-read from the capture; {want.missing} bytes not found (lost)"
        if want.length < p.length:
            note += f"; first {want.length} of {p.length} bytes"
        return PacketBytes(bytes(want.buf), want.full and want.length == p.length, note)


def _format_of(path: str | None) -> str | None:
    if path is None:
        return None
    with open(path, "rb") as f:
        magic = f.read(4)
    return "pcapng" if magic == b"\x0a\x0d\x0d\x0a" else "pcap"


def _stream_offset(seq: int, base: int, near: int) -> int:
    """The stream offset of ``seq`` closest to ``near`` (streams can pass 4 GiB)."""
    rel = (seq - base) & _MASK
    return near + (((rel - near) + _HALF) & _MASK) - _HALF


class _Window:
    """The bytes [offset, offset + length) of a stream, filled from segments in any order."""

    def __init__(self, offset: int, length: int) -> None:
        self.offset, self.length = offset, length
        self.buf = bytearray(length)  # bounded: a packet is at most max_packet_length
        self.covered: list[tuple[int, int]] = []

    def add(self, offset: int, payload: bytes | memoryview) -> None:
        lo, hi = max(offset, self.offset), min(offset + len(payload), self.offset + self.length)
        if lo >= hi:
            return
        self.buf[lo - self.offset:hi - self.offset] = payload[lo - offset:hi - offset]
        last = self.covered[-1] if self.covered else None
        if last is not None and last[0] <= lo <= last[1]:  # in order: the common case
            self.covered[-1] = (last[0], max(last[1], hi))
            return
        bisect.insort(self.covered, (lo, hi))
        merged: list[tuple[int, int]] = []
        for a, b in self.covered:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self.covered = merged

    @property
    def missing(self) -> int:
        return self.length - sum(b - a for a, b in self.covered)

    @property
    def full(self) -> bool:
        return self.missing == 0
