"""Data types that cross pipeline stages (see STYLE.md: one model module).

The per-frame, per-segment and per-packet types (``TcpSegment``, ``StreamData``, ``Pdu``,
``Packet``) are ``NamedTuple``s: immutable tuples whose construction costs a fraction of a frozen
dataclass's (which pays ``object.__setattr__`` per field); the hot paths create one per frame or
per packet, so that difference is the budget. Rarer types are frozen, slotted dataclasses.
"""

from __future__ import annotations

import enum
import functools
import ipaddress
from dataclasses import dataclass
from typing import NamedTuple

Buffer = bytes | memoryview


class TcpSegment(NamedTuple):
    """One TCP segment as captured, addresses still packed (4 or 16 bytes)."""

    frame: int
    time: float
    src: bytes
    sport: int
    dst: bytes
    dport: int
    seq: int
    ack: int
    flags: int
    payload: Buffer
    missing: int  # payload bytes the IP header announces but the capture cut off (snaplen)
    window: int = -1  # the TCP header's window field (raw, unscaled); -1: not known


# TCP flag bits (RFC 9293 section 3.1)
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


class StreamData(NamedTuple):
    """Contiguous bytes of one direction of a TCP stream at a stream offset."""

    offset: int
    data: Buffer
    frame: int
    time: float


class StreamGap(NamedTuple):
    """Bytes of a stream that the capture does not hold (exact range)."""

    offset: int
    length: int
    frame: int  # first frame after the gap (the one that revealed it)
    time: float
    reason: str


class Direction(enum.IntEnum):
    """Direction of a byte stream: initiator (host) to responder (camera), or back."""

    TO_RESPONDER = 0
    TO_INITIATOR = 1


class Role(enum.Enum):
    """Which of the two PTP/IP connections a TCP stream is."""

    COMMAND = "command"
    EVENT = "event"
    UNKNOWN = "unknown"


@functools.lru_cache(maxsize=4096)
def format_address(packed: bytes) -> str:
    """Text form of a packed address; cached: output lines name the same few hosts again."""
    return str(ipaddress.ip_address(packed))


@dataclass(frozen=True, slots=True)
class Endpoint:
    address: bytes  # packed IPv4 (4 bytes) or IPv6 (16 bytes)
    port: int

    def __str__(self) -> str:
        if len(self.address) == 16:
            return f"[{format_address(self.address)}]:{self.port}"
        return f"{format_address(self.address)}:{self.port}"


@dataclass(slots=True)
class Connection:
    """A TCP connection carrying PTP/IP. Mutable: its role is learnt from its packets."""

    stream: int  # 0-based, in order of first appearance (like Wireshark's tcp.stream)
    initiator: Endpoint
    responder: Endpoint
    first_frame: int
    role: Role = Role.UNKNOWN
    variant: str = "ptpip"  # "fuji": Fujifilm's PTP-container framing (PROTOCOL.md)

    def endpoints(self, direction: Direction) -> tuple[Endpoint, Endpoint]:
        if direction is Direction.TO_RESPONDER:
            return self.initiator, self.responder
        return self.responder, self.initiator


class Pdu(NamedTuple):
    """One PTP/IP packet cut from a byte stream by its length header (framing output).

    ``raw`` holds the whole packet, except for Data / End Data packets whose payload the caller
    chose not to keep: then it holds the 8-byte header and the transaction id only.
    """

    stream: int
    direction: Direction
    offset: int
    length: int
    ptype: int
    raw: bytes
    frame: int
    time: float
    missing: int = 0  # bytes of this packet lost to capture gaps
    # where those bytes were, as (offset, length) in the Data payload, when the payload is kept
    # (zero-filled there)
    holes: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class StreamRegion:
    """A range of stream bytes that is not a packet (see Malformed and Gap)."""

    stream: int
    direction: Direction
    offset: int
    length: int
    frame: int
    time: float
    reason: str


@dataclass(frozen=True, slots=True)
class DataHead:
    """The captured start of a Data / End Data packet that its stream ends inside (a reset
    mid-packet, a capture stopped mid-transfer): what an object reassembler can still use.
    Its bytes stay counted as malformed (byte accounting: the packet never became whole)."""

    ptype: int  # 10 Data or 12 End Data
    transaction_id: int
    length: int  # the packet's length field (untrusted: never a buffer's size)
    size: int  # payload bytes the stream holds of it, capture gaps inside included
    missing: int  # of those, bytes lost in capture gaps (their Gap records come before)
    payload: bytes | None  # those ``size`` bytes, zeros in the holes; None when not kept
    holes: tuple[tuple[int, int], ...] = ()  # (offset, length) in the payload of lost bytes


