"""Property value readings: units from ISO 15740, names from libgphoto2's config.c tables."""

from __future__ import annotations

import pytest

from ptpip_analyzer.analyze.property_values import exposure_time, value_text
from ptpip_analyzer.decode.dataset_types import Range


@pytest.mark.parametrize(("raw", "text"), [(40, "1/250 s"), (4000, "0.4 s"), (20000, "2 s"),
                                           (3333, "1/3 s"), (1, "1/10000 s"), (0, None)])
def test_exposure_time(raw: int, text: str | None) -> None:
    assert exposure_time(raw) == text


def test_readings() -> None:
    assert value_text(0x5007, 560) == "f/5.6" and value_text(0x5007, 1800) == "f/18"
    assert value_text(0x5008, 5000) == "50 mm"
    assert value_text(0x500F, 800) == "ISO 800"
    assert value_text(0x5010, 333) == "+0.3 EV" and value_text(0x5010, 0) == "0 EV"
    assert value_text(0x5005, 4) == "Daylight" and value_text(0x500E, 3) == "A"
    assert value_text(0x5011, "20240501T120000") == "2024-05-01 12:00:00"
    assert value_text(0x5011, "garbage\x1b[31m") is None


def test_vendor_values_need_the_vendor() -> None:
    assert value_text(0x5005, 0x8010, "nikon") == "Cloudy"
    assert value_text(0x5005, 0x8001, "fuji") == "Fluorescent Lamp 1"
    assert value_text(0x5005, 0x8001, "sony") == "Fluorescent: Warm White"
    assert value_text(0x5005, 0x8010, None) is None
    assert value_text(0x500A, 0x8010, "canon") is None


def test_battery_is_a_share_of_its_range() -> None:
    assert value_text(0x5001, 87, form=Range(0, 100, 1)) == "87 %"
    assert value_text(0x5001, 2, form=Range(0, 4, 1)) == "50 %"
    assert value_text(0x5001, 2) is None  # no range seen: no guess


def test_unknown_property_or_type_gets_no_reading() -> None:
    assert value_text(0xD123, 5, "nikon") is None
    assert value_text(0x5007, (1, 2)) is None and value_text(0x5007, None) is None


def test_a_vendors_own_property() -> None:
    assert value_text(0xD01D, 0x30, "canon") == "f/5.6"  # Canon Aperture
    assert value_text(0xD013, 2, "canon") == "Cloudy" and value_text(0xD01F, 0x1B, "canon") == "-1/3"
    assert value_text(0xD01D, 0x30, "nikon") is None  # 0xD01D is another thing to a Nikon


def test_fujifilm_settings() -> None:
    assert value_text(0xD207, 2, "fuji") == "USB" and value_text(0xD001, 11, "fuji") == \
        "Classic Chrome"
    assert value_text(0xD201, 1, "fuji") == "Single frame" and value_text(0xD207, 2) is None


def test_canon_eos_exposure_triangle() -> None:
    """config.c's canon_aperture / canon_shutterspeed / canon_isospeed steps, 8 a stop."""
    assert [value_text(0xD101, v, "canon") for v in (0x08, 0x30, 0x38, 0xFFFF)] == [
        "f/1", "f/5.6", "f/8", "auto"]
    assert [value_text(0xD102, v, "canon") for v in (0x10, 0x38, 0x78, 0xA0, 0x04)] == [
        "30 s", "1 s", "1/250 s", "1/8000 s", "bulb"]
    assert [value_text(0xD103, v, "canon") for v in (0x48, 0x60, 0x00, 0x01)] == [
        "ISO 100", "ISO 800", "Auto", "Auto ISO"]
    assert value_text(0xD103, 0x61, "canon") is None  # not in the table: no guess
    assert value_text(0xD101, 0x30, "sony") is None  # another vendor's 0xD101
