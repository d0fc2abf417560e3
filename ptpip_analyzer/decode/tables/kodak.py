"""Eastman Kodak PTP extension (VendorExtensionID 1).

Source: libgphoto2 camlibs/ptp2/ptp.h at commit 813de344e697
(https://github.com/gphoto/libgphoto2/blob/813de344e697eee4443e4ca38b6923f1db46eef2/camlibs/ptp2/ptp.h),
the PTP_*_EK_* defines, taken as facts (code and name, the prefix dropped)
by a one-off extraction; the first name wins where ptp.h defines a code twice.
"""

OPERATIONS: dict[int, str] = {
    0x9003: "GetSerial",
    0x9004: "SetSerial",
    0x9005: "SendFileObjectInfo",
    0x9006: "SendFileObject",
    0x9008: "SetText",
}


RESPONSES: dict[int, str] = {
    0xA001: "FilenameRequired",
    0xA002: "FilenameConflicts",
    0xA003: "FilenameInvalid",
}


PROPERTIES: dict[int, str] = {
    0xD001: "ColorTemperature",
    0xD002: "DateTimeStampFormat",
    0xD003: "BeepMode",
    0xD004: "VideoOut",
    0xD005: "PowerSaving",
    0xD006: "UI_Language",
}


FORMATS: dict[int, str] = {
    0xB002: "M3U",
}
