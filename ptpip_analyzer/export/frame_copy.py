"""Pass two of an excerpt: copy the planned frames out of a capture into a pcapng.

Frames are matched to streams by their TCP 4-tuple and frame number (a 4-tuple reused by a
later connection is told apart by the planned frame ranges). With trimming, a frame whose TCP
payload ends in cuttable stream bytes is cut there like a snapshot length would: captured length
shortened, original length kept (see ``excerpt`` for why).
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..model import SYN, Direction, TcpSegment
from ..sources.capture_file import RawFrame, open_frames
from ..sources.link import FrameStats, network_offset, tcp_segments
from ..sources.pcap_writer import Frame, Interface, write_pcapng
from .excerpt import ExcerptPlan

_U16 = struct.Struct(">H").unpack_from
_MASK = 0xFFFFFFFF
Key = tuple[bytes, int, bytes, int]


@dataclass(slots=True)
class CopyStats:
    frames_read: int = 0
    frames_written: int = 0
    bytes_trimmed: int = 0
    linktypes: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Half:
    stream: int
    direction: Direction
    base: int | None = None  # sequence number of stream offset 0, as reassembly sets it


def write_excerpt(capture: str | Path, plan: ExcerptPlan, out: BinaryIO) -> CopyStats:
    stats = CopyStats()
    frames: list[tuple[int, Frame]] = []
    for raw, segment, half in _matched(capture, plan, stats):
        if segment.seq is not None and half is not None and half.base is None:
            half.base = (segment.seq + 1) & _MASK if segment.flags & SYN else segment.seq
        if half is None or not _planned(plan, half.stream, segment.frame):
            continue
        data = _trimmed(raw, segment, plan, half, stats)
        if raw.linktype not in stats.linktypes:
            stats.linktypes.append(raw.linktype)
        # the original frame number rides along as a packet comment (tshark: frame.comment)
        frames.append((stats.linktypes.index(raw.linktype),
                       Frame(raw.time, data, raw.wire_length,
                             f"original frame {segment.frame}")))
    write_pcapng(out, frames, [Interface(lt, tsresol=9) for lt in stats.linktypes],
                 comment=f"excerpt of {Path(capture).name} (ptpip-analyzer excerpt): each "
                         "frame's comment gives its number there")
    stats.frames_written = len(frames)
    return stats


def _matched(capture: str | Path, plan: ExcerptPlan, stats: CopyStats) -> Iterator[
        tuple[RawFrame, TcpSegment, _Half | None]]:
    """Every TCP segment with its frame and, if it belongs to a planned stream, its half."""
    halves = _halves(plan)
    last: list[RawFrame] = []

    def tap(frames: Iterator[RawFrame]) -> Iterator[RawFrame]:
        for frame in frames:  # tcp_segments pulls one frame per step: last[0] is the segment's
            last[:] = [frame]
            yield frame

    with open(capture, "rb") as f:
        for segment in tcp_segments(tap(open_frames(f)), FrameStats()):
            key = (bytes(segment.src), segment.sport, bytes(segment.dst), segment.dport)
            yield last[0], segment, _half_for(halves.get(key, ()), plan, segment.frame)
            stats.frames_read = segment.frame


def _halves(plan: ExcerptPlan) -> dict[Key, list[_Half]]:
    out: dict[Key, list[_Half]] = {}
    for stream, conn in plan.connections.items():
        i, r = conn.initiator, conn.responder
        out.setdefault((i.address, i.port, r.address, r.port), []).append(
            _Half(stream, Direction.TO_RESPONDER))
        out.setdefault((r.address, r.port, i.address, i.port), []).append(
            _Half(stream, Direction.TO_INITIATOR))
    return out


def _half_for(candidates: list[_Half] | tuple[()], plan: ExcerptPlan,
              frame: int) -> _Half | None:
    """The stream this frame belongs to: the latest one opened at or before it."""
    opened = [h for h in candidates if plan.connections[h.stream].first_frame <= frame]
    return max(opened, key=lambda h: plan.connections[h.stream].first_frame, default=None)


def _planned(plan: ExcerptPlan, stream: int, frame: int) -> bool:
    spans = plan.spans.get(stream, [])
    i = bisect.bisect_right(spans, (frame, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= frame <= spans[i][1]


def _trimmed(raw: RawFrame, segment: TcpSegment, plan: ExcerptPlan, half: _Half,
             stats: CopyStats) -> bytes:
    data = bytes(raw.data)
    n = len(segment.payload)
    ranges = plan.cuttable.get((half.stream, half.direction))
    if not n or not ranges or half.base is None:
        return data
    offset = (segment.seq - half.base) & _MASK  # excerpts of streams over 4 GiB: not handled
    i = bisect.bisect_right(ranges, (offset + n - 1, 1 << 62)) - 1
    if i < 0 or not ranges[i][0] <= offset + n - 1 < ranges[i][1]:
        return data
    keep = max(ranges[i][0] - offset, 0)
    payload_end = _ip_end(raw)
    if payload_end is None or payload_end > len(data):
        return data
    stats.bytes_trimmed += n - keep
    return data[:payload_end - (n - keep)]


def _ip_end(raw: RawFrame) -> int | None:
    """Where the IP packet ends in the frame (an Ethernet trailer may follow)."""
    version, off = network_offset(raw.linktype, raw.data)
    if version == 4 and len(raw.data) >= off + 4:
        return off + int(_U16(raw.data, off + 2)[0])
    if version == 6 and len(raw.data) >= off + 6:
        return off + 40 + int(_U16(raw.data, off + 4)[0])
    return None
