"""Fuzz harnesses, one per entry point: any bytes in, no exception out, invariants kept.

Each harness is a ``one_input(data: bytes) -> None`` that raises only when something is wrong
(an exception escaping the code under test, or a broken invariant: bytes unaccounted for, a
buffer past its cap, output larger than the input allows). ``seeds()`` gives each harness its
starting corpus, cut from the shipped captures (``tests/fuzz/seeds.py``). The same functions
run under atheris (``tests/fuzz/atheris_main.py``, coverage-guided) and under hypothesis.

The capture reader harnesses go through ``read_frames`` only: the reader's public entry point
is ``sources.capture_file.open_frames(stream)`` today; point ``read_frames`` at a sans-IO
``feed(bytes)`` reader when there is one, and every harness follows.
"""

from __future__ import annotations

import io
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ptpip_analyzer.decode.dataset_decoder import decode_dataset as _decode_dataset
from ptpip_analyzer.decode.datasets import MTP_LAYOUTS, PROPERTY_VALUE_OPS, STANDARD_LAYOUTS
from ptpip_analyzer.decode.packets import decode_pdu
from ptpip_analyzer.export.objects import ObjectReassembler
from ptpip_analyzer.framing import HUNT_WINDOW, KEEP_ALL, MAX_KEPT, Framer
from ptpip_analyzer.model import (
    Buffer,
    Connection,
    Direction,
    Endpoint,
    Gap,
    Malformed,
    Packet,
    Pdu,
    Record,
)
from ptpip_analyzer.reassembly.tcp import MAX_PENDING_SEGMENTS, HalfStream
from ptpip_analyzer.sources.capture_file import CaptureError, RawFrame, open_frames
from ptpip_analyzer.sources.link import SUPPORTED_LINKTYPES, FrameStats, tcp_segments
from ptpip_analyzer.validate import Validator
from tests.stream_invariants import check_tiling

CONN = Connection(0, Endpoint(b"\x0a\x00\x00\x02", 50001), Endpoint(b"\x0a\x00\x00\x01", 15740), 1)
LINKTYPES = sorted(SUPPORTED_LINKTYPES)
DATASET_OPS = sorted({*STANDARD_LAYOUTS, *MTP_LAYOUTS, *PROPERTY_VALUE_OPS})


def read_frames(data: bytes) -> Iterator[RawFrame]:
    """Frames of a capture file's bytes: the one place the harnesses touch the reader."""
    return open_frames(io.BytesIO(data))


# -- capture reader, link decoding --------------------------------------------------------------
def capture_reader(data: bytes) -> None:
    """pcap and pcapng (by their magic): frames, or CaptureError, never another exception."""
    try:
        for frame in read_frames(data):
            assert len(frame.data) <= len(data), "a frame larger than the file"
    except CaptureError:
        pass


def link_decoding(data: bytes) -> None:
    """One frame of any supported link type (chosen by the first byte) through link, IP and
    TCP decoding: at most one segment, its payload inside the frame."""
    if not data:
        return
    frame = memoryview(data[1:])
    wire = len(frame) + (data[0] & 0x0F) * 100  # some frames cut by a snaplen
    stats = FrameStats()
    raw = RawFrame(LINKTYPES[data[0] % len(LINKTYPES)], 0.0, frame, wire)
    segments = list(tcp_segments([raw], stats))
    assert len(segments) <= 1 and stats.frames == 1
    for seg in segments:
        assert len(seg.payload) <= len(frame) and seg.missing >= 0


# -- reassembly ---------------------------------------------------------------------------------
class _Recorder:
    """A StreamSink that checks that ranges come contiguous, from offset 0 up."""

    def __init__(self) -> None:
        self.pos = 0
        self.calls = 0

    def data(self, offset: int, data: Buffer, frame: int, time: float) -> None:
        assert offset == self.pos and len(data) > 0, (offset, self.pos, len(data))
        self.pos += len(data)
        self.calls += 1

    def gap(self, offset: int, length: int, frame: int, time: float, reason: str) -> None:
        assert offset == self.pos and length > 0, (offset, self.pos, length)
        self.pos += length
        self.calls += 1


_SEGMENT = struct.Struct("<BhBH")  # flags, sequence step, payload length, snaplen-cut bytes


def reassembly(data: bytes) -> None:
    """Segments (flags, a sequence step from the last, payload, cut bytes) and ACKs into one
    half stream: output contiguous, buffers within their caps."""
    sink = _Recorder()
    half = HalfStream(sink, max_pending=1 << 16)
    seq, pos, frame = 1000, 0, 0
    while pos + _SEGMENT.size <= len(data):
        flags, step, size, cut = _SEGMENT.unpack_from(data, pos)
        pos += _SEGMENT.size
        payload, pos = data[pos:pos + size], pos + size
        seq, frame = (seq + step * 7) & 0xFFFFFFFF, frame + 1
        if flags & 0x80:
            half.acknowledged((seq + cut) & 0xFFFFFFFF, frame, float(frame))
        else:
            half.feed(seq, flags & 0x17, payload, frame, float(frame), cut & 0x3FF)
        assert half.pending_bytes <= (1 << 16) + 255 + 0x3FF
        assert len(half.pending) <= MAX_PENDING_SEGMENTS + 1
    half.close()
    assert sink.pos == half.next


