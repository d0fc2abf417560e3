"""Objects transferred in data phases, reassembled as they stream by (sans-IO, like Wireshark's
Export Objects), for ``export-objects`` and the objects table alike.

``ObjectReassembler(store).feed(conn, record) -> list[ObjectTransfer]``, ``close()``. GetObject
(0x1009), GetThumb (0x100A) and SendObject (0x100D) each carry one whole object in one data
phase; GetPartialObject (0x101B: handle, offset, max bytes) reads pieces that are placed per
handle at their offset. Each Data / End Data payload is handed to the object's sink
(``ObjectStore.create``) at its object offset as soon as it arrives, so no object is ever held
in memory, and nothing is sized by a wire number: the offsets of GetPartialObject and the sizes
in ObjectInfo or Start Data only become ranges (``holes``), never buffers. Bytes the capture
lost are not written at all: a file store leaves them as sparse regions (zeros when read).

Names and sizes come from the ObjectInfo datasets of GetObjectInfo (0x1008, by handle) and, for
SendObject, of the SendObjectInfo (0x100C) just before it on the same connection (ISO 15740
10.5.10/10.5.11). An object is ``complete`` only when every byte was seen, End Data came, the
sizes announced in Start Data and in ObjectInfo agree, and the response (when captured) is OK;
otherwise it comes out partial, with the reason.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from ..decode.codes import packet_type_name
from ..decode.data_phases import DataPhase, DataPhaseAssembler
from ..decode.dataset_decoder import decode_dataset
from ..decode.dataset_types import ObjectInfo
from ..decode.datasets import Decoded
from ..model import Buffer, Connection, Direction, Gap, Malformed, Packet, Record
from ..protocol import (
    GET_OBJECT,
    GET_OBJECT_INFO,
    GET_PARTIAL_OBJECT,
    GET_THUMB,
    LENGTH_BOUNDS,
    RESPONSE_OK,
    SEND_OBJECT,
    SEND_OBJECT_INFO,
    PacketType,
)

OBJECT_KINDS = {GET_OBJECT: "object", GET_THUMB: "thumb", GET_PARTIAL_OBJECT: "partial",
                SEND_OBJECT: "sent"}
UNKNOWN_LENGTH = 0xFFFFFFFFFFFFFFFF
# ObjectInfo datasets are decoded from data phases joined up to this size (they are ~100 bytes)
MAX_INFO = 1 << 16
# Objects being joined from GetPartialObject reads at once: past it the oldest is given out as
# it stands (partial, with the reason) and a later read of it starts a new transfer. Each costs
# a few hundred bytes and, in a file store, a file.
MAX_JOINING = 1 << 12
# ObjectInfo datasets remembered (the oldest forgotten first) when they only name objects:
# a capture of nothing but GetObjectInfo would otherwise keep one per 300 bytes of input.
MAX_INFOS = 1 << 16


class ObjectSink(Protocol):
    """Where one object's bytes go: ``write`` at an object offset, in any order."""

    def write(self, offset: int, data: Buffer) -> None: ...


class ObjectStore(Protocol):
    def create(self) -> ObjectSink: ...


class NullSink:
    """A sink that keeps nothing (the objects table needs sizes and digests, not bytes)."""

    def write(self, offset: int, data: Buffer) -> None:
        pass


class NullStore:
    def create(self) -> ObjectSink:
        return NullSink()


@dataclass(frozen=True, slots=True)
class ObjectTransfer:
    """One object (or thumbnail) as far as the capture holds it; its bytes are in ``sink``."""

    handle: int | None
    kind: str  # "object", "thumb", "sent" (host to camera); GetPartialObject reads -> "object"
    opcode: int
    info: ObjectInfo | None  # untrusted: straight from the wire
    sink: ObjectSink
    size: int  # the end of the last byte written (holes before it read as zeros)
    expected_size: int | None
    holes: tuple[tuple[int, int], ...]  # (offset, length) of bytes not in the capture
    complete: bool
    reason: str  # why not complete ("" when complete)
    stream: int
    transaction_ids: tuple[int, ...]
    first_frame: int
    last_frame: int
    sha256: str | None  # of bytes 0..size, when they were all written in order
    moved: int  # data bytes its data phases carried (all GetPartialObject reads together)
    lost: bool = False  # the capture lost bytes of its data phases (gaps, unplaceable bytes)
    cut: bool = False  # its stream ended inside one of its Data packets (framing's DataHead)


