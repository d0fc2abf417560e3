"""Reading the few PTP datasets an initiator sends to the camera (SendObjectInfo, property values).

Deliberately minimal: just what the simulator needs. The full dataset decoder is a later issue
(it will live in ``decode/``); until then this is also the decode side of the round-trip tests
for ``decode/encode_ptp.py``.
"""

from __future__ import annotations

import datetime as dt
import struct

from ..decode.encode_ptp import DataType, ObjectInfo, PropertyValue


class DatasetError(ValueError):
    """The initiator's dataset is shorter than its fields or otherwise unreadable."""


class DatasetReader:
    """Little-endian cursor over a dataset."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise DatasetError(f"dataset ends at {len(self.data)}, need {self.pos + size}")
        chunk = self.data[self.pos:self.pos + size]
        self.pos += size
        return chunk

    def unpack(self, fmt: str) -> int:
        value: int = struct.unpack(fmt, self._take(struct.calcsize(fmt)))[0]
        return value

    def u8(self) -> int:
        return self.unpack("<B")

    def u16(self) -> int:
        return self.unpack("<H")

    def u32(self) -> int:
        return self.unpack("<I")

    def u64(self) -> int:
        return self.unpack("<Q")

    def string(self) -> str:
        units = self.u8()
        if units == 0:
            return ""
        raw = self._take(units * 2).decode("utf-16-le", errors="replace")
        return raw.split("\x00", 1)[0]

    def array_u16(self) -> list[int]:
        return [self.u16() for _ in range(self.u32())]

    def array_u32(self) -> list[int]:
        return [self.u32() for _ in range(self.u32())]

    def value(self, data_type: DataType) -> PropertyValue:
        if data_type is DataType.STR:
            return self.string()
        return self.unpack(_VALUE_FORMATS[data_type])


_VALUE_FORMATS: dict[DataType, str] = {
    DataType.INT8: "<b", DataType.UINT8: "<B", DataType.INT16: "<h", DataType.UINT16: "<H",
    DataType.INT32: "<i", DataType.UINT32: "<I", DataType.INT64: "<q", DataType.UINT64: "<Q",
}

# ObjectInfo (ISO 15740 section 5.5.2) fixed part: field name and struct format, in order.
_OBJECT_INFO_FIXED = (
    ("storage_id", "<I"), ("object_format", "<H"), ("protection_status", "<H"),
    ("compressed_size", "<I"), ("thumb_format", "<H"), ("thumb_compressed_size", "<I"),
    ("thumb_width", "<I"), ("thumb_height", "<I"), ("image_width", "<I"),
    ("image_height", "<I"), ("image_bit_depth", "<I"), ("parent_object", "<I"),
    ("association_type", "<H"), ("association_desc", "<I"), ("sequence_number", "<I"),
)


def parse_ptp_date(text: str) -> dt.datetime | None:
    """YYYYMMDDThhmmss with optional tenths and zone (ignored); None if absent or unreadable."""
    try:
        return dt.datetime.strptime(text[:15], "%Y%m%dT%H%M%S")
    except ValueError:
        return None


def read_object_info(data: bytes) -> ObjectInfo:
    reader = DatasetReader(data)
    fixed = {name: reader.unpack(fmt) for name, fmt in _OBJECT_INFO_FIXED}
    filename = reader.string()
    capture, modification = parse_ptp_date(reader.string()), parse_ptp_date(reader.string())
    return ObjectInfo(filename=filename, capture_date=capture, modification_date=modification,
                      keywords=reader.string(), **fixed)


def read_property_value(data: bytes, data_type: DataType) -> PropertyValue:
    return DatasetReader(data).value(data_type)
