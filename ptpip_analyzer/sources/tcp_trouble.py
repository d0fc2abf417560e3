"""Scripted sessions with TCP trouble on purpose: what a bad Wi-Fi link does to a download.

Both start from ``synthetic.basic_session`` (a GetObject of 200,000 bytes in MSS-sized camera
segments) and rewrite its command connection's segment list:

- ``lossy_download``: two neighbouring camera segments swapped (out-of-order); one segment lost
  before the capture point, the host's three ACKs for the hole (two duplicate ACKs) and the
  camera's fast retransmission; one segment sent again after a 0.3 s timeout (a retransmission
  timeout: lost after the capture point); the host's zero window held for 0.5 s, then its
  window update; one segment sent again after the host had acknowledged it (spurious).
- ``reset_mid_download``: the camera resets the command connection in the middle of the
  GetObject data phase; no response, no CloseSession.

``write_pcapng(script, out)`` writes either (Ethernet, nanosecond pcapng), so tshark reads the
same file. Counts by Wireshark 4.0's tcp.analysis are in tests/reassembly/test_tcp_analysis.py.
"""

from __future__ import annotations

import itertools
from typing import BinaryIO

from ..model import ACK, RST
from . import pcap_writer as w
from .synthetic import SessionScript, basic_session

RTO_S = 0.3  # how long the camera waits before its timeout retransmission
ZERO_WINDOW_S = 0.5  # how long the host keeps its window shut


def lossy_download() -> SessionScript:
    s = basic_session()
    segs = s.command.segments
    data = _object_segments(s)
    _swap(segs, data[10], data[11])
    _fast_retransmission(segs, _quiet_run(segs, data, 30))
    _timeout_retransmission(segs, data[50], RTO_S)
    _zero_window(segs, data[70], ZERO_WINDOW_S)
    _spurious_retransmission(segs, data[90])
    return s


def reset_mid_download(after: int = 40) -> SessionScript:
    """The camera's RST right after the ``after``-th camera segment of the GetObject data."""
    s = basic_session()
    segs = s.command.segments
    last = _object_segments(s)[after]
    del segs[segs.index(last) + 1:]
    host = next(x for x in reversed(segs) if x.from_client)
    end = last.seq + len(last.payload)
    segs.append(w.Segment(last.time + 0.0001, False, end, host.seq + len(host.payload),
                          RST | ACK, b""))
    return s


def write_pcapng(script: SessionScript, out: BinaryIO) -> None:
    packets = sorted((p for c in (script.command, script.event) for p in c.ip_packets()),
                     key=lambda p: p[0])
    frames = w.frames_for(packets, w.LINKTYPE_ETHERNET)
    w.write_pcapng(out, [(0, f) for f in frames], [w.Interface(w.LINKTYPE_ETHERNET, tsresol=9)])


# -- rewriting the segment list ------------------------------------------------------------------
def _object_segments(s: SessionScript) -> list[w.Segment]:
    """The camera's full-sized data segments (the GetObject data phase holds nearly all)."""
    mss = s.command.mss
    return [x for x in s.command.segments if not x.from_client and len(x.payload) == mss]


def _quiet_run(segs: list[w.Segment], data: list[w.Segment], start: int) -> w.Segment:
    """The first data segment from ``data[start]`` on followed by four camera segments with
    no host segment between (room for a lost segment and its duplicate ACKs)."""
    for seg in data[start:]:
        i = segs.index(seg)
        if all(not x.from_client for x in segs[i:i + 5]):
            return seg
    raise ValueError("no quiet run of camera segments")


def _host_seq(segs: list[w.Segment], at: int) -> int:
    """The host's sequence number at position ``at`` (it sends no data meanwhile)."""
    host = next(x for x in itertools.chain(segs[at:], reversed(segs[:at])) if x.from_client)
    return host.seq


def _swap(segs: list[w.Segment], a: w.Segment, b: w.Segment) -> None:
    i, j = segs.index(a), segs.index(b)
    segs[i], segs[j] = b, a
    a.time, b.time = b.time, a.time


def _fast_retransmission(segs: list[w.Segment], lost: w.Segment) -> None:
    i = segs.index(lost)
    seq = _host_seq(segs, i)
    segs.remove(lost)
    for k in range(3):  # after each of the next three camera segments: an ACK for the hole
        after = segs[i + 2 * k]
        segs.insert(i + 2 * k + 1, _pure_ack(after.time + 0.00002, seq, lost.seq))
    last = segs[i + 5]
    resent = w.Segment(last.time + 0.00003, False, lost.seq, lost.ack, lost.flags, lost.payload)
    segs.insert(i + 6, resent)


def _timeout_retransmission(segs: list[w.Segment], seg: w.Segment, delay: float) -> None:
    i = segs.index(seg)
    _shift(segs, i + 1, delay)
    segs.insert(i + 1, w.Segment(seg.time + delay, False, seg.seq, seg.ack, seg.flags,
                                 seg.payload))


def _zero_window(segs: list[w.Segment], seg: w.Segment, hold: float) -> None:
    i = segs.index(seg)
    seq, end = _host_seq(segs, i), seg.seq + len(seg.payload)
    shut = _pure_ack(seg.time + 0.00002, seq, end, window=0)
    _shift(segs, i + 1, hold)
    segs[i + 1:i + 1] = [shut, _pure_ack(seg.time + hold, seq, end)]


def _spurious_retransmission(segs: list[w.Segment], start: w.Segment) -> None:
    """The camera segment before the first host ACK from ``start`` on, again after it."""
    i = segs.index(start)
    j = next(k for k in range(i, len(segs)) if segs[k].from_client)
    seg = next(x for x in reversed(segs[:j]) if not x.from_client and x.payload)
    ack = segs[j]
    segs.insert(j + 1, w.Segment(ack.time + 0.00002, False, seg.seq, seg.ack, seg.flags,
                                 seg.payload))


def _pure_ack(time: float, seq: int, ack: int, window: int = 65535) -> w.Segment:
    return w.Segment(time, True, seq, ack & 0xFFFFFFFF, ACK, b"", window)


def _shift(segs: list[w.Segment], start: int, delay: float) -> None:
    for x in segs[start:]:
        x.time += delay
