"""Discovery in, ``Discovery`` records out (sans-IO), and the link to sessions.

``DiscoveryDecoder`` is the one discovery decoder of a run; the engine owns it. It decodes each
UDP datagram sources/link.py hands it (SSDP on 1900, mDNS on 5353) as it arrives (they are
rare), learns the HTTP servers SSDP LOCATIONs name, and is handed the TCP segments to those
servers only (``servers`` is empty until a LOCATION is seen, so the engine's per-segment cost
is one truthiness check): http.py puts each response together, and a device description in it
becomes a record. Faces read ``records`` from their own cursor (they only grow).
``SessionLinks.link`` links a record to the PTP/IP session it leads to: the same camera address, or
the same identity (the UPnP/DNS-SD UUID equals the GUID of the Init Command Ack, as for Sony
and Nikon: personalities.py), the identity winning when both are known.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Discovery, Endpoint, TcpSegment, UdpDatagram
from ..protocol import MDNS_PORT, SSDP_PORT

if TYPE_CHECKING:
    from . import mdns
    from .http import HttpCollector, HttpResponse

MAX_RECORDS = 10_000  # kept per capture; more are counted in ``dropped``
MAX_SERVERS = 256  # LOCATION servers followed (a flood of SSDP can't grow the set)


class DiscoveryDecoder:
    """Every engine has one; the parsers are imported at the first datagram (most captures
    have none, and plain dissection starts without XML, DNS and URL parsing: ~20 ms)."""

    def __init__(self) -> None:
        self.records: list[Discovery] = []
        self.dropped = 0
        # (packed address, port) of each LOCATION's server: the engine hands TCP segments
        # here while this is not empty
        self.servers: set[tuple[bytes, int]] = set()
        self.http: HttpCollector | None = None  # once a LOCATION is seen

    def datagram(self, g: UdpDatagram) -> None:
        """One discovery datagram (the link layer's hook): decoded now."""
        record = self._datagram(g)
        if record is not None:
            self._keep([record])
            if record.location:
                self._follow(record.location)

    def segment(self, seg: TcpSegment) -> None:
        """A TCP segment, while some LOCATION's server is followed (most are not its)."""
        assert self.http is not None
        response = self.http.feed(seg)
        if response is not None:
            self._response(response)

    def close(self) -> None:
        """End of input: responses still open are read as far as they came."""
        for response in self.http.close() if self.http is not None else ():
            self._response(response)

    def feed_http(self, frame: int, time: float, server: Endpoint, client: Endpoint,
                  response: bytes) -> list[Discovery]:
        """An HTTP response from ``server``: a device description if it holds one."""
        from . import description
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

    def _response(self, r: HttpResponse) -> None:
        self.feed_http(r.frame, r.time, r.server, r.client, r.data)

    def _follow(self, location: str) -> None:
        from .http import HttpCollector, server_of
        server = server_of(location)
        if server is None or len(self.servers) >= MAX_SERVERS:
            return
        if self.http is None:
            self.http = HttpCollector(self.servers)
        try:
            self.servers.add((ipaddress.ip_address(server[0]).packed, server[1]))
        except ValueError:  # a host name: its address is not in the capture's terms
            return

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
    from . import ssdp
    try:
        m = ssdp.parse(g.payload)
    except ssdp.NotSsdp as exc:
        return Discovery(g.frame, g.time, "ssdp", "malformed", src, dst, problem=str(exc))
    camera = None if m.kind == "search" else g.src
    return Discovery(g.frame, g.time, "ssdp", m.kind, src, dst, camera, m.uuid, m.service,
                     location=m.headers.get("location"), server=m.headers.get("server"))


def _mdns(g: UdpDatagram, src: Endpoint, dst: Endpoint) -> Discovery:
    from . import mdns
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
    from . import mdns
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


class SessionLinks:
    """The sessions a discovery record can lead to, indexed by camera GUID and address (a
    record's link costs the sessions of its camera, not all of them)."""

    def __init__(self, sessions: Sequence[SessionIdentity]) -> None:
        self.by_guid: dict[str, list[SessionIdentity]] = {}
        self.by_camera: dict[bytes, list[SessionIdentity]] = {}
        for s in sessions:
            if s.guid is not None:
                self.by_guid.setdefault(s.guid.hex(), []).append(s)
            self.by_camera.setdefault(s.camera, []).append(s)

    def link(self, record: Discovery) -> tuple[int | None, str | None]:
        """(session, "uuid" | "address") a record leads to: among the sessions whose camera
        GUID is the record's UUID (else, whose address is its camera address), the first to
        start after it, or the last before it; (None, None) if none matches (a search, or
        another device)."""
        if record.uuid is not None:
            same = self.by_guid.get(record.uuid.replace("-", ""))
            if same:
                return _nearest(record, same), "uuid"
        if record.camera is not None:
            same = self.by_camera.get(record.camera)
            if same:
                return _nearest(record, same), "address"
        return None, None


def _nearest(record: Discovery, same: list[SessionIdentity]) -> int:
    after = [s for s in same if s.start >= record.time]
    return min(after, key=lambda s: s.start).number if after else \
        max(same, key=lambda s: s.start).number


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
