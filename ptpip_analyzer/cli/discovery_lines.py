"""dissect's discovery lines: the engine's SSDP / mDNS / UPnP description records, printed
between the packet lines in frame order (looked at every 256 records, and at the end), each
linked to the PTP/IP connection of the same camera address."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from ..discovery.decoder import summary
from ..model import Discovery
from ..terminal_text import escape
from .output import TimeFormat

if TYPE_CHECKING:
    from ..engine import Engine


class DiscoveryLines:
    def __init__(self, engine: Engine, out: TextIO, fmt: str, time_format: str) -> None:
        self.engine, self.out, self.format, self.time_format = engine, out, fmt, time_format
        self.times: TimeFormat | None = None
        self.seen = 0  # engine.discovery.records taken so far
        self.held: list[Discovery] = []  # decoded, waiting for the packet lines to pass them

    def flush(self, before_frame: float = float("inf")) -> None:
        """Print the records of frames before ``before_frame`` (all: at the end)."""
        records = self.engine.discovery.records
        if len(records) > self.seen:
            self.held += records[self.seen:]
            self.seen = len(records)
        due = [d for d in self.held if d.frame < before_frame]
        self.held = [d for d in self.held if d.frame >= before_frame]
        for d in due:
            stream = self._stream_of(d)
            if self.format == "jsonl":
                self.out.write(json.dumps(_row(d, stream)) + "\n")
                continue
            if self.times is None:
                self.times = TimeFormat(self.time_format, self.engine.first_frame_time)
            link = f" (camera of stream {stream})" if stream is not None else ""
            self.out.write(f"{d.frame:7d} {self.times(d.time)} {d.src} → {d.dst} discovery "
                           f"{escape(summary(d))}{link}\n")

    def _stream_of(self, d: Discovery) -> int | None:
        return next((c.stream for c in self.engine.connections
                     if d.camera is not None and c.responder.address == d.camera), None)


def _row(d: Discovery, stream: int | None) -> dict[str, object]:
    return {"frame": d.frame, "time": d.time, "type_name": "discovery", "src": str(d.src),
            "dst": str(d.dst), "protocol": d.protocol, "kind": d.kind, "uuid": d.uuid,
            "service": d.service, "name": d.name, "location": d.location, "port": d.port,
            "model": d.model, "manufacturer": d.manufacturer, "server": d.server,
            "txt": dict(d.txt), "problem": d.problem, "stream": stream}
