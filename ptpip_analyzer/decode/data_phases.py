"""Data phases: Start Data -> Data* -> End Data of one transaction, put back together.

Sans-IO over the decoded record stream. Each finished data phase comes out once, with the
operation it belongs to (from the Operation Request on the same connection), its announced and
actual size, and its bytes when every chunk's payload was kept (``DissectOptions.keep_payload``;
PROTOCOL.md: the last chunk may be in End Data or End Data may be empty). Deciding whether the
phase is *correct* is the validator's job; this only assembles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Connection, Direction, Gap, Packet, Record
from ..protocol import UNKNOWN_DATA_LENGTH as UNKNOWN_LENGTH

# Payload bytes one data phase may join into ``DataPhase.payload``: datasets are kilobytes;
# object bytes are written as they come by ``export.objects``, never joined here. Past the cap
# the phase is counted (size, holes) but its payload is None.
MAX_JOINED = 1 << 24


@dataclass(frozen=True, slots=True)
class DataPhase:
    stream: int
    transaction_id: int
    opcode: int | None  # None: the request was not captured
    params: tuple[int, ...]  # the request's parameters
    direction: Direction  # who sent the data
    announced: int | None  # Start Data's total length; None when "unknown" or not captured
    size: int  # data bytes seen (Data + End Data payload sizes)
    payload: bytes | None  # the data when every chunk was kept; zeros where ``holes`` are
    complete: bool  # ended by End Data (not by Cancel, a response, or the end of capture)
    first_frame: int
    last_frame: int
    start: float
    end: float
    lost: bool = False  # the capture lost bytes of this phase (gap, malformed, cut packet)
    holes: tuple[tuple[int, int], ...] = ()  # (offset, length) in payload of uncaptured bytes


@dataclass(slots=True)
class _Open:
    transaction_id: int
    direction: Direction
    announced: int | None
    first_frame: int
    start: float
    chunks: list[bytes] = field(default_factory=list)
    size: int = 0
    whole: bool = True  # every chunk's payload is here (with known holes)
    lost: bool = False  # bytes of the phase are not in the capture
    holes: list[tuple[int, int]] = field(default_factory=list)
    unplaced: int = 0  # gap bytes not (yet) found inside one of the phase's packets
    last_frame: int = 0
    end: float = 0.0


class DataPhaseAssembler:
    def __init__(self, max_joined: int = MAX_JOINED) -> None:
        # The last Operation Request per stream (transaction id, code, parameters): PTP runs
        # one transaction at a time per connection, so older ones are never looked up again.
        self._requests: dict[int, tuple[int, int, tuple[int, ...]]] = {}
        self._open: dict[int, _Open] = {}  # by stream
        self.max_joined = max_joined

    def feed(self, conn: Connection, record: Record) -> list[DataPhase]:
        if not isinstance(record, Packet):
            phase = self._open.get(record.stream)
            if phase is not None and record.direction == phase.direction:
                phase.lost = True
                if isinstance(record, Gap):  # placed when a packet names it among its holes
                    phase.unplaced += record.length
                else:
                    phase.whole = False
            return []
        ptype = record.ptype
        if ptype == 6 and record.transaction_id is not None and record.code is not None:
            self._requests[record.stream] = (record.transaction_id, record.code, record.params)
        elif ptype == 9:
            done = self._finish(record.stream, complete=False)
            self._start(record)
            return done
        elif ptype in (10, 12):
            return self._chunk(record)
        elif ptype in (7, 11):
            return self._finish(record.stream, complete=False)
        return []

    def close(self) -> list[DataPhase]:
        out: list[DataPhase] = []
        for stream in list(self._open):
            out += self._finish(stream, complete=False)
        return out

    def _start(self, p: Packet) -> None:
        announced = p.data_length if p.data_length != UNKNOWN_LENGTH else None
        self._open[p.stream] = _Open(p.transaction_id or 0, p.direction, announced, p.frame,
                                     p.time, last_frame=p.frame, end=p.time)

    def _chunk(self, p: Packet) -> list[DataPhase]:
        phase = self._open.get(p.stream)
        if phase is None:  # Start Data not captured: open the phase here
            self._start(p)
            phase = self._open[p.stream]
            phase.announced = None
        if p.payload is None or phase.size + len(p.payload) > self.max_joined:
            phase.whole, phase.chunks = False, []
        elif phase.whole:
            phase.holes += [(phase.size + at, n) for at, n in p.holes]
            phase.unplaced -= sum(n for _, n in p.holes)
            phase.chunks.append(p.payload)
        phase.lost = phase.lost or p.missing > 0
        phase.size += p.data_length or 0
        phase.last_frame, phase.end = p.frame, p.time
        return self._finish(p.stream, complete=True) if p.ptype == 12 else []

    def _finish(self, stream: int, complete: bool) -> list[DataPhase]:
        phase = self._open.pop(stream, None)
        if phase is None:
            return []
        tid, opcode, params = self._requests.get(stream, (None, None, ()))
        if tid != phase.transaction_id:
            opcode, params = None, ()
        placed = phase.whole and phase.unplaced <= 0
        payload = b"".join(phase.chunks) if placed else None
        return [DataPhase(stream, phase.transaction_id, opcode, params, phase.direction,
                          phase.announced, phase.size, payload, complete, phase.first_frame,
                          phase.last_frame, phase.start, phase.end, phase.lost,
                          tuple(phase.holes) if placed else ())]
