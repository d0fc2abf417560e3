"""PTP/IP protocol facts, written down once (PROTOCOL.md; CIPA DC-005 "PTP-IP"; ISO 15740).

Packet types, the header layout, per-type length bounds, who sends each type on which
connection, the response codes and the object-transfer operations every stage relies on.
Stages import these; none keeps a copy (copies drifted: the role sets once disagreed between
the pipeline and the validator, so an event connection that began with a Cancel was taken for
a command connection).
"""

from __future__ import annotations

import struct
from enum import IntEnum

from .model import Connection, Direction, Role

PTPIP_PORT = 15740
# Fujifilm X's own variant (libgphoto2 camlibs/ptp2/fujiptpip.c): commands and data, events,
# live-view JPEGs. Only the command connection has a handshake: ptp_fujiptpip_init_event just
# connects to the event port and to the one after it, and events arrive as USB-style
# containers with no Init Event Request / Ack (framing_fuji.py).
FUJI_COMMAND_PORT, FUJI_EVENT_PORT, FUJI_JPEG_PORT = 55740, 55741, 55742
FUJI_PORTS = frozenset({FUJI_COMMAND_PORT, FUJI_EVENT_PORT, FUJI_JPEG_PORT})
FUJI_ROLES = {FUJI_COMMAND_PORT: Role.COMMAND, FUJI_EVENT_PORT: Role.EVENT}  # by camera port
SSDP_PORT, MDNS_PORT = 1900, 5353  # discovery: UPnP's SSDP and multicast DNS (UDP)


class PacketType(IntEnum):
    INIT_COMMAND_REQUEST = 1
    INIT_COMMAND_ACK = 2
    INIT_EVENT_REQUEST = 3
    INIT_EVENT_ACK = 4
    INIT_FAIL = 5
    OPERATION_REQUEST = 6
    OPERATION_RESPONSE = 7
    EVENT = 8
    START_DATA = 9
    DATA = 10
    CANCEL = 11
    END_DATA = 12
    PROBE_REQUEST = 13
    PROBE_RESPONSE = 14


# Every packet: u32 LE length (header included), u32 LE type.
HEADER = struct.Struct("<II")
HEADER_SIZE = HEADER.size

# (minimum, maximum) length per type; None = the configured maximum. Lenient on parameter
# counts (events may be padded to 5 like requests), strict where the layout is fixed.
LENGTH_BOUNDS: dict[int, tuple[int, int | None]] = {
    1: (25, 2048), 2: (29, 2048), 3: (12, 12), 4: (8, 8), 5: (12, 12), 6: (18, 38),
    7: (14, 34), 8: (14, 34), 9: (20, 20), 10: (12, None), 11: (12, 12), 12: (12, None),
    13: (8, 8), 14: (8, 8),
}


def starts_connection(length: int, ptype: int) -> bool:
    """An Init Command Request (1) or Init Event Request (3) header of a possible length."""
    return ptype in (1, 3) and LENGTH_BOUNDS[ptype][0] <= length <= (LENGTH_BOUNDS[ptype][1]
                                                                       or 0)


_I, _R, _EITHER = (Direction.TO_RESPONDER,), (Direction.TO_INITIATOR,), tuple(Direction)
# PROTOCOL.md "Packet types": who may send each type (I = initiator, R = responder).
SENDERS: dict[int, tuple[Direction, ...]] = {
    1: _I, 2: _R, 3: _I, 4: _R, 5: _R, 6: _I, 7: _R, 8: _R,
    9: _EITHER, 10: _EITHER, 11: _EITHER, 12: _EITHER, 13: _EITHER, 14: _EITHER,
}

# Which connection each type belongs to. Init Fail refuses either connection; Cancel is sent
# on either (ISO 15740 over PTP/IP: the initiator's Cancel may travel on the event
# connection); probes may appear on both. Those four say nothing about a connection's role.
COMMAND_ONLY = frozenset({1, 2, 6, 7, 9, 10, 12})
EVENT_ONLY = frozenset({3, 4, 8})
COMMAND_CONNECTION = COMMAND_ONLY | {5, 11, 13, 14}
EVENT_CONNECTION = EVENT_ONLY | {5, 11, 13, 14}


# Once the handshake is over: what the main loop (command connection) and the event loop carry
MAIN_LOOP_TYPES = frozenset({6, 7, 9, 10, 11, 12})
EVENT_LOOP_TYPES = frozenset({8, 11})


def role_of_type(ptype: int) -> Role:
    """The connection role a packet of this type proves, or UNKNOWN when it proves none."""
    if ptype in COMMAND_ONLY:
        return Role.COMMAND
    return Role.EVENT if ptype in EVENT_ONLY else Role.UNKNOWN


# Data (10) and End Data (12): transaction id, then payload bytes.
DATA_PACKET_TYPES = frozenset({10, 12})
# Where the parameters of requests, responses and events start; they fill the rest of the
# packet in whole 4-byte words (PROTOCOL.md: counts come only from the length field).
PARAMS_START = {6: 18, 7: 14, 8: 14}
UNKNOWN_DATA_LENGTH = 0xFFFFFFFFFFFFFFFF  # Start Data's "length not known"

INIT_FAIL_REASONS: dict[int, str] = {1: "rejected initiator", 2: "busy", 3: "unspecified"}

# ISO 15740 responses the stages reason about
RESPONSE_OK = 0x2001
SESSION_ALREADY_OPEN = 0x201E
TRANSACTION_CANCELLED = 0x201F

# ISO 15740 section 10.5: the operations around objects
GET_DEVICE_INFO, OPEN_SESSION, CLOSE_SESSION = 0x1001, 0x1002, 0x1003
GET_OBJECT_INFO, GET_OBJECT, GET_THUMB = 0x1008, 0x1009, 0x100A
SEND_OBJECT_INFO, SEND_OBJECT, GET_PARTIAL_OBJECT = 0x100C, 0x100D, 0x101B
INITIATE_CAPTURE = 0x100E
# Data phases that carry object bytes (not datasets)
OBJECT_DATA_OPERATIONS = frozenset({GET_OBJECT, GET_THUMB, SEND_OBJECT, GET_PARTIAL_OBJECT})


def has_handshake(conn: Connection) -> bool:
    """Whether a connection opens with Init packets: every PTP/IP one does, but of Fuji's only
    the command connection (FUJI_ROLES)."""
    return conn.variant != "fuji" or conn.responder.port == FUJI_COMMAND_PORT
