"""Discovery datagrams in, ``Discovery`` records out (sans-IO), and the link to sessions.

``DiscoveryDecoder.feed`` takes the UDP datagrams sources/link.py keeps (SSDP on 1900, mDNS on
5353) and, from ``feed_http``, the reassembled bytes of an HTTP exchange (the device
description). ``session_of`` links a record to the PTP/IP session it leads to: the same camera
address, or the same identity (the UPnP/DNS-SD UUID equals the GUID of the Init Command Ack,
as for Sony and Nikon: personalities.py), the identity winning when both are known.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Discovery, Endpoint, UdpDatagram
from ..protocol import MDNS_PORT, SSDP_PORT
from . import description, mdns, ssdp

MAX_RECORDS = 10_000  # kept per capture; more are counted in ``dropped``


class DiscoveryDecoder:
    def __init__(self) -> None:
        self.records: list[Discovery] = []
        self.dropped = 0

    def feed(self, datagrams: Iterable[UdpDatagram]) -> list[Discovery]:
        new = [d for d in (self._datagram(g) for g in datagrams) if d is not None]
        return self._keep(new)

    def feed_http(self, frame: int, time: float, server: Endpoint, client: Endpoint,
                  response: bytes) -> list[Discovery]:
        """An HTTP response from ``server``: a device description if it holds one."""
        body = description.http_body(response)
        if body is None or b"<root" not in body[:4096]:
            return []
        parsed = description.parse(body)
        if isinstance(parsed, str):
            return self._keep([Discovery(frame, time, "upnp-description", "document", server,
                                         client, server.address, problem=parsed)])
        return self._keep([Discovery(
            frame, time, "upnp-description", "document", server, client, server.address,
            parsed.uuid, ", ".join(parsed.services) or None, parsed.friendly_name,
            manufacturer=parsed.manufacturer, model=parsed.model)])

    def _keep(self, new: list[Discovery]) -> list[Discovery]:
        room = MAX_RECORDS - len(self.records)
        self.dropped += max(0, len(new) - room)
        self.records += new[:max(room, 0)]
        return new

    def _datagram(self, g: UdpDatagram) -> Discovery | None:
        src, dst = Endpoint(g.src, g.sport), Endpoint(g.dst, g.dport)
        if SSDP_PORT in (g.sport, g.dport):
            return _ssdp(g, src, dst)
        if MDNS_PORT in (g.sport, g.dport):
            return _mdns(g, src, dst)
        return None


def _ssdp(g: UdpDatagram, src: Endpoint, dst: Endpoint) -> Discovery:
    try:
        m = ssdp.parse(g.payload)
    except ssdp.NotSsdp as exc:
        return Discovery(g.frame, g.time, "ssdp", "malformed", src, dst, problem=str(exc))
    camera = None if m.kind == "search" else g.src
    return Discovery(g.frame, g.time, "ssdp", m.kind, src, dst, camera, m.uuid, m.service,
                     location=m.headers.get("location"), server=m.headers.get("server"))


def _mdns(g: UdpDatagram, src: Endpoint, dst: Endpoint) -> Discovery:
    try:
        m = mdns.parse(g.payload)
    except mdns.NotDns as exc:
        return Discovery(g.frame, g.time, "mdns", "malformed", src, dst, problem=str(exc))
    if not m.response:
        asked = ", ".join(name for name, _ in m.questions[:8]) or None
        return Discovery(g.frame, g.time, "mdns", "query", src, dst, service=asked)
    return _announcement(g, src, dst, m)


def _announcement(g: UdpDatagram, src: Endpoint, dst: Endpoint,
                  m: mdns.DnsMessage) -> Discovery:
    by_type: dict[int, list[mdns.Record]] = {}
    for r in m.records:
        by_type.setdefault(r.rtype, []).append(r)
    services = [r.name for r in by_type.get(mdns.TYPE_PTR, []) if r.name.endswith("._tcp.local")]
    instance = next((str(r.value) for r in by_type.get(mdns.TYPE_PTR, [])), None)
    srv = next((r.value for r in by_type.get(mdns.TYPE_SRV, [])), None)
    txt = next((r.value for r in by_type.get(mdns.TYPE_TXT, [])), ())
    pairs = tuple(p for p in txt if isinstance(p, tuple)) if isinstance(txt, tuple) else ()
    address = next((str(r.value) for r in by_type.get(mdns.TYPE_A, [])), None)
    camera = ipaddress.ip_address(address).packed if address else g.src
    guid = dict(pairs).get("guid")
    return Discovery(
        g.frame, g.time, "mdns", "announcement", src, dst, camera,
        guid.lower() if isinstance(guid, str) and len(guid) == 36 else None,
        ", ".join(dict.fromkeys(services)) or None, instance,
        port=srv[1] if isinstance(srv, tuple) and isinstance(srv[1], int) else None,
        txt=pairs)


@dataclass(frozen=True, slots=True)
class SessionIdentity:
    """What a PTP/IP session says about its camera, to link discovery to it."""

    number: int
    camera: bytes  # responder address
    guid: bytes | None  # from the Init Command Ack
    start: float = 0.0  # the session's first packet (epoch seconds)


def session_of(record: Discovery, sessions: Sequence[SessionIdentity]) -> int | None:
    """The session a record leads to: among those whose camera GUID is the record's UUID
    (else, whose address is its camera address), the first to start after it, or the last
    before it; None if none matches (a search, or another device)."""
    wanted = record.uuid.replace("-", "") if record.uuid is not None else None
    same = [s for s in sessions if wanted is not None and s.guid is not None
            and s.guid.hex() == wanted]
    if not same and record.camera is not None:
        same = [s for s in sessions if s.camera == record.camera]
    if not same:
        return None
    after = [s for s in same if s.start >= record.time]
    return min(after, key=lambda s: s.start).number if after else \
        max(same, key=lambda s: s.start).number


def link_reason(record: Discovery, session: SessionIdentity) -> str:
    if record.uuid is not None and session.guid is not None \
            and session.guid.hex() == record.uuid.replace("-", ""):
        return "uuid"
    return "address"


def summary(d: Discovery) -> str:
    """One line for a record, like a packet's (dissect): protocol, kind and what it says.
    Wire strings are returned as they are: the caller escapes them for a terminal."""
    what = {"ssdp": "SSDP", "mdns": "mDNS", "upnp-description": "UPnP description"}[d.protocol]
    parts = [f"{what} {d.kind}"]
    for label, value in (("", d.service), ("name=", d.name), ("uuid=", d.uuid),
                         ("port=", d.port), ("model=", d.model),
                         ("manufacturer=", d.manufacturer), ("location=", d.location),
                         ("server=", d.server), ("problem: ", d.problem)):
        if value is not None and value != "":
            parts.append(f"{label}{value}")
    if d.txt:
        parts.append("txt=" + ";".join(f"{k}={v}" for k, v in d.txt))
    return " ".join(parts)
