"""PTP/IP packet types and standard PTP code tables, as data with one lookup API.

Sources: CIPA DC-005 "PTP-IP" (packet types); ISO 15740:2008 (PTP 1.1) tables for operation,
response and event codes, as also listed in libgphoto2's camlibs/ptp2/ptp.h and Wireshark's
epan/dissectors/packet-ptpip.c. Vendor tables (0x9xxx, 0xAxxx, 0xCxxx, ...) are per-session and
come with vendor detection.
"""

from __future__ import annotations

from enum import IntEnum


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

INIT_FAIL_REASONS: dict[int, str] = {
    1: "rejected initiator",
    2: "busy",
    3: "unspecified",
}

# ISO 15740:2008 section 10.4 (operations 0x1001-0x101C: PTP 1.0; 0x101D-0x1025: PTP 1.1)
OPERATIONS: dict[int, str] = {
    0x1000: "Undefined",
    0x1001: "GetDeviceInfo",
    0x1002: "OpenSession",
    0x1003: "CloseSession",
    0x1004: "GetStorageIDs",
    0x1005: "GetStorageInfo",
    0x1006: "GetNumObjects",
    0x1007: "GetObjectHandles",
    0x1008: "GetObjectInfo",
    0x1009: "GetObject",
    0x100A: "GetThumb",
    0x100B: "DeleteObject",
    0x100C: "SendObjectInfo",
    0x100D: "SendObject",
    0x100E: "InitiateCapture",
    0x100F: "FormatStore",
    0x1010: "ResetDevice",
    0x1011: "SelfTest",
    0x1012: "SetObjectProtection",
    0x1013: "PowerDown",
    0x1014: "GetDevicePropDesc",
    0x1015: "GetDevicePropValue",
    0x1016: "SetDevicePropValue",
    0x1017: "ResetDevicePropValue",
    0x1018: "TerminateOpenCapture",
    0x1019: "MoveObject",
    0x101A: "CopyObject",
    0x101B: "GetPartialObject",
    0x101C: "InitiateOpenCapture",
    0x101D: "StartEnumHandles",
    0x101E: "EnumHandles",
    0x101F: "StopEnumHandles",
    0x1020: "GetVendorExtensionMaps",
    0x1021: "GetVendorDeviceInfo",
    0x1022: "GetResizedImageObject",
    0x1023: "GetFilesystemManifest",
    0x1024: "GetStreamInfo",
    0x1025: "GetStream",
}

# ISO 15740:2008 section 11 (responses)
RESPONSES: dict[int, str] = {
    0x2000: "Undefined",
    0x2001: "OK",
    0x2002: "GeneralError",
    0x2003: "SessionNotOpen",
    0x2004: "InvalidTransactionID",
    0x2005: "OperationNotSupported",
    0x2006: "ParameterNotSupported",
    0x2007: "IncompleteTransfer",
    0x2008: "InvalidStorageID",
    0x2009: "InvalidObjectHandle",
    0x200A: "DevicePropNotSupported",
    0x200B: "InvalidObjectFormatCode",
    0x200C: "StoreFull",
    0x200D: "ObjectWriteProtected",
    0x200E: "StoreReadOnly",
    0x200F: "AccessDenied",
    0x2010: "NoThumbnailPresent",
    0x2011: "SelfTestFailed",
    0x2012: "PartialDeletion",
    0x2013: "StoreNotAvailable",
    0x2014: "SpecificationByFormatUnsupported",
    0x2015: "NoValidObjectInfo",
    0x2016: "InvalidCodeFormat",
    0x2017: "UnknownVendorCode",
    0x2018: "CaptureAlreadyTerminated",
    0x2019: "DeviceBusy",
    0x201A: "InvalidParentObject",
    0x201B: "InvalidDevicePropFormat",
    0x201C: "InvalidDevicePropValue",
    0x201D: "InvalidParameter",
    0x201E: "SessionAlreadyOpened",
    0x201F: "TransactionCancelled",
    0x2020: "SpecificationOfDestinationUnsupported",
    0x2021: "InvalidEnumHandle",
    0x2022: "NoStreamEnabled",
    0x2023: "InvalidDataset",
}

# ISO 15740:2008 section 12 (events)
EVENTS: dict[int, str] = {
    0x4000: "Undefined",
    0x4001: "CancelTransaction",
    0x4002: "ObjectAdded",
    0x4003: "ObjectRemoved",
    0x4004: "StoreAdded",
    0x4005: "StoreRemoved",
    0x4006: "DevicePropChanged",
    0x4007: "ObjectInfoChanged",
    0x4008: "DeviceInfoChanged",
    0x4009: "RequestObjectTransfer",
    0x400A: "StoreFull",
    0x400B: "DeviceReset",
    0x400C: "StorageInfoChanged",
    0x400D: "CaptureComplete",
    0x400E: "UnreportedStatus",
}

_TABLES: dict[int, dict[int, str]] = {6: OPERATIONS, 7: RESPONSES, 8: EVENTS}
_KIND = {6: "operation", 7: "response", 8: "event"}


def packet_type_name(ptype: int) -> str:
    return PACKET_TYPE_NAMES.get(ptype, f"Unknown type {ptype}")


def code_name(ptype: int, code: int) -> str:
    """Name of the operation/response/event code carried by a packet of type ``ptype``."""
    table = _TABLES.get(ptype)
    if table is None:
        return ""
    name = table.get(code)
    if name is not None:
        return name
    if code & 0x8000:
        return f"Vendor {_KIND[ptype]} 0x{code:04X}"
    return f"Unknown {_KIND[ptype]} 0x{code:04X}"


def operation_name(code: int) -> str:
    return code_name(6, code)


def response_name(code: int) -> str:
    return code_name(7, code)


def event_name(code: int) -> str:
    return code_name(8, code)
