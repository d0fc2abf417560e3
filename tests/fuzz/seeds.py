"""Seed corpora for the fuzz harnesses, cut from the shipped captures (captures/, every folder).

Each kind names what a harness takes: whole capture files (``pcap``, ``pcapng``,
``small_capture``), single frames with their link type (``frame``), one direction's stream
bytes (``stream``), single PTP/IP packets (``packet``), data phase payloads with their
operation (``dataset``), both directions of a connection (``session``) and segment scripts for
one half stream (``segments``), in the byte layouts ``harnesses.py`` reads.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from ptpip_analyzer.decode.data_phases import DataPhaseAssembler
from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.model import Direction, Packet
from ptpip_analyzer.sources.capture_file import CaptureError

from .harnesses import DATASET_OPS, LINKTYPES, read_frames

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
MAX_SEED = 1 << 16
NO_CUTS = b"\x40\x40\x40\x40"  # harnesses._stream_records: chunks of 65-193 bytes, no gaps


def _files(*suffixes: str, limit: int = MAX_SEED) -> Iterator[bytes]:
    for path in sorted(CAPTURES.rglob("*")):
        if path.suffix in suffixes:
            yield path.read_bytes()[:limit]


def _frames() -> Iterator[bytes]:
    for data in _files(".pcap", ".pcapng"):
        try:
            for n, frame in enumerate(read_frames(data)):
                if n >= 24:
                    break
                yield bytes([LINKTYPES.index(frame.linktype) if frame.linktype in LINKTYPES
                             else 0]) + bytes(frame.data)
        except CaptureError:
            continue


def _packets_by_direction(path: Path) -> dict[Direction, bytes]:
    streams: dict[Direction, bytearray] = {d: bytearray() for d in Direction}
    for _, record in dissect_file(path).records():
        if isinstance(record, Packet) and record.stream == 0 and record.raw \
                and len(streams[record.direction]) < MAX_SEED // 2:
            streams[record.direction] += record.raw
    return {d: bytes(b) for d, b in streams.items()}


def _captures() -> list[Path]:
    return sorted(p for p in CAPTURES.rglob("*") if p.suffix in (".pcap", ".pcapng")
                  and "hostile" not in p.parts)


def _streams() -> Iterator[bytes]:
    for path in _captures():
        for data in _packets_by_direction(path).values():
            if data:
                yield NO_CUTS + data


def _sessions() -> Iterator[bytes]:
    for path in _captures():
        streams = _packets_by_direction(path)
        camera = NO_CUTS + streams[Direction.TO_RESPONDER]
        yield struct.pack("<H", 2 + len(camera)) + camera + NO_CUTS + \
            streams[Direction.TO_INITIATOR]


def _single_packets() -> Iterator[bytes]:
    seen: set[tuple[int, int | None]] = set()
    for path in _captures():
        for _, record in dissect_file(path).records():
            key = (record.ptype, record.code) if isinstance(record, Packet) else (0, None)
            if isinstance(record, Packet) and record.raw and key not in seen \
                    and len(record.raw) <= MAX_SEED:
                seen.add(key)
                yield record.raw


def _datasets() -> Iterator[bytes]:
    for path in _captures():
        phases = DataPhaseAssembler()
        for conn, record in dissect_file(path).records():
            for phase in phases.feed(conn, record):
                if phase.payload and phase.opcode in DATASET_OPS:
                    param = phase.params[0] & 0xFFFF if phase.params else 0
                    yield bytes([DATASET_OPS.index(phase.opcode)]) + \
                        struct.pack("<H", param) + phase.payload[:MAX_SEED]


def _segments() -> Iterator[bytes]:
    """In order, one out of order, a retransmission, an ACK past what was seen."""
    chunk = bytes(range(64))
    yield struct.pack("<BhBH", 0x10, 0, 0, 0) + \
        b"".join(struct.pack("<BhBH", 0x18, 0, len(chunk), 0) + chunk for _ in range(4))
    yield struct.pack("<BhBH", 0x02, 0, 0, 0) + struct.pack("<BhBH", 0x18, 20, 64, 0) + chunk \
        + struct.pack("<BhBH", 0x18, -10, 64, 0) + chunk + struct.pack("<BhBH", 0x90, 5, 0, 300)
    yield struct.pack("<BhBH", 0x18, 0, 64, 200) + chunk + struct.pack("<BhBH", 0x01, 9, 0, 0)


KINDS = {
    "pcap": lambda: _files(".pcap"),
    "pcapng": lambda: _files(".pcapng"),
    "small_capture": lambda: (d for d in _files(".pcap", ".pcapng") if len(d) <= 12_000),
    "frame": _frames,
    "stream": _streams,
    "session": _sessions,
    "packet": _single_packets,
    "dataset": _datasets,
    "segments": _segments,
}


def seeds(kind: str) -> list[bytes]:
    """The distinct seeds of a kind, smallest first."""
    return sorted(set(KINDS[kind]()), key=len)
