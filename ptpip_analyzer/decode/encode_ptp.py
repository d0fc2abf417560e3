"""PTP dataset encoding (ISO 15740 section 5.3 and 5.5): the inverse of dataset decode.

PTP/IP carries the same datasets as PTP over USB in its data phases (PROTOCOL.md, "PTP
payloads"): little endian integers, PTP strings (u8 count of UTF-16 code units *including* the
terminating NUL, 0 = empty), arrays (u32 count, then elements) and dates as PTP strings
``YYYYMMDDThhmmss``. Used by the simulator; tested by round trip in tests/decode.
"""

from __future__ import annotations

import datetime as dt
import enum
import struct
from collections.abc import Sequence
from dataclasses import dataclass

MAX_STRING_UNITS = 255  # the u8 count includes the NUL, so 254 characters at most


class DataType(enum.IntEnum):
    """PTP DataType codes (ISO 15740 table 3) used by property descriptions."""

    INT8 = 0x0001
    UINT8 = 0x0002
    INT16 = 0x0003
    UINT16 = 0x0004
    INT32 = 0x0005
    UINT32 = 0x0006
    INT64 = 0x0007
    UINT64 = 0x0008
    STR = 0xFFFF


INT_FORMATS: dict[DataType, str] = {  # (also the decoder's scalar fast path: datasets.py)
    DataType.INT8: "<b", DataType.UINT8: "<B", DataType.INT16: "<h", DataType.UINT16: "<H",
    DataType.INT32: "<i", DataType.UINT32: "<I", DataType.INT64: "<q", DataType.UINT64: "<Q",
}


def u8(value: int) -> bytes:
    return struct.pack("<B", value)


def u16(value: int) -> bytes:
    return struct.pack("<H", value)


def u32(value: int) -> bytes:
    return struct.pack("<I", value)


def u64(value: int) -> bytes:
    return struct.pack("<Q", value)


def ptp_string(text: str) -> bytes:
    """u8 count of UTF-16 code units including the NUL, then UTF-16LE; '' is a single 0."""
    if not text:
        return b"\x00"
    encoded = text.encode("utf-16-le") + b"\x00\x00"
    units = len(encoded) // 2
    if units > MAX_STRING_UNITS:
        raise ValueError(f"PTP string too long: {units} UTF-16 units (max {MAX_STRING_UNITS})")
    return u8(units) + encoded


def ptp_date(moment: dt.datetime) -> bytes:
    """A PTP date string, YYYYMMDDThhmmss (no zone: camera local time, as most cameras send)."""
    return ptp_string(moment.strftime("%Y%m%dT%H%M%S"))


def array_u16(values: Sequence[int]) -> bytes:
    return u32(len(values)) + struct.pack(f"<{len(values)}H", *values)


def array_u32(values: Sequence[int]) -> bytes:
    return u32(len(values)) + struct.pack(f"<{len(values)}I", *values)


PropertyValue = int | str


def property_value(data_type: DataType, value: PropertyValue) -> bytes:
    """One property value of ``data_type`` (ISO 15740 section 5.3)."""
    if data_type is DataType.STR:
        if not isinstance(value, str):
            raise TypeError(f"STR property needs a str, got {value!r}")
        return ptp_string(value)
    if not isinstance(value, int):
        raise TypeError(f"{data_type.name} property needs an int, got {value!r}")
    return struct.pack(INT_FORMATS[data_type], value)


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """ISO 15740 section 5.5.1."""

    vendor_extension_id: int
    vendor_extension_desc: str
    operations: Sequence[int]
    events: Sequence[int]
    properties: Sequence[int]
    capture_formats: Sequence[int]
    image_formats: Sequence[int]
    manufacturer: str
    model: str
    device_version: str
    serial_number: str
    standard_version: int = 100
    vendor_extension_version: int = 100
    functional_mode: int = 0


def device_info(info: DeviceInfo) -> bytes:
    return b"".join((
        u16(info.standard_version), u32(info.vendor_extension_id),
        u16(info.vendor_extension_version), ptp_string(info.vendor_extension_desc),
        u16(info.functional_mode), array_u16(info.operations), array_u16(info.events),
        array_u16(info.properties), array_u16(info.capture_formats),
        array_u16(info.image_formats), ptp_string(info.manufacturer), ptp_string(info.model),
        ptp_string(info.device_version), ptp_string(info.serial_number),
    ))


@dataclass(frozen=True, slots=True)
class StorageInfo:
    """ISO 15740 section 5.5.3. Defaults: removable RAM (SD card), hierarchical, read-write."""

    max_capacity: int
    free_space: int
    free_images: int
    description: str
    volume_label: str
    storage_type: int = 0x0004
    filesystem_type: int = 0x0002
    access_capability: int = 0x0000


def storage_info(info: StorageInfo) -> bytes:
    return b"".join((
        u16(info.storage_type), u16(info.filesystem_type), u16(info.access_capability),
        u64(info.max_capacity), u64(info.free_space), u32(info.free_images),
        ptp_string(info.description), ptp_string(info.volume_label),
    ))


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """ISO 15740 section 5.5.2."""

    storage_id: int
    object_format: int
    compressed_size: int
    filename: str
    capture_date: dt.datetime | None = None
    modification_date: dt.datetime | None = None
    parent_object: int = 0
    protection_status: int = 0
    thumb_format: int = 0
    thumb_compressed_size: int = 0
    thumb_width: int = 0
    thumb_height: int = 0
    image_width: int = 0
    image_height: int = 0
    image_bit_depth: int = 0
    association_type: int = 0
    association_desc: int = 0
    sequence_number: int = 0
    keywords: str = ""


def _optional_date(moment: dt.datetime | None) -> bytes:
    return b"\x00" if moment is None else ptp_date(moment)


def object_info(info: ObjectInfo) -> bytes:
    return b"".join((
        u32(info.storage_id), u16(info.object_format), u16(info.protection_status),
        u32(info.compressed_size), u16(info.thumb_format), u32(info.thumb_compressed_size),
        u32(info.thumb_width), u32(info.thumb_height), u32(info.image_width),
        u32(info.image_height), u32(info.image_bit_depth), u32(info.parent_object),
        u16(info.association_type), u32(info.association_desc), u32(info.sequence_number),
        ptp_string(info.filename), _optional_date(info.capture_date),
        _optional_date(info.modification_date), ptp_string(info.keywords),
    ))


@dataclass(frozen=True, slots=True)
class Range:
    minimum: int
    maximum: int
    step: int


@dataclass(frozen=True, slots=True)
class DevicePropDesc:
    """ISO 15740 section 5.5.4. ``form`` is None, a Range, or a tuple of allowed values."""

    code: int
    data_type: DataType
    writable: bool
    factory_default: PropertyValue
    current: PropertyValue
    form: Range | tuple[PropertyValue, ...] | None = None


def _form(desc: DevicePropDesc) -> bytes:
    if desc.form is None:
        return u8(0)
    if isinstance(desc.form, Range):
        bounds = (desc.form.minimum, desc.form.maximum, desc.form.step)
        return u8(1) + b"".join(property_value(desc.data_type, v) for v in bounds)
    values = b"".join(property_value(desc.data_type, v) for v in desc.form)
    return u8(2) + u16(len(desc.form)) + values


def device_prop_desc(desc: DevicePropDesc) -> bytes:
    return b"".join((
        u16(desc.code), u16(desc.data_type), u8(1 if desc.writable else 0),
        property_value(desc.data_type, desc.factory_default),
        property_value(desc.data_type, desc.current), _form(desc),
    ))
