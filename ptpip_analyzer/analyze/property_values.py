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
  ``fuji_prioritymode``, ``fuji_releasemode`` and ``fuji_filmsimulation`` Fujifilm's;
  ``canon_aperture``, ``canon_shutterspeed`` and ``canon_isospeed`` Canon EOS's aperture,
  shutter speed and ISO (0xD101-0xD103).
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
    # Canon EOS: EOS_APERTURE, EOS_SHUTTER_SPEED, EOS_ISO_SPEED below
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


def _eos(steps: str, named: dict[int, str], reading: Callable[[str], str]) -> dict[int, str]:
    """A Canon EOS table from its ``value=label`` steps (hex values; each label read by
    ``reading``) and its named values."""
    pairs = (step.split("=") for step in steps.split())
    return {**{int(value, 16): reading(label) for value, label in pairs}, **named}


# Canon EOS: PTP_DPC_CANON_EOS_Aperture (0xD101), _ShutterSpeed (0xD102) and _ISOSpeed (0xD103)
# of ptp.h ("from EOS 400D trace"), which config.c's EOS entries read with its canon_aperture,
# canon_shutterspeed and canon_isospeed tables (_get_Canon_Aperture, _get_Canon_ShutterSpeed,
# _get_Canon_ISO; libgphoto2 master 813de34, July 2026). The steps are those tables' values
# and labels (config.c's own duplicates kept: 0x0D and 0x0C are both f/1.2); a label reads as
# f/N, N s and ISO N.
EOS_APERTURE = _eos(
    "08=1 0B=1.1 0C=1.2 0D=1.2 10=1.4 13=1.6 14=1.8 15=1.8 18=2 1B=2.2 1C=2.5 1D=2.5 20=2.8 "
    "23=3.2 24=3.5 25=3.5 28=4 2B=4.5 2C=4.5 2D=5 30=5.6 33=6.3 34=6.7 35=7.1 38=8 3B=9 "
    "3C=9.5 3D=10 40=11 43=13 44=13 45=14 48=16 4B=18 4C=19 4D=20 50=22 53=25 54=27 55=29 "
    "58=32 5B=36 5C=38 5D=40 60=45 63=51 64=54 65=57 68=64 6B=72 6C=76 6D=81 70=91",
    {0x0000: "implicit auto", 0xFFFF: "auto", 0x00B0: "auto"}, lambda n: f"f/{n}")
EOS_SHUTTER_SPEED = _eos(
    "10=30 13=25 14=20.3 15=20 18=15 1B=13 1C=10 1D=10.3 20=8 23=6.3 24=6 25=5 28=4 2B=3.2 "
    "2C=3 2D=2.5 30=2 33=1.6 34=1.5 35=1.3 38=1 3B=0.8 3C=0.7 3D=0.6 40=0.5 43=0.4 44=0.3 "
    "45=0.3 48=1/4 4B=1/5 4C=1/6 4D=1/6 50=1/8 53=1/10 54=1/10 55=1/13 58=1/15 5B=1/20 "
    "5C=1/20 5D=1/25 60=1/30 63=1/40 64=1/45 65=1/50 68=1/60 6B=1/80 6C=1/90 6D=1/100 "
    "70=1/125 73=1/160 74=1/180 75=1/200 78=1/250 7B=1/320 7C=1/350 7D=1/400 80=1/500 "
    "83=1/640 84=1/750 85=1/800 88=1/1000 8B=1/1250 8C=1/1500 8D=1/1600 90=1/2000 "
    "93=1/2500 94=1/3000 95=1/3200 98=1/4000 9B=1/5000 9C=1/6000 9D=1/6400 A0=1/8000 "
    "A8=1/16000",
    {0x0000: "auto", 0x0004: "bulb", 0x000C: "bulb"}, lambda n: f"{n} s")
EOS_ISO_SPEED = _eos(
    "28=6 30=12 38=25 40=50 43=64 45=80 48=100 4B=125 4D=160 50=200 53=250 55=320 58=400 "
    "5B=500 5D=640 60=800 63=1000 65=1250 68=1600 6B=2000 6D=2500 70=3200 73=4000 75=5000 "
    "78=6400 7B=8000 7D=10000 80=12800 83=16000 85=20000 88=25600 8B=32000 8D=40000 "
    "90=51200 93=64000 95=80000 98=102400 A0=204800 A8=409600 B0=819200",
    {0xFFFF: "Factory Default", 0x0000: "Auto", 0x0001: "Auto ISO"}, lambda n: f"ISO {n}")
VENDOR_PROPERTIES.update({("canon", 0xD101): EOS_APERTURE, ("canon", 0xD102): EOS_SHUTTER_SPEED,
                          ("canon", 0xD103): EOS_ISO_SPEED})


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
