"""mDNS / DNS-SD messages (RFC 1035 section 4.1, RFC 6762, RFC 6763): the records a camera
announces for ``_ptp._tcp`` (and vendor services such as ``_nikon._tcp``).

Names may use compression pointers (RFC 1035 section 4.1.4); a pointer may only point
backwards and a name is at most MAX_NAME_LABELS labels, so a hostile datagram can't loop.
Record counts come from the wire, but each record is read from the bytes that are there: the
loop stops at the datagram's end, and at most MAX_RECORDS are read.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass, field

TYPE_A, TYPE_PTR, TYPE_TXT, TYPE_AAAA, TYPE_SRV = 1, 12, 16, 28, 33
MAX_RECORDS = 256
MAX_NAME_LABELS = 128
PTP_SERVICES = ("_ptp._tcp.local",)  # PTP/IP over DNS-SD; vendor ones end in ._tcp too


class NotDns(ValueError):
    """Bytes that are not a DNS message (one-line reason)."""


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    rtype: int
    value: str | tuple[str, int] | tuple[tuple[str, str], ...]  # PTR/A text, SRV, TXT pairs


@dataclass(slots=True)
class DnsMessage:
    response: bool
    questions: list[tuple[str, int]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


def parse(data: bytes) -> DnsMessage:
    if len(data) < 12:
        raise NotDns(f"{len(data)} bytes: shorter than a DNS header")
    _, flags, qd, an, ns, ar = struct.unpack_from(">HHHHHH", data)
    message = DnsMessage(bool(flags & 0x8000))
    pos = 12
    for _ in range(min(qd, MAX_RECORDS)):
        name, pos = read_name(data, pos)
        if pos + 4 > len(data):
            raise NotDns("question cut short")
        message.questions.append((name, struct.unpack_from(">H", data, pos)[0]))
        pos += 4
    for _ in range(min(an + ns + ar, MAX_RECORDS)):
        if pos >= len(data):
            break
        record, pos = _record(data, pos)
        if record is not None:
            message.records.append(record)
    return message


def read_name(data: bytes, pos: int) -> tuple[str, int]:
    """A domain name at ``pos`` and the offset after it (after the first pointer, if any)."""
    labels: list[str] = []
    end, jumps = None, 0
    while len(labels) < MAX_NAME_LABELS:
        if pos >= len(data):
            raise NotDns("name runs past the message")
        length = data[pos]
        if length == 0:
            return ".".join(labels), end if end is not None else pos + 1
        if length & 0xC0 == 0xC0:
            if pos + 1 >= len(data):
                raise NotDns("compression pointer cut short")
            target = ((length & 0x3F) << 8) | data[pos + 1]
            if target >= pos or jumps > MAX_NAME_LABELS:
                raise NotDns("compression pointer does not point backwards")
            end = pos + 2 if end is None else end
            pos, jumps = target, jumps + 1
            continue
        if length & 0xC0 or pos + 1 + length > len(data):
            raise NotDns("label runs past the message")
        labels.append(data[pos + 1:pos + 1 + length].decode("utf-8", errors="replace"))
        pos += 1 + length
    raise NotDns(f"name of more than {MAX_NAME_LABELS} labels")


def _record(data: bytes, pos: int) -> tuple[Record | None, int]:
    name, pos = read_name(data, pos)
    if pos + 10 > len(data):
        raise NotDns("resource record cut short")
    rtype, _, _, length = struct.unpack_from(">HHIH", data, pos)
    start, end = pos + 10, pos + 10 + length
    if end > len(data):
        raise NotDns("record data runs past the message")
    return _value(name, rtype, data, start, end), end


def _value(name: str, rtype: int, data: bytes, start: int, end: int) -> Record | None:
    if rtype == TYPE_PTR:
        return Record(name, rtype, read_name(data, start)[0])
    if rtype == TYPE_SRV and end - start >= 7:
        port = struct.unpack_from(">H", data, start + 4)[0]
        return Record(name, rtype, (read_name(data, start + 6)[0], port))
    if rtype == TYPE_TXT:
        return Record(name, rtype, tuple(_txt(data[start:end])))
    if rtype == TYPE_A and end - start == 4:
        return Record(name, rtype, socket.inet_ntop(socket.AF_INET, data[start:end]))
    if rtype == TYPE_AAAA and end - start == 16:
        return Record(name, rtype, socket.inet_ntop(socket.AF_INET6, data[start:end]))
    return None


def _txt(rdata: bytes) -> list[tuple[str, str]]:
    pairs, pos = [], 0
    while pos < len(rdata):
        length = rdata[pos]
        entry = rdata[pos + 1:pos + 1 + length].decode("utf-8", errors="replace")
        key, _, value = entry.partition("=")
        if key:
            pairs.append((key, value))
        pos += 1 + length
    return pairs