class Coverage:
    """The byte ranges of an object that were written: sorted, merged [start, end) pairs."""

    __slots__ = ("ranges",)

    def __init__(self) -> None:
        self.ranges: list[list[int]] = []

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        ranges = self.ranges
        if ranges and ranges[-1][1] == start:  # the usual case: right after the last write
            ranges[-1][1] = end
            return
        i = bisect.bisect_left(ranges, [start, start])
        if i > 0 and ranges[i - 1][1] >= start:
            i -= 1
        j = i
        while j < len(ranges) and ranges[j][0] <= end:
            start, end = min(start, ranges[j][0]), max(end, ranges[j][1])
            j += 1
        ranges[i:j] = [[start, end]]

    @property
    def end(self) -> int:
        return self.ranges[-1][1] if self.ranges else 0

    def holes(self, size: int) -> tuple[tuple[int, int], ...]:
        """What is not covered in [0, max(size, end))."""
        out, pos = [], 0
        for start, end in self.ranges:
            if start > pos:
                out.append((pos, start - pos))
            pos = end
        if pos < size:
            out.append((pos, size - pos))
        return tuple(out)


@dataclass(slots=True)
class _Object:
    """An object being written: from one whole data phase, or from GetPartialObject pieces."""

    stream: int
    handle: int | None
    opcode: int
    info: ObjectInfo | None
    sink: ObjectSink
    first_frame: int
    coverage: Coverage = field(default_factory=Coverage)
    hasher: hashlib._Hash | None = field(default_factory=hashlib.sha256)
    hashed: int = 0  # object offset up to which ``hasher`` has seen every byte
    tids: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    last_frame: int = 0
    size: int = 0  # data bytes the data phases carried (for a partial read: its end)
    moved: int = 0  # data bytes of all its data phases
    short_read: bool = False  # a GetPartialObject read returned less than asked
    lost: bool = False  # capture gaps in one of its data phases
    cut: bool = False  # its stream ended inside one of its Data packets

    def write(self, offset: int, payload: Buffer, holes: tuple[tuple[int, int], ...]) -> None:
        """Captured bytes of a payload at ``offset``; its ``holes`` (zeros) are not written."""
        if self.hasher is not None and offset == self.hashed:
            self.hasher.update(payload)  # holes included: their zeros are what the file reads
            self.hashed += len(payload)
        else:
            self.hasher = None
        at = 0
        for hole, length in (*holes, (len(payload), 0)):
            if hole > at:
                self.sink.write(offset + at, payload[at:hole])
                self.coverage.add(offset + at, offset + hole)
            at = hole + length

    def skip(self) -> None:
        """A payload that is not here (not kept, or placed nowhere)."""
        self.hasher = None  # bytes are missing before what comes next: no digest


@dataclass(slots=True)
class _Phase:
    """The data phase running on a stream, and where its bytes go."""

    transaction_id: int
    opcode: int | None
    params: tuple[int, ...]
    announced: int | None
    target: _Object | None  # None: not an object operation
    direction: Direction  # who sends the data
    base: int = 0  # object offset of the phase's first byte (GetPartialObject's offset)
    pos: int = 0  # phase bytes so far
    unplaced: int = 0  # gap bytes not (yet) found inside one of the phase's packets
    placed: bool = True  # False after a loss whose length or position is unknown
    missing: int = 0  # bytes of the phase's packets lost in capture gaps
    unkept: int = 0  # bytes captured whole but not kept in Packet.payload
    cut: str = ""  # how the stream ended inside one of its packets ("": it did not)


