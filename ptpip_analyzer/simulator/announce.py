"""The simulated camera announces itself: SSDP NOTIFY, an mDNS/DNS-SD answer, and the UPnP
device description its SSDP LOCATION points to. Loopback only.

Real cameras multicast (SSDP to 239.255.255.250:1900, mDNS to 224.0.0.251:5353). A multicast
from here could leave the machine on whatever interface the route picks, so the simulator sends
the same messages **unicast to 127.0.0.1** on those ports instead: a capture on ``lo`` holds
them byte for byte as a camera would send them, and nothing leaves loopback. What the messages
say follows the personality's ``Announcement`` (sources in personalities.py): Sony's NOTIFY
types and SERVER from sony-pm-alt, Canon's ICPO service type, Nikon's ``_ptp._tcp`` TXT keys.
The message layouts are UPnP Device Architecture 1.1 section 1 (SSDP) and 2 (description),
RFC 6762/6763 (mDNS, DNS-SD).
"""

from __future__ import annotations

import asyncio
import socket
import struct

from ..protocol import MDNS_PORT, SSDP_PORT
from .personalities import Personality

LOOPBACK = "127.0.0.1"
SSDP_MULTICAST = f"239.255.255.250:{SSDP_PORT}"  # the HOST header says where a camera would send it
DESCRIPTION_PATH = "/description.xml"
MAX_AGE = 1800


def ssdp_notify(who: Personality, service: str, location: str) -> bytes:
    """One ssdp:alive NOTIFY (UDA 1.1 section 1.2.2); USN per the NT as Sony's."""
    usn = f"uuid:{who.uuid}" + ("" if service.startswith("uuid:") else f"::{service}")
    lines = ["NOTIFY * HTTP/1.1", f"HOST: {SSDP_MULTICAST}", f"CACHE-CONTROL: max-age={MAX_AGE}",
             f"LOCATION: {location}", f"NT: {service}", "NTS: ssdp:alive",
             f"SERVER: {who.announcement.ssdp_server or 'ptpip-analyzer/1.0 UPnP/1.0'}",
             f"USN: {usn}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def device_description(who: Personality) -> bytes:
    """The UPnP device description (UDA 1.1 section 2.3) the LOCATION serves."""
    services = "".join(f"<service><serviceType>{s}</serviceType></service>"
                       for s in who.announcement.ssdp_types if s.startswith("urn:"))
    return (
        '<?xml version="1.0"?>\r\n<root xmlns="urn:schemas-upnp-org:device-1-0">'
        "<specVersion><major>1</major><minor>0</minor></specVersion><device>"
        "<deviceType>urn:schemas-upnp-org:device:Basic:1</deviceType>"
        f"<friendlyName>{_xml(who.ack_name)}</friendlyName>"
        f"<manufacturer>{_xml(who.profile.manufacturer)}</manufacturer>"
        f"<modelName>{_xml(who.profile.model)}</modelName>"
        f"<UDN>uuid:{who.uuid}</UDN><serviceList>{services}</serviceList>"
        "</device></root>\r\n").encode()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- mDNS / DNS-SD (RFC 1035 section 4.1, RFC 6763 sections 4-6) ------------------------------
TYPE_A, TYPE_PTR, TYPE_TXT, TYPE_SRV = 1, 12, 16, 33
CLASS_IN_FLUSH = 0x8001  # IN with the cache-flush bit (RFC 6762 section 10.2)
TTL = 120


def _name(name: str) -> bytes:
    labels = [label.encode("utf-8")[:63] for label in name.rstrip(".").split(".")]
    return b"".join(bytes([len(label)]) + label for label in labels) + b"\0"


def _record(name: str, rtype: int, rdata: bytes, rclass: int = CLASS_IN_FLUSH) -> bytes:
    return _name(name) + struct.pack(">HHIH", rtype, rclass, TTL, len(rdata)) + rdata


def mdns_announcement(who: Personality, port: int) -> bytes:
    """An unsolicited mDNS response: per service a PTR, SRV and TXT, then the host's A record."""
    host = who.profile.model.replace(" ", "-") + ".local."
    txt = b"".join(bytes([len(e)]) + e for e in (
        f"{k}={v}".encode()[:255] for k, v in (("guid", who.uuid), *who.announcement.mdns_txt)))
    records = []
    for service in who.announcement.mdns_services:
        instance = f"{who.ack_name}.{service}"
        records += [_record(service, TYPE_PTR, _name(instance), 1),
                    _record(instance, TYPE_SRV, struct.pack(">HHH", 0, 0, port) + _name(host)),
                    _record(instance, TYPE_TXT, txt)]
    records.append(_record(host, TYPE_A, socket.inet_aton(LOOPBACK)))
    header = struct.pack(">HHHHHH", 0, 0x8400, 0, len(records), 0, 0)  # response, authoritative
    return header + b"".join(records)


class Announcer:
    """Serves the description over HTTP on loopback and sends the announcements once."""

    def __init__(self, who: Personality, ptpip_port: int) -> None:
        self.who = who
        self.ptpip_port = ptpip_port
        self.server: asyncio.Server | None = None
        self.http_port = 0

    @property
    def location(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}{DESCRIPTION_PATH}"

    async def start(self) -> None:
        if self.who.announcement.ssdp_types:
            self.server = await asyncio.start_server(self._serve, LOOPBACK, 0)
            self.http_port = self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    def messages(self) -> list[tuple[int, bytes]]:
        """(destination port, datagram) for every announcement of this camera."""
        out = [(SSDP_PORT, ssdp_notify(self.who, nt, self.location))
               for nt in (f"uuid:{self.who.uuid}", *self.who.announcement.ssdp_types)
               if self.who.announcement.ssdp_types]
        if self.who.announcement.mdns_services:
            out.append((MDNS_PORT, mdns_announcement(self.who, self.ptpip_port)))
        return out

    def announce(self) -> int:
        """Send every message unicast to 127.0.0.1 (never multicast); the count sent."""
        messages = self.messages()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for port, datagram in messages:
                sock.sendto(datagram, (LOOPBACK, port))
        return len(messages)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            found = request.split(b" ", 2)[1:2] == [DESCRIPTION_PATH.encode()]
            body = device_description(self.who) if found else b""
            status = "200 OK" if found else "404 Not Found"
            writer.write(f"HTTP/1.1 {status}\r\nCONTENT-TYPE: text/xml; charset=\"utf-8\"\r\n"
                         f"CONTENT-LENGTH: {len(body)}\r\nCONNECTION: close\r\n\r\n"
                         .encode() + body)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
                ConnectionError):
            pass
        finally:
            writer.close()
