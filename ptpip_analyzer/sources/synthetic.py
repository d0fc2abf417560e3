"""Scripted PTP/IP sessions as TCP conversations: the input of synthetic captures and tests.

A session is written as a conversation (who sends which PTP/IP packets), encoded with
``decode.encode`` and cut into TCP segments by ``pcap_writer.TcpConversation``; pathologies
(reordering, retransmission, loss, snaplen cuts) are applied to the segment list on purpose.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from ..decode import encode
from .pcap_writer import Segment, TcpConversation

GUID = bytes(range(0x10, 0x20))
CAMERA_GUID = bytes(range(0xA0, 0xB0))


@dataclass(slots=True)
class SessionScript:
    command: TcpConversation
    event: TcpConversation


def jpeg_like(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return b"\xff\xd8\xff\xe0" + rng.randbytes(max(size - 6, 0)) + b"\xff\xd9"


def basic_session(host: str = "192.168.1.10", camera: str = "192.168.1.1",
                  object_size: int = 200_000, data_chunk: int = 65536,
                  client_isn: int = 1000, mss: int = 1448) -> SessionScript:
    """Handshakes, OpenSession, GetDeviceInfo, handles, ObjectInfo, GetObject, events, probe."""
    cmd = TcpConversation((host, 50001), (camera, 15740), client_isn=client_isn, mss=mss)
    evt = TcpConversation((host, 50002), (camera, 15740), client_isn=client_isn + 77777, mss=mss)
    cmd.handshake()
    cmd.send(True, encode.init_command_request(GUID, "ptpip-analyzer test host"))
    cmd.send(False, encode.init_command_ack(1, CAMERA_GUID, "Synthetic Camera"))
    evt.time = cmd.time
    evt.handshake()
    evt.send(True, encode.init_event_request(1))
    evt.send(False, encode.init_event_ack())
    cmd.time = evt.time
    tid = 0
    cmd.send(True, encode.operation_request(0x1002, tid, [1, 0, 0, 0, 0]))
    cmd.send(False, encode.operation_response(0x2001, tid))
    handles = (1).to_bytes(4, "little") * 2  # array of one handle: count 1, handle 1
    for op, payload in ((0x1001, b"\x64\x00" + bytes(300)), (0x1007, handles)):
        tid += 1
        cmd.send(True, encode.operation_request(op, tid, [0xFFFFFFFF, 0, 0]))
        cmd.send(False, b"".join(encode.data_phase(tid, payload)))
        cmd.send(False, encode.operation_response(0x2001, tid))
    tid += 1
    cmd.send(True, encode.operation_request(0x1009, tid, [1]))
    for pkt in encode.data_phase(tid, jpeg_like(object_size, tid), chunk_size=data_chunk):
        cmd.send(False, pkt)
    cmd.send(False, encode.operation_response(0x2001, tid))
    evt.time = cmd.time
    evt.send(False, encode.event(0x4002, 0xFFFFFFFF, [2]))
    evt.send(True, encode.probe_request())
    evt.send(False, encode.probe_response())
    cmd.time = evt.time
    tid += 1
    cmd.send(True, encode.operation_request(0x1003, tid))
    cmd.send(False, encode.operation_response(0x2001, tid))
    cmd.finish()
    evt.finish()
    return SessionScript(cmd, evt)


def reorder(segments: list[Segment], rng: random.Random, swaps: int) -> list[Segment]:
    """Swap neighbouring data segments ``swaps`` times (capture order differs from seq order)."""
    out = list(segments)
    # Only direct neighbours: a swap across the peer's ACK would be a capture no network makes
    # (an ACK for bytes the receiver has not had yet).
    pairs = [i for i in range(len(out) - 1) if out[i].payload and out[i + 1].payload
             and out[i].from_client == out[i + 1].from_client]
    for _ in range(swaps):
        a = rng.choice(pairs)
        b = a + 1
        out[a], out[b] = out[b], out[a]
        out[a].time, out[b].time = out[b].time, out[a].time  # capture order = list order
    return out


def retransmit(segments: list[Segment], rng: random.Random, count: int,
               overlap: bool = False) -> list[Segment]:
    """Insert copies of earlier data segments later; with ``overlap``, copies that straddle."""
    out = list(segments)
    for _ in range(count):
        data_idx = [i for i, s in enumerate(out) if s.payload and len(s.payload) > 4]
        i = rng.choice(data_idx)
        s = out[i]
        if overlap:
            cut = len(s.payload) // 2
            nxt = next((o for o in out[i + 1:] if o.from_client == s.from_client and o.payload),
                       None)
            extra = nxt.payload[:cut] if nxt is not None and nxt.seq == s.seq + len(s.payload) \
                else b""
            copy = Segment(s.time, s.from_client, s.seq + cut, s.ack, s.flags,
                           s.payload[cut:] + extra)
        else:
            copy = Segment(s.time, s.from_client, s.seq, s.ack, s.flags, s.payload)
        at = min(i + rng.randint(1, 4), len(out))
        copy.time = out[at - 1].time + 1e-6
        out.insert(at, copy)
    return _monotonic(out)


def _monotonic(segments: list[Segment]) -> list[Segment]:
    """Make times non-decreasing in list order, so that sorting by time keeps this order."""
    for prev, seg in itertools.pairwise(segments):
        seg.time = max(seg.time, prev.time + 1e-7)
    return segments


def drop(segments: list[Segment], indices: list[int]) -> list[Segment]:
    """Remove the data segments at these positions among data segments (capture loss)."""
    data_idx = [i for i, s in enumerate(segments) if s.payload]
    gone = {data_idx[i] for i in indices}
    return [s for i, s in enumerate(segments) if i not in gone]