class ObjectReassembler:
    """``feed(conn, record) -> list[ObjectTransfer]``, ``close()``: objects out as they finish."""

    def __init__(self, store: ObjectStore | None = None,
                 max_infos: int | None = MAX_INFOS) -> None:
        # Without a store only sizes, ranges and digests are wanted: a payload the dissection
        # chose not to keep (DissectOptions.keep_payload) is then no problem of the object.
        self._needs_bytes = store is not None
        self._store = store or NullStore()
        self._phases = DataPhaseAssembler(max_joined=MAX_INFO)  # for ObjectInfo datasets
        self._requests: dict[int, tuple[int, int, tuple[int, ...]]] = {}  # last one per stream
        self._open: dict[int, _Phase] = {}  # by stream
        # by (stream, handle): from GetObjectInfo, and SendObjectInfo once its response named
        # the handle (handles are per session, so per command connection)
        # (None for max_infos: keep them all, as the objects table, a row each, does)
        self.infos: OrderedDict[tuple[int, int], ObjectInfo] = OrderedDict()
        self.max_infos = max_infos
        self._send_info: dict[int, ObjectInfo] = {}  # by stream, from SendObjectInfo
        self._sent_handle: dict[int, int] = {}  # by stream, from SendObjectInfo's response
        self._waiting: dict[int, tuple[_Object, _Phase]] = {}  # ended phase, by stream
        self._partial: OrderedDict[tuple[int, int], _Object] = OrderedDict()  # by (stream, handle)
        self._early: list[ObjectTransfer] = []  # joins given out early (MAX_JOINING)

    def feed(self, conn: Connection, record: Record) -> list[ObjectTransfer]:
        for phase in self._phases.feed(conn, record):
            self._dataset(phase)
        if not isinstance(record, Packet):
            if isinstance(record, Malformed) and record.data_head is not None:
                return self._cut(record)
            self._lost(record)
            return []
        handler = _HANDLERS.get(record.ptype)
        out = handler(self, record) if handler is not None else []
        if self._early:
            out, self._early = self._early + out, []
        return out

    def close(self) -> list[ObjectTransfer]:
        for phase in self._phases.close():
            self._dataset(phase)
        out: list[ObjectTransfer] = []
        for stream in list(self._open):
            out += self._end_phase(stream, complete=False)
        out += [self._whole(*self._waiting.pop(s), None) for s in list(self._waiting)]
        out += [_joined(p) for p in self._partial.values()]
        self._partial.clear()
        return out

    # -- records ------------------------------------------------------------------------------
    def _request(self, p: Packet) -> list[ObjectTransfer]:
        if p.transaction_id is not None and p.code is not None:
            self._requests[p.stream] = (p.transaction_id, p.code, p.params)
        return []

    def _start_data(self, p: Packet) -> list[ObjectTransfer]:
        done = self._end_phase(p.stream, complete=False)
        self._begin(p, p.data_length if p.data_length != UNKNOWN_LENGTH else None)
        return done

    def _begin(self, p: Packet, announced: int | None) -> _Phase:
        tid = p.transaction_id or 0
        request = self._requests.get(p.stream)
        opcode, params = (request[1], request[2]) if request and request[0] == tid else (None, ())
        phase = _Phase(tid, opcode, params, announced, self._target(p, opcode, params),
                       p.direction)
        if opcode == GET_PARTIAL_OBJECT:
            phase.base = params[1] if len(params) > 1 else 0
        if phase.target is not None:
            phase.target.tids.append(tid)
            phase.target.last_frame = p.frame
        self._open[p.stream] = phase
        return phase

    def _target(self, p: Packet, opcode: int | None, params: tuple[int, ...]) -> _Object | None:
        if opcode not in OBJECT_KINDS:
            return None
        handle = params[0] if params else None
        if opcode == GET_PARTIAL_OBJECT and handle is not None:
            key = (p.stream, handle)
            if key not in self._partial:
                if len(self._partial) >= MAX_JOINING:
                    _, oldest = self._partial.popitem(last=False)
                    oldest.problems.append(f"given out early: more than {MAX_JOINING} objects "
                                           "were being read in pieces at once")
                    self._early.append(_joined(oldest))
                self._partial[key] = self._new(p, opcode, handle, self.infos.get(key))
            return self._partial[key]
        if opcode == 0x100D:  # SendObject has no handle parameter: the object of SendObjectInfo
            return self._new(p, opcode, self._sent_handle.pop(p.stream, None),
                             self._send_info.pop(p.stream, None))
        return self._new(p, opcode, handle, self.infos.get((p.stream, handle))
                         if handle is not None else None)

    def _new(self, p: Packet, opcode: int, handle: int | None, info: ObjectInfo | None
             ) -> _Object:
        return _Object(p.stream, handle, opcode, info, self._store.create(), p.frame,
                       last_frame=p.frame)

    def _chunk(self, p: Packet) -> list[ObjectTransfer]:
        phase = self._open.get(p.stream)
        if phase is None:  # Start Data not captured: the phase starts here, size unknown
            phase = self._begin(p, None)
        size = p.data_length or 0
        target = phase.target
        if phase.unplaced > p.missing:  # bytes were lost between packets: where is unknown
            phase.placed = False
        phase.unplaced = 0
        phase.missing += p.missing
        if p.payload is None and not p.missing:
            phase.unkept += size
        if target is not None:
            target.last_frame = p.frame
            if p.payload is None or not phase.placed:
                target.skip()
            else:
                target.write(phase.base + phase.pos, p.payload, p.holes)
        phase.pos += size
        return self._end_phase(p.stream, complete=True) if p.ptype == PacketType.END_DATA \
            else []

    def _cut(self, region: Malformed) -> list[ObjectTransfer]:
        """The head of a Data / End Data packet its stream ends inside (framing's DataHead):
        its captured bytes go to the object like a Data packet's, then the phase ends there,
        not complete. The malformed pieces after it find no phase open."""
        head = region.data_head
        assert head is not None
        self._chunk(Packet(region.stream, region.direction, region.offset, region.length,
                           PacketType.DATA,
                           region.frame, region.time, head.transaction_id,
                           data_length=head.size, payload=head.payload, missing=head.missing,
                           holes=head.holes))
        phase = self._open.get(region.stream)
        if phase is not None:
            header = LENGTH_BOUNDS[head.ptype][0]  # header + transaction id: 12 bytes
            phase.cut = (f"the stream ends inside its {packet_type_name(head.ptype)} packet at "
                         f"frame {region.frame} ({head.size + header} of its {head.length} "
                         "bytes)")
        return self._end_phase(region.stream, complete=False)

    def _lost(self, record: Record) -> None:
        phase = self._open.get(record.stream)
        if phase is None or record.direction != phase.direction:
            return
        if isinstance(record, Gap):  # placed if a packet names it among its missing bytes
            phase.unplaced += record.length
        else:
            phase.placed = False

    def _response(self, p: Packet) -> list[ObjectTransfer]:
        out = self._end_phase(p.stream, complete=False)
        waiting = self._waiting.get(p.stream)
        if waiting is not None and waiting[1].transaction_id == p.transaction_id:
            del self._waiting[p.stream]
            out.append(self._whole(*waiting, p.code))
        if p.code == RESPONSE_OK and len(p.params) >= 3 and p.stream in self._send_info:
            self._sent_handle[p.stream] = p.params[2]  # SendObjectInfo: storage, parent, handle
            self._remember(p.stream, p.params[2], self._send_info[p.stream])
        request = self._requests.get(p.stream)
        if p.code != RESPONSE_OK and request is not None and request[1] == GET_PARTIAL_OBJECT \
                and request[0] == p.transaction_id and request[2]:
            piece = self._partial.get((p.stream, request[2][0]))
            if piece is not None:
                piece.problems.append(f"response 0x{p.code or 0:04X} to transaction "
                                      f"{p.transaction_id}")
        return out

    def _cancel(self, p: Packet) -> list[ObjectTransfer]:
        return self._end_phase(p.stream, complete=False)

    # -- phases and objects -------------------------------------------------------------------
    def _end_phase(self, stream: int, complete: bool) -> list[ObjectTransfer]:
        phase = self._open.pop(stream, None)
        if phase is None or phase.target is None:
            return []
        target = phase.target
        target.moved += phase.pos
        target.lost |= bool(phase.missing) or not phase.placed
        target.cut |= bool(phase.cut)
        problems = _phase_problems(phase, complete, self._needs_bytes)
        if phase.opcode == GET_PARTIAL_OBJECT:
            asked = phase.params[2] if len(phase.params) > 2 else None
            target.short_read |= asked is not None and phase.pos < asked
            target.size = max(target.size, phase.base + phase.pos)
            target.problems += [f"read at {phase.base}: {p}" for p in problems]
            return []
        target.size = phase.pos
        target.problems = problems
        done = [self._whole(*w, None) for w in [self._waiting.pop(stream, None)] if w]
        self._waiting[stream] = (target, phase)
        return done

    def _whole(self, target: _Object, phase: _Phase, response: int | None) -> ObjectTransfer:
        kind = OBJECT_KINDS[target.opcode]
        expected = _expected_size(kind, target.info, phase.announced)
        problems = list(target.problems)
        if expected is not None and expected != phase.announced and phase.pos != expected:
            problems.append(f"{phase.pos} bytes where ObjectInfo says {expected}")
        if response is not None and response != RESPONSE_OK:
            problems.append(f"response 0x{response:04X}")
        holes = target.coverage.holes(max(phase.pos, expected or 0))
        return _transfer(target, kind, expected, holes, problems)

    def _dataset(self, phase: DataPhase) -> None:
        if phase.opcode not in (GET_OBJECT_INFO, SEND_OBJECT_INFO) or phase.payload is None:
            return
        result = decode_dataset(phase.opcode, phase.payload, phase.params)
        if not (isinstance(result, Decoded) and isinstance(result.value, ObjectInfo)):
            return
        if phase.opcode == GET_OBJECT_INFO and phase.params:
            self._remember(phase.stream, phase.params[0], result.value)
        elif phase.opcode == SEND_OBJECT_INFO:
            self._send_info[phase.stream] = result.value


    def _remember(self, stream: int, handle: int, info: ObjectInfo) -> None:
        self.infos[(stream, handle)] = info
        if self.max_infos is not None and len(self.infos) > self.max_infos:
            self.infos.popitem(last=False)


