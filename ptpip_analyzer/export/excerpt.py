"""Bug-report excerpts: the frames of a few transactions, with the context that makes them read.

Two passes over the capture. The first (``plan``) runs the pipeline and the validator and turns
the chosen transactions into frame ranges per TCP stream; the second (``write_excerpt``) streams
the file again and copies the frames of those streams inside those ranges into a pcapng.

What is kept, per chosen transaction (both directions, ACKs included): every frame of its
stream from its Operation Request up to the next request on that stream (so the response and
its ACK are in), or to the end of its response when requests overlap. Context: each involved
connection's opening (SYN handshake and the PTP/IP Init packets), the session's OpenSession, and
the event connection's events while the chosen transactions run.

``trim_data``: bulk data is cut the way a snapshot length cuts it, never rewritten. A frame whose
TCP payload ends in bytes of an object data phase (GetObject, GetThumb, GetPartialObject,
SendObject) or of any data phase over 1 MiB keeps its headers and the bytes before those; its
original length stays in the record. Every PTP/IP header (and the 12 bytes of each Data
packet's header) stays, TCP sequence numbers stay true, so tshark shows "packet size limited
during capture" and our dissector reports exactly the cut bytes as capture gaps inside the Data
packets, with transaction ids, sizes and responses intact. Rewriting the TCP stream instead
would have to change Start Data's length, sequence and ACK numbers: a capture of something that
never happened.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..analyze.transactions import Transaction, validation_of
from ..decode.annotate import keep_latest
from ..engine import Dissection, EngineOptions
from ..model import Connection, Direction, Packet, Record
from ..protocol import OPEN_SESSION, PacketType
from ..protocol import UNKNOWN_DATA_LENGTH as UNKNOWN_LENGTH
from .objects import OBJECT_KINDS

END = 1 << 62  # "to the end of the capture"
BULK_BYTES = 1 << 20  # data phases above this are bulk whatever their operation
DATA_HEADER = 12  # length, type, transaction id of Data / End Data: always kept
MARKS_KEPT = 64  # requests remembered per stream (one runs at a time, few wait behind it)


class ExcerptError(ValueError):
    """The selection names no transaction of the capture."""


@dataclass(slots=True)
class _StreamMarks:
    """What pass one learns about one stream: where its records start, what may be cut."""

    conn: Connection
    # frames as machine integers (issue 17: 1,120,000 records of a 98 MB capture were ~50 MB
    # as lists of ints)
    record_frames: array[int] = field(default_factory=lambda: array("q"))
    request_frames: array[int] = field(default_factory=lambda: array("q"))
    first_other_frame: int | None = None  # first record that is not an Init packet
    events: array[int] = field(default_factory=lambda: array("q"))
    cuttable: dict[Direction, list[tuple[int, int]]] = field(default_factory=dict)
    # transaction id -> opcode, -> announced length: of the latest MARKS_KEPT requests and
    # Start Data (the Data packets that follow are judged by them)
    requests: dict[int, int] = field(default_factory=dict)
    announced: dict[int, int | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExcerptPlan:
    transactions: tuple[Transaction, ...]  # the chosen ones (context not included)
    spans: dict[int, list[tuple[int, int]]]  # stream -> merged inclusive frame ranges
    connections: dict[int, Connection]
    cuttable: dict[tuple[int, Direction], list[tuple[int, int]]]  # stream bytes that may go


def parse_selection(text: str) -> set[int]:
    """``"12-15,20"`` -> {12, 13, 14, 15, 20}."""
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, _, high = part.partition("-")
        first, last = int(low, 0), int(high or low, 0)
        if last < first or last - first > 1_000_000:
            raise ValueError(f"bad transaction range {part!r}")
        out.update(range(first, last + 1))
    return out


def plan(path: str | Path, transaction_ids: set[int], session: int | None = None,
         options: EngineOptions | None = None, trim_data: bool = False) -> ExcerptPlan:
    """Pass one: which frames of which streams the excerpt holds."""
    return Survey(path, options).plan(transaction_ids, session, trim_data)


class Survey:
    """Pass one run: the engine (validator on) over the capture, with each stream's marks.

    ``names`` also runs the annotator and keeps the payload the transactions table's names
    come from, so the same run can answer a ``-Y`` over the transactions table before it is
    planned: one pass where a selection pass and a planning pass held two (issue 17)."""

    def __init__(self, path: str | Path, options: EngineOptions | None = None,
                 names: bool = False) -> None:
        engine_options = (options or EngineOptions()).with_(
            keep_payload=1 << 20 if names else 0, annotate=names, validate=True)
        self.source = Dissection(path, engine_options)
        self.marks: dict[int, _StreamMarks] = {}
        for _ in _watch(self.source.records(), self.marks):
            pass
        if self.source.error and self.source.engine.reader.format is None:
            raise ExcerptError(f"{path}: {self.source.error}")

    def plan(self, transaction_ids: set[int], session: int | None = None,
             trim_data: bool = False) -> ExcerptPlan:
        """The frames of the chosen transactions (ids, in ``session`` if given) and their
        context."""
        marks = self.marks
        result = validation_of(self.source.engine)
        chosen = [t for t in result.transactions if t.transaction_id in transaction_ids
                  and (session is None or t.session == session)]
        if not chosen:
            raise ExcerptError("no transaction matches the selection")
        sessions = {t.session for t in chosen}
        context = [t for t in result.transactions if t.opcode == OPEN_SESSION
                   and t.session in sessions and t not in chosen]
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for t in chosen + context:
            spans[t.stream].append(_transaction_span(marks[t.stream], t))
        streams = {t.stream for t in chosen}
        for s in result.sessions:
            if s.number in sessions:
                streams |= {x for x in (s.command_stream, s.event_stream) if x is not None}
        window = (min(t.start_frame for t in chosen),
                  max(t.end_frame or t.start_frame for t in chosen))
        for stream in streams:
            spans[stream] += _context_spans(marks[stream], window)
        cuttable = {(s, d): r for s in spans for d, r in marks[s].cuttable.items()} \
            if trim_data else {}
        return ExcerptPlan(tuple(chosen), {s: _merged(r) for s, r in spans.items()},
                           {s: marks[s].conn for s in spans}, cuttable)


def _watch(pairs: Iterable[tuple[Connection, Record]],
           marks: dict[int, _StreamMarks]) -> Iterator[tuple[Connection, Record]]:
    for conn, record in pairs:
        m = marks.get(record.stream)
        if m is None:
            m = marks[record.stream] = _StreamMarks(conn)
        _mark(m, record)
        yield conn, record


def _mark(m: _StreamMarks, record: Record) -> None:
    if not m.record_frames or m.record_frames[-1] != record.frame:
        bisect.insort(m.record_frames, record.frame)
    ptype = record.ptype if isinstance(record, Packet) else 0
    if ptype not in _INIT_TYPES and m.first_other_frame is None:
        m.first_other_frame = record.frame
    if not isinstance(record, Packet) or record.transaction_id is None:
        return
    tid = record.transaction_id
    if ptype == PacketType.OPERATION_REQUEST:
        m.request_frames.append(record.frame)
        keep_latest(m.requests, tid, record.code or 0, MARKS_KEPT)
    elif ptype == PacketType.EVENT:
        m.events.append(record.frame)
    elif ptype == PacketType.START_DATA:
        keep_latest(m.announced, tid,
                    None if record.data_length == UNKNOWN_LENGTH else record.data_length,
                    MARKS_KEPT)
    elif ptype in _DATA_TYPES and _bulk(m, tid) and record.length > DATA_HEADER:
        m.cuttable.setdefault(record.direction, []).append(
            (record.offset + DATA_HEADER, record.offset + record.length))


_INIT_TYPES = frozenset({PacketType.INIT_COMMAND_REQUEST, PacketType.INIT_COMMAND_ACK,
                         PacketType.INIT_EVENT_REQUEST, PacketType.INIT_EVENT_ACK,
                         PacketType.INIT_FAIL})
_DATA_TYPES = frozenset({PacketType.DATA, PacketType.END_DATA})


def _bulk(m: _StreamMarks, tid: int) -> bool:
    announced = m.announced.get(tid)
    return m.requests.get(tid) in OBJECT_KINDS or announced is None or announced > BULK_BYTES


def _record_end(m: _StreamMarks, frame: int) -> int:
    """Last frame of the span of the record starting at ``frame``: before the next record."""
    i = bisect.bisect_right(m.record_frames, frame)
    return m.record_frames[i] - 1 if i < len(m.record_frames) else END


def _transaction_span(m: _StreamMarks, t: Transaction) -> tuple[int, int]:
    i = bisect.bisect_right(m.request_frames, t.start_frame)
    until_next_request = m.request_frames[i] - 1 if i < len(m.request_frames) else END
    response_end = _record_end(m, t.end_frame) if t.end_frame is not None else t.start_frame
    return t.start_frame, max(until_next_request, response_end)


def _context_spans(m: _StreamMarks, window: tuple[int, int]) -> list[tuple[int, int]]:
    opening_end = m.first_other_frame - 1 if m.first_other_frame is not None else END
    spans = [(m.conn.first_frame, opening_end)]
    spans += [(f, _record_end(m, f)) for f in m.events if window[0] <= f <= window[1]]
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
