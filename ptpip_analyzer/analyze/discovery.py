"""The ``discovery`` table: SSDP / mDNS / UPnP description messages, linked to sessions.

One row per decoded discovery message (ptpip_analyzer.discovery); ``session`` is the PTP/IP
session it leads to (same camera GUID as the record's UUID, else the same camera address) and
``link`` says which of the two matched. The table has its own column list (``COLUMNS``) and is
built from the discovery datagrams the link layer kept (``FrameStats.datagrams``).
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

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("frame", "int64", "capture frame of the message"),
    ("time", "datetime", "capture time of that frame (UTC)"),
    ("protocol", "category", "ssdp | mdns | upnp-description"),
    ("kind", "category", ("notify, byebye, search, response (SSDP); announcement, query "
                          "(mDNS); document (description); malformed")),
    ("src", "string", "sender address:port"),
    ("dst", "string", "destination address:port"),
    ("camera", "string", "address of the device announcing itself (NA: a search or query)"),
    ("uuid", "string", "UPnP USN/UDN or DNS-SD TXT guid UUID"),
    ("service", "string", "SSDP NT/ST, DNS-SD service types, or description service types"),
    ("name", "string", "friendly name (description) or DNS-SD instance name"),
    ("location", "string", "SSDP LOCATION: the device description's URL"),
    ("port", "Int64", "DNS-SD SRV port (the PTP/IP port)"),
    ("manufacturer", "string", "description manufacturer"),
    ("model", "string", "description modelName"),
    ("server", "string", "SSDP SERVER header"),
    ("txt", "string", "DNS-SD TXT pairs, key=value; separated"),
    ("problem", "string", "why the message could not be decoded (NA: it could)"),
    ("session", "Int64", "PTP/IP session the message leads to (NA: none in the capture)"),
    ("link", "category", "uuid (UUID = the Ack's camera GUID) | address (same camera address)"),
)


def drain(stats: FrameStats, decoder: DiscoveryDecoder) -> list[Discovery]:
    """Decode the datagrams the link layer kept since the last call (they are let go)."""
    return decoder.feed(stats.drain_datagrams())


def identities(sessions: pd.DataFrame) -> list[SessionIdentity]:
    """The sessions table's camera address and GUID per session."""
    out = []
    for number, camera, guid in zip(sessions["session"], sessions["camera"],
                                    sessions["camera_guid"], strict=True):
        if isinstance(camera, str):
            host = camera.rpartition(":")[0].strip("[]")
            out.append(SessionIdentity(int(number), ipaddress.ip_address(host).packed,
                                       bytes.fromhex(guid) if isinstance(guid, str) else None))
    return out


def discovery_frame(records: Sequence[Discovery], sessions: pd.DataFrame) -> pd.DataFrame:
    known = identities(sessions)
    by_number = {s.number: s for s in known}
    rows: dict[str, list[Any]] = {name: [] for name, _, _ in COLUMNS}
    for r in records:
        number = session_of(r, known)
        for name, value in _row(r).items():
            rows[name].append(value)
        rows["session"].append(number)
        rows["link"].append(link_reason(r, by_number[number]) if number is not None else None)
    return pd.DataFrame({name: _series(dtype, rows[name]) for name, dtype, _ in COLUMNS})


def _row(r: Discovery) -> dict[str, Any]:
    return {
        "frame": r.frame, "time": r.time, "protocol": r.protocol, "kind": r.kind,
        "src": str(r.src), "dst": str(r.dst),
        "camera": format_address(r.camera) if r.camera is not None else None,
        "uuid": r.uuid, "service": r.service, "name": r.name, "location": r.location,
        "port": r.port, "manufacturer": r.manufacturer, "model": r.model, "server": r.server,
        "txt": "; ".join(f"{k}={v}" for k, v in r.txt) or None, "problem": r.problem,
    }


def _series(dtype: str, values: list[Any]) -> pd.Series:
    if dtype == "datetime":
        return pd.to_datetime(pd.Series(values, dtype="float64"), unit="s", utc=True)
    if dtype == "category":
        return pd.Series(values, dtype="object").astype("category")
    return pd.Series(values, dtype=dtype)


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
