"""The UPnP device description (UDA 1.1 section 2.3) an SSDP LOCATION points to.

Read from the HTTP response body. XML from the wire is parsed only when it declares no DTD or
entities (no entity-expansion bombs) and is at most MAX_DOCUMENT bytes; a damaged document
gives a problem string, never an exception.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

MAX_DOCUMENT = 256 * 1024
_FIELDS = ("friendlyName", "manufacturer", "modelName", "UDN")


@dataclass(frozen=True, slots=True)
class DeviceDescription:
    friendly_name: str | None
    manufacturer: str | None
    model: str | None
    uuid: str | None  # from UDN "uuid:..."
    services: tuple[str, ...]


def parse(body: bytes) -> DeviceDescription | str:
    """The description, or a one-line reason it could not be read."""
    if len(body) > MAX_DOCUMENT:
        return f"device description of {len(body)} bytes is over {MAX_DOCUMENT}"
    if b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        return "device description declares a DTD or entities: not parsed"
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        return f"device description is not well-formed XML ({exc})"
    device = next((e for e in root.iter() if _local(e.tag) == "device"), None)
    if device is None:
        return "device description has no <device> element"
    found = {_local(e.tag): (e.text or "").strip() for e in device if _local(e.tag) in _FIELDS}
    udn = found.get("UDN", "")
    services = tuple((e.text or "").strip() for e in device.iter()
                     if _local(e.tag) == "serviceType")
    return DeviceDescription(found.get("friendlyName"), found.get("manufacturer"),
                             found.get("modelName"),
                             udn[5:].lower() if udn.lower().startswith("uuid:") else None,
                             services)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def http_body(message: bytes) -> bytes | None:
    """The body of an HTTP/1.x 200 response (whole message in hand), or None."""
    head, sep, body = message.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1.") or b" 200" not in head[:13]:
        return None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return body[:int(value.strip())]  # a slice: never sized by the wire's number
    return body