# -- framing, PTP/IP decode ---------------------------------------------------------------------
def _stream_records(data: bytes, direction: Direction = Direction.TO_INITIATOR,
                    keep: int = KEEP_ALL) -> tuple[list[Record], Framer]:
    """``data`` as one direction's stream: chunks and gaps (cut by the first bytes), framed
    and decoded. Checks framing's caps on the way."""
    out: list[object] = []
    framer = Framer(0, direction, out, keep_payload=keep, midstream=bool(data[:1] == b"\x00"))
    cuts = data[:4].ljust(4, b"\x00")
    body, pos, frame = data[4:], 0, 0
    while pos < len(body):
        size = 1 + cuts[frame % 4] * (frame % 3 + 1)
        frame += 1
        if cuts[frame % 4] & 0x81 == 0x81:  # lose these bytes (a capture gap)
            framer.gap(framer.pos, size, frame, float(frame), "fuzz gap")
        else:
            framer.data(framer.pos, body[pos:pos + size], frame, float(frame))
        pos += size
        assert len(framer.hunt) <= 2 * HUNT_WINDOW + 2048 and len(framer.acc) <= MAX_KEPT
        assert len(framer.hunt_marks) <= len(framer.hunt) + 2
    framer.close()
    records = [decode_pdu(r) if isinstance(r, Pdu) else r for r in out]
    for r in records:
        assert isinstance(r, Packet | Gap | Malformed)
    return records, framer  # type: ignore[return-value]


def framing(data: bytes) -> None:
    """Any stream bytes and gaps: records tile the stream (every byte in one record)."""
    records, framer = _stream_records(data)
    check_tiling((0, Direction.TO_INITIATOR), records, framer.pos)


def ptpip_decode(data: bytes) -> None:
    """One length-bounded packet (as framing hands it over) decoded: a Packet or Malformed."""
    if len(data) < 8:
        return
    ptype = struct.unpack_from("<I", data, 4)[0]
    record = decode_pdu(Pdu(0, Direction.TO_RESPONDER, 0, len(data), ptype, data, 1, 0.0))
    assert isinstance(record, Packet | Malformed) and record.length <= len(data)


def dataset_decode(data: bytes) -> None:
    """A data phase payload of any operation that has a dataset (chosen by the first byte)."""
    if not data:
        return
    opcode = DATASET_OPS[data[0] % len(DATASET_OPS)]
    params = (struct.unpack_from("<H", data, 1)[0],) if len(data) >= 3 else ()
    for vendor in (None, "canon", "nikon", "sony"):
        _decode_dataset(opcode, data[3:], params, vendor=vendor)


# -- whole-session stages: validator, object assembly ---------------------------------------------
def _session(data: bytes) -> list[Record]:
    """Both directions of one connection from the fuzz bytes (split at a point the first
    bytes choose), interleaved in stream order of arrival."""
    split = int.from_bytes(data[:2].ljust(2, b"\x00"), "little") % (len(data) + 1)
    to_camera, _ = _stream_records(data[2:split], Direction.TO_RESPONDER)
    to_host, _ = _stream_records(data[split:], Direction.TO_INITIATOR)
    merged: list[Record] = []
    while to_camera or to_host:  # a request, then what answers it, as a camera would
        if to_camera:
            merged.append(to_camera.pop(0))
        merged += to_host[:3]
        del to_host[:3]
    return merged


def validator(data: bytes) -> None:
    """Every rule over any record sequence: findings, never an exception."""
    v = Validator()
    for record in _session(data):
        v.feed(CONN, record)
    v.close()


class _BoundedSink:
    """An object sink that counts what is written and checks it against the input's size."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def write(self, offset: int, data: Buffer) -> None:
        self.budget -= len(data)
        assert self.budget >= 0, "an object sink got more bytes than the capture holds"


class _Store:
    def __init__(self, budget: int) -> None:
        self.sink = _BoundedSink(budget)

    def create(self) -> _BoundedSink:
        return self.sink


def object_assembly(data: bytes) -> None:
    """Objects from any record sequence: what reaches the sinks is at most what the capture
    holds (never zeros sized by an offset or a size field)."""
    reassembler = ObjectReassembler(_Store(len(data)))
    for record in _session(data):
        reassembler.feed(CONN, record)
    for transfer in reassembler.close():
        assert all(n > 0 for _, n in transfer.holes)


# -- report -------------------------------------------------------------------------------------
def report(data: bytes) -> None:
    """A capture file's bytes through load(), the HTML report and the stats tables."""
    from rich.console import Console

    import ptpip_analyzer
    from ptpip_analyzer.report import print_stats, render

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.pcap"
        path.write_bytes(data)
        try:
            cap = ptpip_analyzer.load(path)
        except CaptureError:
            return
    assert render(cap).endswith("</html>\n")
    out = io.StringIO()
    print_stats(cap, Console(file=out, width=160))
    assert "\x1b" not in out.getvalue()


@dataclass(frozen=True)
class Harness:
    name: str
    one_input: Callable[[bytes], None]
    seeds: str  # which seeds (tests/fuzz/seeds.py): "pcap", "pcapng", "frame", ...
    # libFuzzer's -max_len: the whole-session harnesses run ~0.1 s per 64 KB instrumented, so
    # they get shorter inputs (seeds are cut to it) and many more of them
    max_len: int = 1 << 16


HARNESSES = {h.name: h for h in (
    Harness("pcap_reader", capture_reader, "pcap"),
    Harness("pcapng_reader", capture_reader, "pcapng"),
    Harness("link", link_decoding, "frame"),
    Harness("reassembly", reassembly, "segments"),
    Harness("framing", framing, "stream", 1 << 13),
    Harness("ptpip_decode", ptpip_decode, "packet"),
    Harness("dataset_decode", dataset_decode, "dataset"),
    Harness("validator", validator, "session", 1 << 13),
    Harness("object_assembly", object_assembly, "session", 1 << 13),
    Harness("report", report, "small_capture", 1 << 13),
)}