_HANDLERS = {6: ObjectReassembler._request, 9: ObjectReassembler._start_data,
             10: ObjectReassembler._chunk, 12: ObjectReassembler._chunk,
             7: ObjectReassembler._response, 11: ObjectReassembler._cancel}


def _transfer(target: _Object, kind: str, expected: int | None,
              holes: tuple[tuple[int, int], ...], problems: list[str]) -> ObjectTransfer:
    end = target.coverage.end
    whole = target.hasher is not None and target.hashed == end
    digest = target.hasher.hexdigest() if whole and target.hasher is not None else None
    return ObjectTransfer(target.handle, kind, target.opcode, target.info, target.sink, end,
                          expected, holes, not problems, "; ".join(problems), target.stream,
                          tuple(target.tids), target.first_frame, target.last_frame, digest,
                          target.moved, target.lost, target.cut)


def _expected_size(kind: str, info: ObjectInfo | None, announced: int | None) -> int | None:
    if info is not None:
        size = info.thumb_compressed_size if kind == "thumb" else info.compressed_size
        if size and size != 0xFFFFFFFF:  # 0xFFFFFFFF: object of 4 GiB or more (MTP)
            return size
    return announced


def _phase_problems(phase: _Phase, complete: bool, needs_bytes: bool) -> list[str]:
    problems = []
    target = phase.target
    written = target.coverage.ranges if target is not None else []
    if not phase.placed:
        problems.append("bytes lost at an unknown position: what follows could not be placed")
    elif phase.missing and not written:
        problems.append("bytes not in the capture")
    elif phase.missing:
        problems.append(f"{phase.missing} bytes lost in capture gaps")
    if needs_bytes and phase.unkept:
        problems.append(f"{phase.unkept} bytes captured but not kept (a Data packet over "
                        "16 MiB, or past the zero fill one data phase may have)")
    if phase.cut:
        problems.append(phase.cut)
    elif not complete:
        problems.append("data phase not ended by End Data")
    if phase.announced is not None and phase.pos != phase.announced:
        problems.append(f"{phase.pos} bytes where Start Data announced {phase.announced}")
    return problems


def _joined(target: _Object) -> ObjectTransfer:
    """GetPartialObject reads of one handle as one object; what was never read is a hole."""
    expected = _expected_size("object", target.info, None)
    size = expected if expected is not None else target.size
    holes = target.coverage.holes(size)
    problems = list(target.problems)
    if holes:
        problems.append(f"{sum(n for _, n in holes)} bytes never read or not captured")
    if expected is None and not target.short_read:
        problems.append("object size unknown (no ObjectInfo, no short last read)")
    if holes:
        target.hasher = None
    return _transfer(target, "object", expected, holes, problems)
