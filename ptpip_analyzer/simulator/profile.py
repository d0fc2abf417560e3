"""Who the simulated camera says it is (DeviceInfo identity per vendor) and its properties.

Only standard operations are listed in OperationsSupported, whatever the vendor: libgphoto2
issues only listed operations, so a vendor identity changes naming and detection (the
VendorExtensionID and Manufacturer that PROTOCOL.md says a dissector must weigh) without
pulling the initiator into vendor operations we don't implement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..decode.encode_ptp import DataType, DevicePropDesc, PropertyValue, Range

BATTERY_LEVEL = 0x5001
IMAGE_SIZE = 0x5003
DATE_TIME = 0x5011


@dataclass(frozen=True, slots=True)
class VendorProfile:
    vendor_extension_id: int
    vendor_extension_desc: str
    manufacturer: str
    model: str


VENDORS: dict[str, VendorProfile] = {
    "generic": VendorProfile(0x00000000, "", "ptpip-analyzer", "Simulated Camera"),
    "nikon": VendorProfile(0x0000000A, "", "Nikon Corporation", "D750"),
    "canon": VendorProfile(0x0000000B, "", "Canon Inc.", "Canon EOS 6D"),
    "sony": VendorProfile(0x00000011, "", "Sony Corporation", "ILCE-7M3"),
}

DEVICE_VERSION = "1.0"
SERIAL_NUMBER = "0000000000000001"


class Properties:
    """Device properties: description and current value, settable where writable."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        stamp = (now or dt.datetime(2024, 5, 1, 12, 0, 0)).strftime("%Y%m%dT%H%M%S")
        self._descs: dict[int, DevicePropDesc] = {
            BATTERY_LEVEL: DevicePropDesc(BATTERY_LEVEL, DataType.UINT8, False, 100, 87,
                                          Range(0, 100, 1)),
            IMAGE_SIZE: DevicePropDesc(IMAGE_SIZE, DataType.STR, True, "320x240", "320x240",
                                       ("320x240", "640x480", "1280x960")),
            DATE_TIME: DevicePropDesc(DATE_TIME, DataType.STR, True, stamp, stamp),
        }

    def add_vendor(self, code: int, data_type: int) -> None:
        """A writable integer vendor property a personality lists (e.g. Olympus 0xD052)."""
        kind = DataType(data_type)
        self._descs[code] = DevicePropDesc(code, kind, True, 0, 0)

    def codes(self) -> list[int]:
        return list(self._descs)

    def desc(self, code: int) -> DevicePropDesc | None:
        return self._descs.get(code)

    def set(self, code: int, value: PropertyValue) -> bool:
        """Set a writable property; False if the value is not allowed by its form."""
        desc = self._descs[code]
        if isinstance(desc.form, tuple) and value not in desc.form:
            return False
        in_range = isinstance(desc.form, Range) and isinstance(value, int) and (
            desc.form.minimum <= value <= desc.form.maximum)
        if isinstance(desc.form, Range) and not in_range:
            return False
        self._descs[code] = DevicePropDesc(desc.code, desc.data_type, desc.writable,
                                           desc.factory_default, value, desc.form)
        return True
