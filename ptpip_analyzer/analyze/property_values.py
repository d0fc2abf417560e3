"""Device property values read for humans: f/5.6 beside 560, 1/250 s beside 40, Daylight beside 4.

The raw value always stays beside the reading (``properties`` and ``device_info`` tables); a
value no rule here knows gets no reading rather than a guess.

Sources (facts only, no code taken):
- ISO 15740:2008 section 13 (device property descriptions): FNumber in 1/100 (f/5.6 = 560),
  ExposureTime in 1/10000 s, FocalLength in 1/100 mm, ExposureBiasCompensation in 1/1000
  stops (signed), ExposureIndex is the ISO speed, DateTime a PTP date string.
- libgphoto2 camlibs/ptp2/config.c (github.com/gphoto/libgphoto2): the ``whitebalance``,
  ``focusmodes``, ``exposure_program_modes``, ``exposure_metering``, ``flash_mode``,
  ``capture_mode`` and ``focus_metering`` tables give the names of the standard values and
  the vendor ones (a value with bit 15 set names a vendor's own choice, so it is read only
  in that vendor's table: 0x8010 is Cloudy on a Nikon and on a Sony, Fluorescent Lamp 1 is
  0x8001 on a Fuji); ``_get_FNumber`` prints ``f/%g`` of value/100, ``_put_ExpTime`` scales
  seconds by 10000, ``_get_FocalLength`` divides by 100; ``canon_whitebalance``,
  ``canon_aperture`` and ``canon_expcompensation`` read Canon's own (PowerShot) properties,
  ``fuji_prioritymode``, ``fuji_releasemode`` and ``fuji_filmsimulation`` Fujifilm's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..decode.dataset_types import Form, PropertyValue, Range
from .ptp_dates import ptp_date

WHITE_BALANCE = 0x5005
F_NUMBER = 0x5007
FOCAL_LENGTH = 0x5008
FOCUS_MODE = 0x500A
EXPOSURE_METERING = 0x500B
FLASH_MODE = 0x500C
EXPOSURE_TIME = 0x500D
EXPOSURE_PROGRAM = 0x500E
EXPOSURE_INDEX = 0x500F
EXPOSURE_BIAS = 0x5010
DATE_TIME = 0x5011
STILL_CAPTURE_MODE = 0x5013
FOCUS_METERING = 0x501C
BATTERY_LEVEL = 0x5001

# value -> name; "" holds the standard values (any vendor), a vendor key its own (bit 15 set)
Enumeration = dict[str, dict[int, str]]

ENUMERATIONS: dict[int, Enumeration] = {
    WHITE_BALANCE: {
        "": {1: "Manual", 2: "Automatic", 3: "One-push Automatic", 4: "Daylight",
             5: "Fluorescent", 6: "Tungsten", 7: "Flash"},
        "nikon": {0x8010: "Cloudy", 0x8011: "Shade", 0x8012: "Color Temperature",
                  0x8013: "Preset", 0x8014: "Off", 0x8016: "Natural light auto"},
        "fuji": {0x8001: "Fluorescent Lamp 1", 0x8002: "Fluorescent Lamp 2",
                 0x8003: "Fluorescent Lamp 3", 0x8004: "Fluorescent Lamp 4",
                 0x8005: "Fluorescent Lamp 5", 0x8006: "Shade",
                 0x8007: "Choose Color Temperature", 0x8008: "Preset Custom 1",
                 0x8009: "Preset Custom 2", 0x800A: "Preset Custom 3",
                 0x800B: "Preset Custom 4", 0x800C: "Preset Custom 5"},
        "sony": {0x8001: "Fluorescent: Warm White", 0x8002: "Fluorescent: Cold White",
                 0x8003: "Fluorescent: Day White", 0x8004: "Fluorescent: Daylight",
                 0x8010: "Cloudy", 0x8011: "Shade", 0x8012: "Choose Color Temperature",
                 0x8020: "Preset 1", 0x8021: "Preset 2", 0x8022: "Preset 3",
                 0x8023: "Preset", 0x8030: "Underwater: Auto"},
    },
    FOCUS_MODE: {
        "": {0: "Undefined", 1: "Manual", 2: "Automatic", 3: "Automatic Macro"},
        "nikon": {0x8010: "AF-S", 0x8011: "AF-C", 0x8012: "AF-A"},
        "fuji": {0x8001: "Single-Servo AF", 0x8002: "Continuous-Servo AF"},
    },
    EXPOSURE_PROGRAM: {
        "": {1: "M", 2: "P", 3: "A", 4: "S", 5: "Creative", 6: "Action", 7: "Portrait"},
        "nikon": {0x8010: "Auto", 0x8011: "Portrait", 0x8012: "Landscape", 0x8013: "Macro",
                  0x8014: "Sports", 0x8015: "Night Portrait", 0x8016: "Night Landscape",
                  0x8017: "Children", 0x8018: "Automatic (No Flash)"},
        "sony": {0x8000: "Intelligent Auto", 0x8001: "Superior Auto", 0x8011: "Sports Action",
                 0x8012: "Sunset", 0x8013: "Night Scene", 0x8014: "Landscape",
                 0x8015: "Macro", 0x8016: "Hand-held Twilight", 0x8017: "Night Portrait",
                 0x8031: "Tele-zoom Cont. Priority AE", 0x8041: "Sweep Panorama",
                 0x8050: "Movie", 0x8060: "Intelligent Auto Flash Off",
                 0x8070: "Picture Effect"},
    },
    EXPOSURE_METERING: {
        "": {1: "Average", 2: "Center Weighted", 3: "Multi Spot", 4: "Center Spot"},
    },
    FLASH_MODE: {
        "": {1: "Automatic Flash", 2: "Flash off", 3: "Fill flash", 4: "Red-eye automatic",
             5: "Red-eye fill", 6: "External sync"},
        "nikon": {0x8010: "Default", 0x8011: "Slow Sync",
                  0x8012: "Rear Curtain Sync + Slow Sync",
                  0x8013: "Red-eye Reduction + Slow Sync"},
    },
    STILL_CAPTURE_MODE: {
        "": {1: "Single Shot", 2: "Burst", 3: "Timelapse"},
        "nikon": {0x8010: "Continuous Low Speed", 0x8011: "Timer", 0x8012: "Mirror Up",
                  0x8013: "Remote", 0x8014: "Quick Response Remote",
                  0x8015: "Delayed Remote", 0x8016: "Quiet Release"},
    },
    FOCUS_METERING: {
        "": {1: "Centre-spot", 2: "Multi-spot"},
        "nikon": {0x8010: "Single Area", 0x8011: "Closest Subject", 0x8012: "Group Dynamic"},
    },
}


# a vendor's own properties (0xDxxx codes, named by that vendor's table): value -> reading.
# Canon's PowerShot properties from config.c's canon_whitebalance, canon_aperture and
# canon_expcompensation tables (the PTP_DPC_CANON_WhiteBalance, _Aperture, _ExpCompensation
# settings).
VENDOR_PROPERTIES: dict[tuple[str, int], dict[int, str]] = {
    ("canon", 0xD013): {0: "Auto", 1: "Daylight", 2: "Cloudy", 3: "Tungsten",
                        4: "Fluorescent", 6: "Custom", 7: "Fluorescent H"},
    ("canon", 0xD01D): {0xFFFF: "auto", 0x20: "f/2.8", 0x23: "f/3.2", 0x25: "f/3.5",
                        0x28: "f/4.0", 0x2B: "f/4.5", 0x2D: "f/5", 0x30: "f/5.6",
                        0x33: "f/6.3", 0x35: "f/7.1", 0x38: "f/8.0"},
    ("canon", 0xD01F): {0xFF: "Factory Default", 0x08: "+2", 0x0B: "+1 2/3", 0x0D: "+1 1/3",
                        0x10: "+1", 0x13: "+2/3", 0x15: "+1/3", 0x18: "0", 0x1B: "-1/3",
                        0x1D: "-2/3", 0x20: "-1", 0x23: "-1 1/3", 0x25: "-1 2/3",
                        0x28: "-2"},
    # Fujifilm: config.c's fuji_prioritymode (PTP_DPC_FUJI_PriorityMode 0xD207 in ptp.h; its
    # prepare_capture sets it to 2, "USB control"), fuji_releasemode (PTP_DPC_FUJI_ReleaseMode
    # 0xD201) and fuji_filmsimulation (PTP_DPC_FUJI_FilmSimulation 0xD001), by their names
    ("fuji", 0xD207): {1: "Camera", 2: "USB"},
    ("fuji", 0xD201): {1: "Single frame", 2: "Continuous low speed",
                       3: "Continuous high speed", 4: "Self-timer", 5: "Mup Mirror up"},
    ("fuji", 0xD001): {1: "PROVIA/Standard", 2: "Velvia/Vivid", 3: "ASTIA/Soft",
                       4: "PRO Neg.Hi", 5: "PRO Neg.Std", 6: "Black & White",
                       7: "Black & White+Ye Filter", 8: "Black & White+R Filter",
                       9: "Black & White+G Filter", 10: "Sepia", 11: "Classic Chrome",
                       12: "ACROS", 13: "ACROS+Ye Filter", 14: "ACROS+R Filter",
                       15: "ACROS+G Filter", 16: "ETERNA/Cinema", 17: "Classic Neg",
                       18: "ETERNA BLEACH BYPASS"},
}


def _number(value: float) -> str:
    return f"{value:g}"


def f_number(v: int) -> str:
    return f"f/{_number(v / 100)}"


def exposure_time(v: int) -> str | None:
    """1/250 s for 40; 0.4 s for 4000; 2 s for 20000 (units of 1/10000 s)."""
    if v <= 0:
        return None
    denominator = 10000 / v
    nearest = round(denominator)
    if nearest >= 2 and abs(denominator - nearest) <= 0.02 * nearest:
        return f"1/{nearest} s"
    return f"{_number(round(v / 10000, 4))} s"


def focal_length(v: int) -> str:
    return f"{_number(v / 100)} mm"


def exposure_bias(v: int) -> str:
    return f"{v / 1000:+.1f} EV" if v else "0 EV"


def iso(v: int) -> str:
    return f"ISO {v}"


def date_time(v: str) -> str | None:
    seconds = ptp_date(v)
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


SCALED: dict[int, Callable[[int], str | None]] = {
    F_NUMBER: f_number, EXPOSURE_TIME: exposure_time, FOCAL_LENGTH: focal_length,
    EXPOSURE_BIAS: exposure_bias, EXPOSURE_INDEX: iso,
}


def value_text(code: int, value: PropertyValue | None, vendor: str | None = None,
               form: Form = None) -> str | None:
    """The human reading of property ``code``'s ``value`` in ``vendor``'s session; None when
    no rule knows it (the raw value is then all there is to say)."""
    if isinstance(value, str):
        return date_time(value) if code == DATE_TIME else None
    if not isinstance(value, int):
        return None
    own = VENDOR_PROPERTIES.get((vendor or "", code))
    if own is not None:
        return own.get(value)
    table = ENUMERATIONS.get(code)
    if table is not None:
        names = table.get(vendor or "", {}) if value & 0x8000 else table[""]
        return names.get(value)
    scaled = SCALED.get(code)
    if scaled is not None:
        return scaled(value)
    if code == BATTERY_LEVEL:
        return battery_level(value, form)
    return None


def battery_level(value: int, form: Form) -> str | None:
    """Percent of the DevicePropDesc's range (libgphoto2's reading); unknown without one."""
    if not isinstance(form, Range):
        return None
    low, high = form.minimum, form.maximum
    if not isinstance(low, int) or not isinstance(high, int) or high <= low:
        return None
    return f"{(value - low) * 100 // (high - low)} %"
