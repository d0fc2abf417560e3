"""Casio PTP extension.

Source: libgphoto2 camlibs/ptp2/ptp.h at commit 813de344e697
(https://github.com/gphoto/libgphoto2/blob/813de344e697eee4443e4ca38b6923f1db46eef2/camlibs/ptp2/ptp.h),
the PTP_*_CASIO_* defines, taken as facts (code and name, the prefix dropped)
by a one-off extraction; the first name wins where ptp.h defines a code twice.
"""

OPERATIONS: dict[int, str] = {
    0x9001: "STILL_START",
    0x9002: "STILL_STOP",
    0x9007: "FOCUS",
    0x9009: "CF_PRESS",
    0x900A: "CF_RELEASE",
    0x900C: "GET_OBJECT_INFO",
    0x9024: "SHUTTER",
    0x9025: "GET_OBJECT",
    0x9026: "GET_THUMBNAIL",
    0x9027: "GET_STILL_HANDLES",
    0x9028: "STILL_RESET",
    0x9029: "HALF_PRESS",
    0x902A: "HALF_RELEASE",
    0x902B: "CS_PRESS",
    0x902C: "CS_RELEASE",
    0x902D: "ZOOM",
    0x902E: "CZ_PRESS",
    0x902F: "CZ_RELEASE",
    0x9041: "MOVIE_START",
    0x9042: "MOVIE_STOP",
    0x9043: "MOVIE_PRESS",
    0x9044: "MOVIE_RELEASE",
    0x9045: "GET_MOVIE_HANDLES",
    0x9046: "MOVIE_RESET",
}


PROPERTIES: dict[int, str] = {
    0xD001: "MONITOR",
    0xD004: "UNKNOWN_1",
    0xD005: "UNKNOWN_2",
    0xD007: "UNKNOWN_3",
    0xD008: "RECORD_LIGHT",
    0xD009: "UNKNOWN_4",
    0xD00A: "UNKNOWN_5",
    0xD00B: "MOVIE_MODE",
    0xD00C: "HD_SETTING",
    0xD00D: "HS_SETTING",
    0xD00F: "CS_HIGH_SPEED",
    0xD010: "CS_UPPER_LIMIT",
    0xD011: "CS_SHOT",
    0xD012: "UNKNOWN_6",
    0xD013: "UNKNOWN_7",
    0xD015: "UNKNOWN_8",
    0xD017: "UNKNOWN_9",
    0xD018: "UNKNOWN_10",
    0xD019: "UNKNOWN_11",
    0xD01A: "UNKNOWN_12",
    0xD01B: "UNKNOWN_13",
    0xD01C: "UNKNOWN_14",
    0xD01D: "UNKNOWN_15",
    0xD020: "UNKNOWN_16",
    0xD030: "UNKNOWN_17",
    0xD080: "UNKNOWN_18",
}