@dataclass(frozen=True, slots=True)
class Malformed(StreamRegion):
    """Stream bytes that are not a PTP/IP packet (bad header, bad body, or skipped to resync)."""

    # The region starts with a header of plausible length but a type outside 1..14: maybe a
    # vendor's own packet type, reported as such (validator rule PTPIP-PK-003).
    unknown_type: int | None = None
    # The region is the head of a Data / End Data packet the stream ends inside (framing's
    # close; the first of its pieces when capture gaps cut it): its payload so far.
    data_head: DataHead | None = None


@dataclass(frozen=True, slots=True)
class Gap(StreamRegion):
    """Stream bytes missing from the capture, as seen by framing (stream-level record)."""


class Packet(NamedTuple):
    """A decoded PTP/IP packet. Fields that don't apply to the packet type are ``None``.

    A NamedTuple like the per-segment types: one is made per PTP/IP packet, and on packet-heavy
    captures a frozen dataclass's construction (a ``__setattr__`` per field) cost 3 µs of the
    ~20 µs a packet takes; a NamedTuple costs under 1 µs and is just as immutable.
    """

    stream: int
    direction: Direction
    offset: int
    length: int
    ptype: int
    frame: int
    time: float
    transaction_id: int | None = None
    code: int | None = None
    params: tuple[int, ...] = ()
    data_length: int | None = None  # Start Data: announced total; Data/End Data: payload size
    data_phase: int | None = None  # Operation Request's data-phase info
    connection_number: int | None = None  # Init Command Ack / Init Event Request
    guid: bytes | None = None
    name: str | None = None
    version: int | None = None
    reason: int | None = None  # Init Fail
    payload: bytes | None = None  # Data / End Data bytes, when kept
    missing: int = 0
    raw: bytes = b""
    holes: tuple[tuple[int, int], ...] = ()  # (offset, length) of payload bytes not captured


Record = Packet | Gap | Malformed


@dataclass(frozen=True, slots=True)
class FrameProblem:
    """Something about a captured frame that the user should hear of (truncation, link type)."""

    frame: int
    kind: str
    message: str


class Severity(enum.IntEnum):
    """Expert-info severities, ordered as Wireshark's (note < warning < error)."""

    NOTE = 1
    WARNING = 2
    ERROR = 3


@dataclass(frozen=True, slots=True)
class Finding:
    """A validator's judgement on one packet (or region) of a capture."""

    rule: str  # stable rule id, e.g. "PTPIP-HS-001"
    severity: Severity
    frame: int
    stream: int
    session: int | None
    transaction_id: int | None
    message: str


class UdpDatagram(NamedTuple):
    """A UDP datagram on a discovery port (SSDP 1900, mDNS 5353), as sources/link.py hands
    it to the engine's discovery decoder; addresses packed like TcpSegment's."""

    frame: int
    time: float
    src: bytes
    sport: int
    dst: bytes
    dport: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class Discovery:
    """One discovery message (SSDP, mDNS/DNS-SD) or UPnP device description, decoded.

    ``camera`` is the announcing camera's address; ``uuid`` its UPnP / DNS-SD identity in
    8-4-4-4-12 form when the message carries one. Discovery messages are rare (a handful per
    capture), so this is a dataclass, not a NamedTuple."""

    frame: int
    time: float
    protocol: str  # "ssdp", "mdns" or "upnp-description"
    kind: str  # "notify", "search", "response", "byebye", "announcement", "query", "document"
    src: Endpoint
    dst: Endpoint
    camera: bytes | None = None  # packed address of the device that announces itself
    uuid: str | None = None
    service: str | None = None  # SSDP NT/ST, DNS-SD service type
    name: str | None = None  # friendly name / DNS-SD instance name
    location: str | None = None  # SSDP LOCATION (the device description's URL)
    port: int | None = None  # the service's port (DNS-SD SRV)
    manufacturer: str | None = None
    model: str | None = None
    server: str | None = None  # SSDP SERVER
    txt: tuple[tuple[str, str], ...] = ()  # DNS-SD TXT key=value pairs
    problem: str | None = None  # why (part of) the message could not be decoded
