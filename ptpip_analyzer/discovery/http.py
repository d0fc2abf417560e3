"""HTTP exchanges with announced devices, sans-IO: TCP segments in, whole responses out.

Only the servers an SSDP LOCATION named are followed (``servers``, which grows as LOCATIONs
are seen); their side of each connection is put together by sequence number (the device
description is a few KiB: no retransmission analysis, an overlap keeps the first copy).
Bounded: MAX_RESPONSE bytes per connection and MAX_CONNECTIONS connections at once. A response
is complete when its Content-Length is in hand, at the server's FIN (the simulator and cameras
close after one response), or at ``close()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..model import FIN, RST, Endpoint, TcpSegment

MAX_RESPONSE = 256 * 1024
MAX_CONNECTIONS = 64
MAX_HEAD = 16 * 1024  # an HTTP head longer than this is not a description's
_HEAD_END = b"\r\n\r\n"


@dataclass(slots=True)
class _Exchange:
    server: Endpoint
    client: Endpoint
    frame: int
    time: float
    chunks: dict[int, bytes] = field(default_factory=dict)  # sequence number -> bytes
    size: int = 0
    # head + Content-Length once the head is in hand; -1: no length (the response ends at the
    # server's FIN), or no head in the first MAX_HEAD bytes
    expected: int | None = None

    def data(self) -> bytes:
        return b"".join(self.chunks[seq] for seq in sorted(self.chunks))  # no wrap: a few KiB

    def complete(self) -> bool:
        if self.expected is None and self._contiguous():
            data = self.data()
            if data.startswith(b"HTTP/"):  # else the response's first bytes are still to come
                self.expected = _expected_size(data)
            if self.expected is None and self.size > MAX_HEAD:
                self.expected = -1
        return self.expected is not None and 0 <= self.expected <= self.size

    def _contiguous(self) -> bool:
        """The bytes in hand have no hole (the head is read only from whole bytes)."""
        end = None
        for seq in sorted(self.chunks):
            if end is not None and seq != end:
                return False
            end = seq + len(self.chunks[seq])
        return True


@dataclass(frozen=True, slots=True)
class HttpResponse:
    frame: int  # the response's first frame
    time: float
    server: Endpoint
    client: Endpoint
    data: bytes


def server_of(location: str) -> tuple[str, int] | None:
    """(host, port) of an http:// LOCATION; None for anything else."""
    try:
        parts = urlsplit(location)
        port = parts.port or 80
    except ValueError:
        return None
    return (parts.hostname, port) if parts.scheme == "http" and parts.hostname else None


def _expected_size(data: bytes) -> int | None:
    """Head plus Content-Length bytes once the whole head is in ``data`` (None: not yet; -1:
    the response names no length and ends at the server's FIN)."""
    end = data.find(_HEAD_END, 0, MAX_HEAD)
    if end < 0:
        return None
    for line in data[:end].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return end + len(_HEAD_END) + int(value.strip())
    return -1


class HttpCollector:
    def __init__(self, servers: set[tuple[bytes, int]]) -> None:
        self.servers = servers  # (packed address, port) to follow: the caller's, grows
        self.open: dict[tuple[bytes, int, bytes, int], _Exchange] = {}

    def feed(self, seg: TcpSegment) -> HttpResponse | None:
        """A TCP segment; the response it completes, if any (only a server's segments count)."""
        if (seg.src, seg.sport) not in self.servers:
            return None
        key = (seg.src, seg.sport, seg.dst, seg.dport)
        exchange = self.open.get(key)
        if exchange is None:
            if len(self.open) >= MAX_CONNECTIONS or not seg.payload:
                return None
            exchange = self.open[key] = _Exchange(Endpoint(seg.src, seg.sport),
                                                  Endpoint(seg.dst, seg.dport), seg.frame,
                                                  seg.time)
        if seg.payload and seg.seq not in exchange.chunks \
                and exchange.size + len(seg.payload) <= MAX_RESPONSE:
            exchange.chunks[seg.seq] = bytes(seg.payload)
            exchange.size += len(seg.payload)
        if seg.flags & (FIN | RST) or exchange.complete():
            return self._finish(key)
        return None

    def close(self) -> list[HttpResponse]:
        """End of input: the responses still open, as far as they came."""
        return [r for r in (self._finish(key) for key in list(self.open)) if r is not None]

    def _finish(self, key: tuple[bytes, int, bytes, int]) -> HttpResponse | None:
        e = self.open.pop(key)
        data = e.data()
        return HttpResponse(e.frame, e.time, e.server, e.client, data) if data else None
