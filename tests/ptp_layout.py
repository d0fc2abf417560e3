"""A byte-layout reader for PTP datasets, used by tests only.

Encoder tests read the bytes with this independent cursor (not with the Kaitai decoder they
are meant to cross-check), so a layout mistake shared by encoder and decoder can't hide.
"""

from __future__ import annotations

import struct

from ptpip_analyzer.decode.encode_ptp import DataType, PropertyValue


class DatasetReader:
    """Little-endian cursor over a dataset."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _take(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise ValueError(f"dataset ends at {len(self.data)}, need {self.pos + size}")
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
