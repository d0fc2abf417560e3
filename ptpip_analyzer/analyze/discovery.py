"""The ``discovery`` table: SSDP / mDNS / UPnP description messages, linked to sessions.

One row per decoded discovery message (ptpip_analyzer.discovery); ``session`` is the PTP/IP
session it leads to (same camera GUID as the record's UUID, else the same camera address) and
``link`` says which of the two matched; the sessions table's ``announced`` sums it up per
session. Built from the discovery datagrams the link layer kept (``FrameStats.datagrams``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..discovery.decoder import DiscoveryDecoder, SessionIdentity, link_reason, session_of
from ..discovery.http import HttpCollector, server_of
from ..model import Discovery, format_address
from ..sources.capture_file import CaptureError, open_frames
from ..sources.link import FrameStats, tcp_segments
from .schema import SCHEMAS, frame


def drain(stats: FrameStats, decoder: DiscoveryDecoder) -> list[Discovery]:
    """Decode the datagrams the link layer kept since the last call (they are let go)."""
    return decoder.feed(stats.drain_datagrams())


def identities(sessions: pd.DataFrame) -> list[SessionIdentity]:
    """The sessions table's camera address and GUID per session."""
    out = []
    starts = sessions["start"].map(lambda t: t.timestamp() if pd.notna(t) else 0.0)
    for number, camera, guid, start in zip(sessions["session"], sessions["camera"],
                                           sessions["camera_guid"], starts, strict=True):
        if isinstance(camera, str):
            host = camera.rpartition(":")[0].strip("[]")
            out.append(SessionIdentity(int(number), ipaddress.ip_address(host).packed,
                                       bytes.fromhex(guid) if isinstance(guid, str) else None,
                                       float(start)))
    return out


def discovery_frame(records: Sequence[Discovery], sessions: pd.DataFrame) -> pd.DataFrame:
    known = identities(sessions)
    by_number = {s.number: s for s in known}
    rows: dict[str, list[Any]] = {c.name: [] for c in SCHEMAS["discovery"]}
    for r in records:
        number = session_of(r, known)
        for name, value in _row(r).items():
            rows[name].append(value)
        rows["session"].append(number)
        rows["link"].append(link_reason(r, by_number[number]) if number is not None else None)
    return frame("discovery", rows)


def with_announced(sessions: pd.DataFrame, discovery: pd.DataFrame) -> pd.DataFrame:
    """The sessions table with ``announced``: the discovery protocols linked to each."""
    linked = discovery.dropna(subset=["session"])
    by_session = {int(n): ", ".join(dict.fromkeys(str(p) for p in group["protocol"]))
                  for n, group in linked.groupby("session", observed=True)}
    out = sessions.copy()
    out["announced"] = pd.Series([by_session.get(int(n)) for n in sessions["session"]],
                                 dtype="string", index=sessions.index)
    return out


def _row(r: Discovery) -> dict[str, Any]:
    return {
        "frame": r.frame, "time": r.time, "protocol": r.protocol, "kind": r.kind,
        "src": str(r.src), "dst": str(r.dst),
        "camera": format_address(r.camera) if r.camera is not None else None,
        "uuid": r.uuid, "service": r.service, "name": r.name, "location": r.location,
        "port": r.port, "manufacturer": r.manufacturer, "model": r.model, "server": r.server,
        "txt": "; ".join(f"{k}={v}" for k, v in r.txt) or None, "problem": r.problem,
    }


def with_descriptions(path: Path, records: Sequence[Discovery]) -> list[Discovery]:
    """``records`` plus the device descriptions their SSDP LOCATIONs served, read in a second
    pass over ``path`` that follows only those HTTP servers. The engine's pass keeps no TCP
    but PTP/IP's, so the description needs this pass; it runs only when a LOCATION was seen
    (captures with discovery are small), never on standard input."""
    servers = set()
    for r in records:
        server = server_of(r.location) if r.location else None
        if server is not None:
            try:
                servers.add((ipaddress.ip_address(server[0]).packed, server[1]))
            except ValueError:  # a host name: its address is not in the capture's terms
                continue
    if not servers:
        return list(records)
    collector = HttpCollector(servers)
    try:
        with open(path, "rb") as stream:
            for segment in tcp_segments(open_frames(stream), FrameStats()):
                collector.feed(segment)
    except (OSError, CaptureError):
        return list(records)
    decoder = DiscoveryDecoder()
    for response in collector.close():
        decoder.feed_http(response.frame, response.time, response.server, response.client,
                          response.data)
    return sorted([*records, *decoder.records], key=lambda r: r.frame)
