"""HTTP exchanges with announced devices, sans-IO: TCP segments in, whole responses out.

Only the servers an SSDP LOCATION named are followed (``servers``); their side of each
connection is put together by sequence number (the device description is a few KiB: no
retransmission analysis, an overlap keeps the first copy). Bounded: MAX_RESPONSE bytes per
connection and MAX_CONNECTIONS connections; a response is complete at the server's FIN (the
simulator and cameras close after one response) or at ``close()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..model import FIN, Endpoint, TcpSegment

MAX_RESPONSE = 256 * 1024
MAX_CONNECTIONS = 64


@dataclass(slots=True)
class _Exchange:
    server: Endpoint
    client: Endpoint
    frame: int
    time: float
    chunks: dict[int, bytes] = field(default_factory=dict)  # sequence number -> bytes
    size: int = 0


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


class HttpCollector:
    def __init__(self, servers: Iterable[tuple[bytes, int]]) -> None:
        self.servers = frozenset(servers)
        self.open: dict[tuple[bytes, int, bytes, int], _Exchange] = {}
        self.done: list[HttpResponse] = []

    def feed(self, seg: TcpSegment) -> None:
        key = (seg.src, seg.sport, seg.dst, seg.dport)
        if (seg.src, seg.sport) not in self.servers:
            return
        exchange = self.open.get(key)
        if exchange is None:
            if len(self.open) >= MAX_CONNECTIONS or not seg.payload:
                return
            exchange = self.open[key] = _Exchange(Endpoint(seg.src, seg.sport),
                                                  Endpoint(seg.dst, seg.dport), seg.frame,
                                                  seg.time)
        if seg.payload and seg.seq not in exchange.chunks \
                and exchange.size + len(seg.payload) <= MAX_RESPONSE:
            exchange.chunks[seg.seq] = bytes(seg.payload)
            exchange.size += len(seg.payload)
        if seg.flags & FIN:
            self._finish(key)

    def close(self) -> list[HttpResponse]:
        for key in list(self.open):
            self._finish(key)
        return self.done

    def _finish(self, key: tuple[bytes, int, bytes, int]) -> None:
        e = self.open.pop(key)
        data = b"".join(e.chunks[seq] for seq in sorted(e.chunks))  # no wrap: a few KiB
        if data:
            self.done.append(HttpResponse(e.frame, e.time, e.server, e.client, data))
