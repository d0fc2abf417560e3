"""The dissection pipeline: sources -> reassembly -> framing -> decode, wired together.

``Dissector`` is sans-IO over TCP segments (files and live capture feed it alike);
``dissect_file`` adds the file source. Records come out as ``(Connection, Record)`` pairs in
the order their last byte arrived, and every stream byte is accounted for in ``accounting``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .decode.packets import decode_pdu
from .framing import DEFAULT_MAX_LENGTH, Framer
from .framing_fuji import FUJI_PORTS, FujiFramer
from .model import (
    Connection,
    Direction,
    FrameProblem,
    Gap,
    Malformed,
    Packet,
    Pdu,
    Record,
    Role,
    TcpSegment,
)
from .reassembly.flows import PTPIP_PORT, FlowTable
from .reassembly.tcp import DEFAULT_MAX_PENDING
from .sources.capture_file import CaptureError, RawFrame, decompressed, open_frames
from .sources.link import SUPPORTED_LINKTYPES, FrameStats, tcp_segments

_COMMAND_TYPES = frozenset({1, 2, 5, 6, 7, 9, 10, 11, 12})
_EVENT_TYPES = frozenset({3, 4, 8})


@dataclass(frozen=True, slots=True)
class DissectOptions:
    ports: frozenset[int] = frozenset({PTPIP_PORT})
    heuristics: bool = True  # also find PTP/IP on other ports by its Init requests
    # Data / End Data bytes are kept in Packet.payload for data phases announced at most this
    # long (datasets); KEEP_ALL keeps every payload (each Data packet up to 16 MiB).
    keep_payload: int = 1 << 20
    max_pending: int = DEFAULT_MAX_PENDING  # out-of-order bytes buffered per direction
    max_packet_length: int = DEFAULT_MAX_LENGTH


@dataclass(slots=True)
class StreamAccounting:
    """Where the bytes of one direction of one stream went; total == the sum of the rest."""

    total: int = 0
    packets: int = 0
    gaps: int = 0
    malformed: int = 0

    @property
    def balanced(self) -> bool:
        return self.total == self.packets + self.gaps + self.malformed


PairList = list[tuple[Connection, Record]]


class Dissector:
    """Segments in, decoded records out (sans-IO)."""

    def __init__(self, options: DissectOptions = DissectOptions()) -> None:
        self.options = options
        self.pending: list[object] = []
        self._framers: dict[tuple[int, int], Framer | FujiFramer] = {}
        self.accounting: dict[tuple[int, Direction], StreamAccounting] = {}
        # Fuji's ports always carry its variant (framing_fuji); the per-segment path is unchanged
        self.flows = FlowTable(self._framer_for, options.ports | FUJI_PORTS, options.heuristics,
                               options.max_pending)
        self._by_stream: dict[int, Connection] = {}

    @property
    def connections(self) -> list[Connection]:
        return self.flows.connections

    def feed(self, segment: TcpSegment) -> PairList:
        self.flows.feed(segment)
        return self.collect() if self.pending else []

    def close(self) -> PairList:
        self.flows.close()
        for framer in self._framers.values():
            framer.close()
        out = self.collect()
        for (stream, direction), framer in self._framers.items():
            self.accounting[(stream, Direction(direction))].total = framer.pos
        return out

    def _framer_for(self, conn: Connection, direction: Direction,
                    midstream: bool) -> Framer | FujiFramer:
        framer: Framer | FujiFramer
        if conn.responder.port in FUJI_PORTS:
            conn.variant = "fuji"
            framer = FujiFramer(conn.stream, direction, self.pending, self.options.keep_payload)
        else:
            framer = Framer(conn.stream, direction, self.pending, self.options.keep_payload,
                            self.options.max_packet_length, midstream)
        self._framers[(conn.stream, direction)] = framer
        self.accounting[(conn.stream, direction)] = StreamAccounting()
        self._by_stream[conn.stream] = conn
        return framer

    def collect(self) -> PairList:
        pending = self.pending[:]
        self.pending.clear()
        out: PairList = []
        for item in pending:
            record = decode_pdu(item) if isinstance(item, Pdu) else item
            assert isinstance(record, Packet | Gap | Malformed)
            conn = self._by_stream[record.stream]
            self._account(record)
            if isinstance(record, Packet) and conn.role is Role.UNKNOWN:
                _learn_role(conn, record)
            out.append((conn, record))
        return out

    def _account(self, record: Record) -> None:
        books = self.accounting[(record.stream, record.direction)]
        if isinstance(record, Packet):
            books.packets += record.length - record.missing
        elif isinstance(record, Gap):
            books.gaps += record.length
        else:
            books.malformed += record.length


def _learn_role(conn: Connection, packet: Packet) -> None:
    if packet.ptype in _COMMAND_TYPES:
        conn.role = Role.COMMAND
    elif packet.ptype in _EVENT_TYPES:
        conn.role = Role.EVENT


@dataclass(slots=True)
class Dissection:
    """A file being dissected: iterate ``records()`` once; the rest is filled in as it goes."""

    path: Path
    options: DissectOptions
    frame_stats: FrameStats = field(default_factory=FrameStats)
    dissector: Dissector | None = None
    error: str | None = None  # why reading stopped early, if it did
    _stream: BinaryIO | None = None

    @property
    def accounting(self) -> dict[tuple[int, Direction], StreamAccounting]:
        return self.dissector.accounting if self.dissector else {}

    @property
    def connections(self) -> list[Connection]:
        return self.dissector.connections if self.dissector else []

    @property
    def problems(self) -> list[FrameProblem]:
        return self.frame_stats.problems

    def records(self) -> Iterator[tuple[Connection, Record]]:
        """Decoded records in order. Raises CaptureError only if the file is no capture at all."""
        self.dissector = Dissector(self.options)
        with open(self.path, "rb") as stream, decompressed(stream) as capture:
            self._stream = stream
            frames = open_frames(capture)
            yield from _run(self.dissector, tcp_segments(_guarded(frames, self), self.frame_stats))
        self._check_linktypes()

    def bytes_read(self) -> int:
        """How far into the file reading has got (for progress displays)."""
        stream = self._stream
        return stream.tell() if stream is not None and not stream.closed else 0

    def _check_linktypes(self) -> None:
        unknown = self.frame_stats.unknown_linktypes
        if unknown and self.error is None:
            kinds = ", ".join(f"{lt} ({n} frames)" for lt, n in sorted(unknown.items()))
            self.error = f"unsupported link type {kinds}; supported: " \
                         f"{', '.join(map(str, sorted(SUPPORTED_LINKTYPES)))}"


def _guarded(frames: Iterable[RawFrame], owner: Dissection) -> Iterator[RawFrame]:
    """Frames until the file ends or turns bad; the reason is kept, the frames so far count."""
    try:
        yield from frames
    except CaptureError as exc:
        owner.error = str(exc)


def _run(dissector: Dissector, segments: Iterable[TcpSegment]) -> Iterator[tuple[Connection,
                                                                                Record]]:
    # Per-segment hot path: straight into the flow table; records are collected only when
    # framing produced some (once per PTP/IP packet, not per segment).
    feed, pending = dissector.flows.feed, dissector.pending
    for segment in segments:
        feed(segment)
        if pending:
            yield from dissector.collect()
    yield from dissector.close()


def dissect_file(path: str | Path, options: DissectOptions = DissectOptions()) -> Dissection:
    return Dissection(Path(path), options)
