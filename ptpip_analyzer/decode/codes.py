"""PTP/IP packet types and the lookup API over the PTP code tables (``decode.tables``).

Sources: CIPA DC-005 "PTP-IP" (packet types); ISO 15740:2008 (PTP 1.1) for the standard
codes and data types; the vendor and MTP tables cite theirs. Vendor-range codes (bit 15 set:
0x9xxx operations, 0xAxxx responses, 0xBxxx formats, 0xCxxx events, 0xDxxx properties) are
named from the table of the session's vendor (``decode.vendor`` decides which), then MTP's;
what no table names reads "Unknown <vendor> operation 0x9xxx" (PROTOCOL.md: codes overlap
between vendors, so a vendor code is never named from a guessed table).
"""

from __future__ import annotations

from ..protocol import DATA_PACKET_TYPES, INIT_FAIL_REASONS, PARAMS_START, PacketType
from .tables import MTP, STANDARD, VENDORS
from .tables.standard import EVENTS, FORMATS, OPERATIONS, PROPERTIES, RESPONSES

PACKET_TYPE_NAMES: dict[int, str] = {
    1: "Init Command Request",
    2: "Init Command Ack",
    3: "Init Event Request",
    4: "Init Event Ack",
    5: "Init Fail",
    6: "Operation Request",
    7: "Operation Response",
    8: "Event",
    9: "Start Data",
    10: "Data",
    11: "Cancel",
    12: "End Data",
    13: "Probe Request",
    14: "Probe Response",
}

__all__ = ["DATA_PACKET_TYPES", "EVENTS", "FORMATS", "INIT_FAIL_REASONS", "OPERATIONS",
           "PARAMS_START", "PROPERTIES", "RESPONSES", "PacketType"]

# ISO 15740:2008 section 5.3, table 3; arrays are 0x4000 | element type
_SCALARS = {0x0000: "UNDEF", 0x0001: "INT8", 0x0002: "UINT8", 0x0003: "INT16",
            0x0004: "UINT16", 0x0005: "INT32", 0x0006: "UINT32", 0x0007: "INT64",
            0x0008: "UINT64", 0x0009: "INT128", 0x000A: "UINT128"}
DATA_TYPES: dict[int, str] = {
    **_SCALARS, **{0x4000 | c: f"A{n}" for c, n in _SCALARS.items() if c}, 0xFFFF: "STR"}

_PTYPE_KIND = {6: "operation", 7: "response", 8: "event"}
# High bytes of MTP 1.1's own code blocks (0x98xx operations, 0xA8xx responses, 0xB8xx-0xBBxx
# formats, 0xC8xx events, 0xD1xx/0xD4xx device and 0xDCxx-0xDExx object properties): camera
# vendors that speak MTP keep these, so they are named in any session. Elsewhere MTP's names
# apply only when the session's vendor is MTP.
_MTP_BLOCKS = frozenset({0x98, 0xA8, 0xB8, 0xB9, 0xBA, 0xBB, 0xC8, 0xD1, 0xD4, 0xDC, 0xDD, 0xDE})


def packet_type_name(ptype: int) -> str:
    return PACKET_TYPE_NAMES.get(ptype, f"Unknown type {ptype}")


def lookup(kind: str, code: int, vendor: str | None = None) -> str | None:
    """The name of ``code`` of ``kind`` ("operation", "response", "event", "property",
    "format", "object_property") in the standard, the vendor's or the MTP table; None if
    no table in force names it."""
    if not code & 0x8000 and code <= 0xFFFF:  # Nikon and Panasonic also use 32-bit codes
        return STANDARD.get(kind, code)
    table = VENDORS.get(vendor) if vendor else None
    name = table.get(kind, code) if table is not None else None
    if name is None and (vendor == "mtp" or code >> 8 in _MTP_BLOCKS):
        name = MTP.get(kind, code)
    return name


def name_of(kind: str, code: int, vendor: str | None = None) -> str:
    """``lookup`` with a readable fallback naming the vendor whose table has no entry."""
    name = lookup(kind, code, vendor)
    if name is not None:
        return name
    label = kind.replace("_", " ")
    if not code & 0x8000 and code <= 0xFFFF:
        return f"Unknown {label} 0x{code:04X}"
    table = VENDORS.get(vendor) if vendor else None
    owner = table.name if table is not None else "vendor"
    return f"Unknown {owner} {label} 0x{code:04X}"


def code_name(ptype: int, code: int, vendor: str | None = None) -> str:
    """Name of the operation/response/event code carried by a packet of type ``ptype``."""
    kind = _PTYPE_KIND.get(ptype)
    return "" if kind is None else name_of(kind, code, vendor)


def operation_name(code: int, vendor: str | None = None) -> str:
    return name_of("operation", code, vendor)


def response_name(code: int, vendor: str | None = None) -> str:
    return name_of("response", code, vendor)


def event_name(code: int, vendor: str | None = None) -> str:
    return name_of("event", code, vendor)


def property_name(code: int, vendor: str | None = None) -> str:
    return name_of("property", code, vendor)


def format_name(code: int, vendor: str | None = None) -> str:
    return name_of("format", code, vendor)


def object_property_name(code: int) -> str:
    return name_of("object_property", code, "mtp")


def data_type_name(code: int) -> str:
    return DATA_TYPES.get(code, f"Unknown data type 0x{code:04X}")
