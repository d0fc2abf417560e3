"""What the camera says it can do: the ``device_info`` table and a one-line summary per session.

One row per code the camera's DeviceInfo (ISO 15740 section 5.5.1, the GetDeviceInfo data
phase) lists: operations, events, device properties, capture formats and playback (image)
formats, named in the session's vendor table (PROTOCOL.md: 0x9xxx means different things to
different vendors). Property rows carry the last value the capture showed (DevicePropDesc,
GetDevicePropValue, a set the camera accepted) and its human reading beside it
(``property_values``). A session whose DeviceInfo was never captured has no rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from ..decode.codes import name_of
from ..decode.dataset_types import DeviceInfo, DevicePropDesc, PropertyValue
from ..model import format_address
from .collect import CaptureCollector, StreamFacts
from .property_values import value_text
from .schema import frame

# DeviceInfo field -> (kind in the table, kind in the code tables)
KINDS = (("operations", "operation", "operation"), ("events", "event", "event"),
         ("properties", "property", "property"),
         ("capture_formats", "capture_format", "format"),
         ("image_formats", "playback_format", "format"))
Row = dict[str, Any]
# codes kept per list: a real camera lists a few hundred at most; a hostile DeviceInfo of 1 MiB
# (keep_payload) would list half a million
MAX_CODES = 4096
MAX_READINGS = 6  # property readings on the capabilities line
PLURALS = {"operation": ("operation", "operations"), "event": ("event", "events"),
           "property": ("property", "properties"),
           "capture_format": ("capture format", "capture formats"),
           "playback_format": ("playback format", "playback formats")}


def device_info_frame(c: CaptureCollector, session_of: Mapping[int, int]) -> pd.DataFrame:
    """The ``device_info`` table of everything the collector saw (``Capture.device_info``)."""
    rows = [row for stream, facts in sorted(c.streams.items())
            if isinstance(facts.device_info, DeviceInfo)
            for row in _rows(c, stream, facts, session_of.get(stream))]
    return frame("device_info", {name: [r.get(name) for r in rows] for name in (
        "session", "stream", "kind", "code", "name", "vendor", "value", "value_text",
        "writable")})


def _rows(c: CaptureCollector, stream: int, facts: StreamFacts,
          session: int | None) -> Iterator[Row]:
    info: DeviceInfo = facts.device_info
    camera = format_address(facts.responder.address)
    for field, kind, table in KINDS:
        for code in getattr(info, field)[:MAX_CODES]:
            row: Row = {"session": session, "stream": stream, "kind": kind, "code": code,
                        "name": name_of(table, code, facts.vendor), "vendor": facts.vendor}
            if kind == "property":
                row.update(_property(c, camera, code, facts.vendor))
            yield row


def _property(c: CaptureCollector, camera: str, code: int, vendor: str | None) -> Row:
    timeline = c.properties
    desc: DevicePropDesc | None = timeline.descs.get((camera, code))
    value: PropertyValue | None = timeline.state.get((camera, code))
    return {"value": None if value is None else str(value),
            "value_text": value_text(code, value, vendor, desc.form if desc else None),
            "writable": desc.writable if desc is not None else None}


def capabilities(device_info: pd.DataFrame, session: int) -> str | None:
    """One line for ``stats``: "18 operations, 2 events, 3 properties, 1 capture format,
    3 playback formats; FNumber f/5.6, ..."; None when the session's DeviceInfo wasn't seen."""
    mine = device_info[device_info["session"] == session]
    if mine.empty:
        return None
    counts = mine["kind"].value_counts()
    parts = [_counted(int(counts.get(kind, 0)), PLURALS[kind]) for _, kind, _ in KINDS]
    read = mine.dropna(subset=["value_text"]).head(MAX_READINGS)
    readings = [f"{name} {text}" for name, text in zip(read["name"], read["value_text"],
                                                         strict=True)]
    return ", ".join(parts) + (f"; {', '.join(readings)}" if readings else "")


def _counted(count: int, words: tuple[str, str]) -> str:
    return f"{count} {words[0] if count == 1 else words[1]}"
