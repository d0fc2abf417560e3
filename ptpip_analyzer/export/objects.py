"""Objects transferred in data phases, put back together (sans-IO, like Wireshark's Export Objects).

Over the decoded record stream: GetObject (0x1009), GetThumb (0x100A) and SendObject (0x100D)
each carry one whole object in one data phase; GetPartialObject (0x101B: handle, offset, max
bytes) reads pieces that are joined per handle, with the holes named. Names and sizes come from
the ObjectInfo datasets of GetObjectInfo (0x1008, by handle) and, for SendObject, of the
SendObjectInfo (0x100C) just before it on the same connection (ISO 15740 10.5.10/10.5.11).
An object is ``complete`` only when every byte was seen, End Data came, the sizes announced in
Start Data and in ObjectInfo agree, and the response (when captured) is OK; otherwise it comes
out partial, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..decode.data_phases import DataPhase, DataPhaseAssembler
from ..decode.dataset_types import ObjectInfo
from ..decode.datasets import Decoded, decode_dataset
from ..model import Connection, Packet, Record

GET_OBJECT_INFO, SEND_OBJECT_INFO = 0x1008, 0x100C
OBJECT_KINDS = {0x1009: "object", 0x100A: "thumb", 0x101B: "partial", 0x100D: "sent"}
RESPONSE_OK = 0x2001


@dataclass(frozen=True, slots=True)
class ObjectTransfer:
    """One object (or thumbnail) as far as the capture holds it. ``data`` has zeros in holes."""

    handle: int | None
    kind: str  # "object", "thumb", "sent" (host to camera); GetPartialObject reads -> "object"
    opcode: int
    info: ObjectInfo | None  # untrusted: straight from the wire
    data: bytes
    expected_size: int | None
    holes: tuple[tuple[int, int], ...]  # (offset, length) of bytes not in the capture
    complete: bool
    reason: str  # why not complete ("" when complete)
    stream: int
    transaction_ids: tuple[int, ...]
    first_frame: int
    last_frame: int


@dataclass(slots=True)
class _Finished:
    """An object data phase waiting for its response."""

    phase: DataPhase
    info: ObjectInfo | None
    handle: int | None


@dataclass(slots=True)
class _Pieces:
    """GetPartialObject reads of one handle on one connection."""

    stream: int
    handle: int
    info: ObjectInfo | None
    pieces: list[tuple[int, bytes | None, int]] = field(default_factory=list)  # offset, data, n
    problems: list[str] = field(default_factory=list)
    tids: list[int] = field(default_factory=list)
    first_frame: int = 0
    last_frame: int = 0
    short_read: bool = False  # a read returned less than asked: the object's end was reached


class ObjectCollector:
    """``feed(conn, record) -> list[ObjectTransfer]``, ``close()``: objects out as they finish."""

    def __init__(self) -> None:
        self._phases = DataPhaseAssembler()
        self._infos: dict[int, ObjectInfo] = {}  # by handle, from GetObjectInfo
        self._send_info: dict[int, ObjectInfo] = {}  # by stream, from SendObjectInfo
        self._sent_handle: dict[int, int] = {}  # by stream, from SendObjectInfo's response
        self._waiting: dict[int, _Finished] = {}  # by stream
        self._partial: dict[tuple[int, int], _Pieces] = {}

    def feed(self, conn: Connection, record: Record) -> list[ObjectTransfer]:
        out: list[ObjectTransfer] = []
        for phase in self._phases.feed(conn, record):
            out += self._phase(phase)
        if isinstance(record, Packet) and record.ptype == 7:
            out += self._response(record)
        return out

    def close(self) -> list[ObjectTransfer]:
        out: list[ObjectTransfer] = []
        for phase in self._phases.close():
            out += self._phase(phase)
        for stream in list(self._waiting):
            out.append(self._whole(self._waiting.pop(stream), None))
        out += [_joined(p) for p in self._partial.values()]
        self._partial.clear()
        return out

    def _phase(self, phase: DataPhase) -> list[ObjectTransfer]:
        done = [self._whole(w, None) for w in [self._waiting.pop(phase.stream, None)] if w]
        opcode, handle = phase.opcode, phase.params[0] if phase.params else None
        if opcode in (GET_OBJECT_INFO, SEND_OBJECT_INFO):
            info = _object_info(phase)
            if info is not None and opcode == GET_OBJECT_INFO and handle is not None:
                self._infos[handle] = info
            elif info is not None:
                self._send_info[phase.stream] = info
        elif opcode == 0x101B and handle is not None:
            self._piece(phase, handle)
        elif opcode in OBJECT_KINDS:
            self._waiting[phase.stream] = self._finished(phase, opcode, handle)
        return done

    def _finished(self, phase: DataPhase, opcode: int, handle: int | None) -> _Finished:
        if opcode == 0x100D:  # SendObject has no handle parameter: the object of SendObjectInfo
            return _Finished(phase, self._send_info.pop(phase.stream, None),
                             self._sent_handle.pop(phase.stream, None))
        return _Finished(phase, self._infos.get(handle) if handle is not None else None, handle)

    def _response(self, p: Packet) -> list[ObjectTransfer]:
        waiting = self._waiting.get(p.stream)
        if waiting is not None and waiting.phase.transaction_id == p.transaction_id:
            del self._waiting[p.stream]
            return [self._whole(waiting, p.code)]
        if p.code == RESPONSE_OK and len(p.params) >= 3 and p.stream in self._send_info:
            self._sent_handle[p.stream] = p.params[2]  # SendObjectInfo: storage, parent, handle
        for pieces in self._partial.values():
            if pieces.stream == p.stream and pieces.tids and pieces.tids[-1] == p.transaction_id:
                _piece_response(pieces, p)
        return []

    def _whole(self, w: _Finished, response: int | None) -> ObjectTransfer:
        phase = w.phase
        kind = OBJECT_KINDS[phase.opcode or 0]
        expected = _expected_size(kind, w.info, phase.announced)
        problems = _phase_problems(phase, expected, response)
        data = phase.payload or b""
        tail = ((len(data), expected - len(data)),) if expected and len(data) < expected \
            else ()
        holes = phase.holes + tail  # bytes the capture lost inside, and a short end
        if phase.payload is None and phase.size:
            holes = ((0, max(phase.size, expected or 0)),)
        return ObjectTransfer(w.handle, kind, phase.opcode or 0, w.info, data, expected, holes,
                              not problems, "; ".join(problems), phase.stream,
                              (phase.transaction_id,), phase.first_frame, phase.last_frame)

    def _piece(self, phase: DataPhase, handle: int) -> None:
        key = (phase.stream, handle)
        pieces = self._partial.get(key)
        if pieces is None:
            pieces = _Pieces(phase.stream, handle, self._infos.get(handle),
                             first_frame=phase.first_frame)
            self._partial[key] = pieces
        offset = phase.params[1] if len(phase.params) > 1 else 0
        asked = phase.params[2] if len(phase.params) > 2 else None
        pieces.pieces.append((offset, phase.payload, phase.size))
        pieces.tids.append(phase.transaction_id)
        pieces.last_frame = phase.last_frame
        pieces.short_read |= asked is not None and phase.size < asked
        problems = _phase_problems(phase, None, RESPONSE_OK)
        pieces.problems += [f"read at {offset}: {p}" for p in problems]


def _object_info(phase: DataPhase) -> ObjectInfo | None:
    if phase.payload is None:
        return None
    result = decode_dataset(phase.opcode or 0, phase.payload, phase.params)
    if isinstance(result, Decoded) and isinstance(result.value, ObjectInfo):
        return result.value
    return None


def _expected_size(kind: str, info: ObjectInfo | None, announced: int | None) -> int | None:
    if info is not None:
        size = info.thumb_compressed_size if kind == "thumb" else info.compressed_size
        if size and size != 0xFFFFFFFF:  # 0xFFFFFFFF: object of 4 GiB or more (MTP)
            return size
    return announced


def _phase_problems(phase: DataPhase, expected: int | None, response: int | None) -> list[str]:
    problems = []
    if phase.payload is None and phase.size:
        problems.append("bytes not in the capture")
    elif phase.holes:
        problems.append(f"{sum(n for _, n in phase.holes)} bytes lost in capture gaps")
    if not phase.complete:
        problems.append("data phase not ended by End Data")
    if phase.announced is not None and phase.size != phase.announced:
        problems.append(f"{phase.size} bytes where Start Data announced {phase.announced}")
    if expected is not None and expected != phase.announced and phase.size != expected:
        problems.append(f"{phase.size} bytes where ObjectInfo says {expected}")
    if response is not None and response != RESPONSE_OK:
        problems.append(f"response 0x{response:04X}")
    return problems


def _piece_response(pieces: _Pieces, p: Packet) -> None:
    if p.code != RESPONSE_OK:
        pieces.problems.append(f"response 0x{p.code or 0:04X} to transaction "
                               f"{p.transaction_id}")


def _joined(pieces: _Pieces) -> ObjectTransfer:
    """GetPartialObject reads of one handle as one object; what was never read is a hole."""
    expected = _expected_size("object", pieces.info, None)
    end = max((off + n for off, _, n in pieces.pieces), default=0)
    size = expected if expected is not None else end
    buffer = bytearray(max(size, end))
    covered: list[tuple[int, int]] = []
    for offset, data, _ in sorted(pieces.pieces, key=lambda piece: piece[0]):
        if data is not None:
            buffer[offset:offset + len(data)] = data
            covered.append((offset, offset + len(data)))
    holes = _holes(covered, size)
    problems = list(pieces.problems)
    if holes:
        problems.append(f"{sum(n for _, n in holes)} bytes never read or not captured")
    if expected is None and not pieces.short_read:
        problems.append("object size unknown (no ObjectInfo, no short last read)")
    return ObjectTransfer(pieces.handle, "object", 0x101B, pieces.info, bytes(buffer), expected,
                          holes, not problems, "; ".join(problems), pieces.stream,
                          tuple(pieces.tids), pieces.first_frame, pieces.last_frame)


def _holes(covered: list[tuple[int, int]], size: int) -> tuple[tuple[int, int], ...]:
    holes, pos = [], 0
    for start, end in sorted(covered):
        if start > pos:
            holes.append((pos, start - pos))
        pos = max(pos, end)
    if pos < size:
        holes.append((pos, size - pos))
    return tuple(holes)
