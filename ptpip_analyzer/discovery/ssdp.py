"""SSDP messages (UPnP Device Architecture 1.1 section 1): HTTP over UDP, one per datagram.

NOTIFY (ssdp:alive / ssdp:byebye), M-SEARCH and the HTTP/1.1 200 search responses. Headers are
case-insensitive; only the ones discovery needs are kept. Bounded: at most MAX_HEADERS lines
of at most MAX_LINE characters are read (a datagram is at most 64 KiB anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEADERS = 64
MAX_LINE = 1024
_UUID = re.compile(r"uuid:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12})")


@dataclass(frozen=True, slots=True)
class SsdpMessage:
    kind: str  # notify, byebye, search, response
    headers: dict[str, str]

    @property
    def service(self) -> str | None:
        return self.headers.get("nt") or self.headers.get("st")

    @property
    def uuid(self) -> str | None:
        match = _UUID.search(self.headers.get("usn", ""))
        return match.group(1).lower() if match else None


class NotSsdp(ValueError):
    """The datagram is not an SSDP message; the text says why, in one line."""


def parse(payload: bytes) -> SsdpMessage:
    text = payload.decode("utf-8", errors="replace")
    head, _, _ = text.partition("\r\n\r\n")
    lines = head.split("\r\n") if "\r\n" in head else head.split("\n")
    start = lines[0][:MAX_LINE]
    kind = _kind(start)
    headers: dict[str, str] = {}
    for line in lines[1:MAX_HEADERS + 1]:
        name, sep, value = line[:MAX_LINE].partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    if kind == "notify" and headers.get("nts", "").lower() == "ssdp:byebye":
        kind = "byebye"
    return SsdpMessage(kind, headers)


def _kind(start: str) -> str:
    upper = start.upper()
    if upper.startswith("NOTIFY * HTTP/1."):
        return "notify"
    if upper.startswith("M-SEARCH * HTTP/1."):
        return "search"
    if upper.startswith("HTTP/1.") and " 200" in upper[:13]:
        return "response"
    raise NotSsdp(f"not an SSDP start line: {start[:60]!r}")
