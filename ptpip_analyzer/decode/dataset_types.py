"""Decoded PTP datasets (ISO 15740 section 5.5; MTP 1.1 appendices B and E) as typed values.

Produced by ``decode.datasets`` (and ``decode.event_dumps`` for vendor event dumps) from data
phase bytes. Field names follow the standard's dataset field names; codes stay integers (name
them with ``decode.codes``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PropertyValue = int | str | tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Range:
    minimum: PropertyValue
    maximum: PropertyValue
    step: PropertyValue


# None, a Range, the enumerated values, or (MTP forms 4-6, 0xFF) a length / regex string
Form = Range | tuple[PropertyValue, ...] | int | str | None


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    standard_version: int
    vendor_extension_id: int
    vendor_extension_version: int
    vendor_extension_desc: str
    functional_mode: int
    operations: tuple[int, ...]
    events: tuple[int, ...]
    properties: tuple[int, ...]
    capture_formats: tuple[int, ...]
    image_formats: tuple[int, ...]
    manufacturer: str
    model: str
    device_version: str
    serial_number: str


@dataclass(frozen=True, slots=True)
class StorageInfo:
    storage_type: int
    filesystem_type: int
    access_capability: int
    max_capacity: int
    free_space_bytes: int
    free_space_images: int
    description: str
    volume_label: str


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    storage_id: int
    object_format: int
    protection_status: int
    compressed_size: int
    thumb_format: int
    thumb_compressed_size: int
    thumb_width: int
    thumb_height: int
    image_width: int
    image_height: int
    image_bit_depth: int
    parent_object: int
    association_type: int
    association_desc: int
    sequence_number: int
    filename: str
    capture_date: str
    modification_date: str
    keywords: str


@dataclass(frozen=True, slots=True)
class IdList:
    """A u32 array of storage ids / object handles, or a u16 array of codes."""

    kind: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DevicePropDesc:
    code: int
    data_type: int
    writable: bool
    factory_default: PropertyValue
    current: PropertyValue
    form: Form
    form_flag: int


@dataclass(frozen=True, slots=True)
class DevicePropValue:
    code: int | None  # the property (the operation's first parameter), if known
    data_type: int
    value: PropertyValue
    guessed: bool  # the type was guessed from the size (no DevicePropDesc seen)


@dataclass(frozen=True, slots=True)
class ObjectPropDesc:
    code: int
    data_type: int
    writable: bool
    factory_default: PropertyValue
    group_code: int
    form: Form
    form_flag: int


@dataclass(frozen=True, slots=True)
class ObjectPropEntry:
    object_handle: int
    code: int
    data_type: int
    value: PropertyValue


@dataclass(frozen=True, slots=True)
class ObjectPropList:
    entries: tuple[ObjectPropEntry, ...]


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event of a vendor event dump (a Canon EOS GetEvent record, a Nikon GetEvent entry)."""

    code: int  # the event code (Canon: the record type)
    offset: int  # where the event starts, from the start of the data phase
    params: tuple[int, ...] = ()  # Nikon: the event's parameters, as in an Event packet
    fields: tuple[tuple[str, PropertyValue], ...] = ()  # Canon: the record body's fields, named
    property: int | None = None  # the device property whose value the event says changed
    value: PropertyValue | None = None  # its new value, when the event carries it (Canon)
    data_type: int | None = None  # the value's DataType
    type_guessed: bool = False  # neither a DevicePropDesc nor the vendor's table typed it
    note: str = ""  # what did not fit, e.g. a body shorter than its record type's layout


@dataclass(frozen=True, slots=True)
class EventDump:
    """A vendor "get event" data phase: the events the camera queued since the last poll."""

    source: str  # "canon GetEvent", "nikon GetEvent", "nikon GetEventEx"
    events: tuple[EventRecord, ...]
    terminated: bool = True  # Canon: the end record (size 8, type 0) was seen


Dataset = (DeviceInfo | StorageInfo | ObjectInfo | IdList | DevicePropDesc | DevicePropValue
           | ObjectPropDesc | ObjectPropList | EventDump)

_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d))?(Z|[+-]\d{4})?$")


def parse_ptp_date(text: str) -> dt.datetime | None:
    """A PTP date string ``YYYYMMDDThhmmss[.s][Z|+hhmm]`` (ISO 15740 5.3.5); None if not one."""
    m = _DATE.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    tenths, zone = m.group(7), m.group(8)
    tz: dt.tzinfo | None = None
    if zone == "Z":
        tz = dt.UTC
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        tz = dt.timezone(sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:])))
    try:
        return dt.datetime(year, month, day, hour, minute, second,
                           int(tenths or 0) * 100_000, tzinfo=tz)
    except ValueError:
        return None
