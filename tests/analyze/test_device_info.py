"""The device_info table: what each camera's DeviceInfo lists, named per vendor, with property
values read for humans; on shipped simulator captures and on captures made by the writer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.device_info import MAX_CODES, capabilities
from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.decode.encode_ptp import (
    DataType,
    DeviceInfo,
    DevicePropDesc,
    Range,
    device_info,
    device_prop_desc,
)
from tests.export.sessions import Script

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
WB, FNUMBER, EXPTIME, ISO, FOCUS, BIAS = 0x5005, 0x5007, 0x500D, 0x500F, 0x500A, 0x5010
NIKON_OP = 0x90C7  # Nikon GetEvent


def _camera(path: Path, vendor_id: int, manufacturer: str) -> Path:
    """A session whose camera lists standard and vendor codes and describes five properties."""
    s = Script()
    descs = [
        DevicePropDesc(FNUMBER, DataType.UINT16, True, 280, 560, (280, 400, 560, 800)),
        DevicePropDesc(EXPTIME, DataType.UINT32, True, 10000, 40, (10000, 40, 4000)),
        DevicePropDesc(ISO, DataType.UINT16, True, 100, 800, (100, 200, 400, 800)),
        DevicePropDesc(WB, DataType.UINT16, True, 2, 0x8010, (2, 4, 0x8010)),
        DevicePropDesc(BIAS, DataType.INT16, True, 0, -700, Range(-3000, 3000, 333)),
        DevicePropDesc(FOCUS, DataType.UINT16, False, 2, 0x8011, (1, 0x8011)),
    ]
    info = DeviceInfo(vendor_id, "", [0x1001, 0x1002, 0x1014, NIKON_OP], [0x4002],
                      [d.code for d in descs], [0x3801], [0x3801, 0x3000],
                      manufacturer, "Test Body", "1.0", "42")
    s.transaction(0x1001, data_in=device_info(info))
    for d in descs:
        s.transaction(0x1014, [d.code], data_in=device_prop_desc(d))
    s.transaction(0x1016, [FNUMBER], data_out=(800).to_bytes(2, "little"))  # set f/8
    return s.save(path)


@pytest.fixture(scope="module")
def nikon(tmp_path_factory: pytest.TempPathFactory) -> Capture:
    return load(_camera(tmp_path_factory.mktemp("di") / "nikon.pcapng", 0xA,
                        "Nikon Corporation"))


def test_one_row_per_listed_code_with_its_kind(nikon: Capture) -> None:
    di = nikon.device_info
    assert list(di["kind"].value_counts().sort_index().items()) == [
        ("capture_format", 1), ("event", 1), ("operation", 4), ("playback_format", 2),
        ("property", 6)]
    assert (di["session"] == 1).all() and (di["vendor"] == "nikon").all()


def test_names_come_from_the_sessions_vendor(nikon: Capture) -> None:
    names = nikon.device_info.set_index("code")["name"]
    assert names[NIKON_OP] == "GetEvent" and names[0x1014] == "GetDevicePropDesc"
    assert names[0x4002] == "ObjectAdded" and names[0x3801] is not None


def test_property_values_read_for_humans(nikon: Capture) -> None:
    props = nikon.device_info[nikon.device_info["kind"] == "property"].set_index("name")
    assert props.loc["FNumber", ["value", "value_text"]].tolist() == ["800", "f/8"]
    assert props.loc["ExposureTime", ["value", "value_text"]].tolist() == ["40", "1/250 s"]
    assert props.loc["ExposureIndex", "value_text"] == "ISO 800"
    assert props.loc["WhiteBalance", "value_text"] == "Cloudy"  # Nikon's 0x8010
    assert props.loc["FocusMode", "value_text"] == "AF-C"
    assert props.loc["ExposureBiasCompensation", "value_text"] == "-0.7 EV"
    assert not props.loc["FocusMode", "writable"] and props.loc["FNumber", "writable"]


def test_a_vendor_value_is_not_read_in_another_vendors_table(tmp_path: Path) -> None:
    cap = load(_camera(tmp_path / "canon.pcapng", 0xB, "Canon Inc."))
    props = cap.device_info.set_index("name")
    assert props.loc["WhiteBalance", "value"] == str(0x8010)
    assert pd.isna(props.loc["WhiteBalance", "value_text"])  # Canon has no 0x8010 here
    assert props.loc["FNumber", "value_text"] == "f/8"  # standard: any vendor


def test_capabilities_line(nikon: Capture) -> None:
    line = capabilities(nikon.device_info, 1)
    assert line is not None
    assert line.startswith("4 operations, 1 event, 6 properties, 1 capture format, "
                           "2 playback formats; FNumber f/8, ExposureTime 1/250 s")
    assert capabilities(nikon.device_info, 2) is None


def test_shipped_simulator_capture() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-summary.pcapng")
    props = cap.device_info[cap.device_info["kind"] == "property"].set_index("name")
    assert props.loc["BatteryLevel", "value_text"] == "87 %"  # range 0..100
    assert props.loc["DateTime", "value_text"] == "2024-05-01 12:00:00"
    assert len(cap.device_info[cap.device_info["kind"] == "operation"]) == 18


def test_refused_session_has_no_rows() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-refused.pcapng")
    assert cap.device_info.empty and "session" in cap.device_info.columns


def test_property_timeline_reads_values_too(nikon: Capture) -> None:
    props = nikon.properties
    fnumber = props[props["property_name"] == "FNumber"]
    assert fnumber[["source", "old_text", "new_text"]].fillna("–").values.tolist() == [
        ["GetDevicePropDesc", "–", "f/5.6"], ["SetDevicePropValue", "f/5.6", "f/8"]]
    wb = props[props["property_name"] == "WhiteBalance"].iloc[0]
    assert (wb["new_value"], wb["new_text"]) == (str(0x8010), "Cloudy")


def test_a_hostile_list_is_cut(tmp_path: Path) -> None:
    s = Script()
    info = DeviceInfo(0, "", list(range(0x1000, 0x1000 + 30_000)), [], [], [], [],
                      "<b>\x1b[31m", "M", "1", "2")
    s.transaction(0x1001, data_in=device_info(info))
    cap = load(s.save(tmp_path / "hostile.pcapng"))
    assert (cap.device_info["kind"] == "operation").sum() == MAX_CODES


def test_shipped_fujifilm_personality() -> None:
    cap = load(CAPTURES / "real" / "camera-fujifilm-x.pcapng")
    props = cap.device_info[(cap.device_info["kind"] == "property")
                            & (cap.device_info["session"] == 1)].set_index("name")
    assert props.loc["PriorityMode", ["code", "value", "value_text"]].tolist() == [
        0xD207, "1", "Camera"]
    assert (cap.device_info["vendor"] == "fuji").all()


def test_canon_eos_aperture_shutter_and_iso_read_from_libgphoto2s_tables(
        tmp_path: Path) -> None:
    """0xD101-0xD103 in a Canon session (VendorExtensionID 0xB): config.c's canon_aperture,
    canon_shutterspeed and canon_isospeed give f/5.6, 1/250 s and ISO 800."""
    s = Script()
    descs = [DevicePropDesc(0xD101, DataType.UINT16, True, 0x30, 0x30, (0x28, 0x30)),
             DevicePropDesc(0xD102, DataType.UINT16, True, 0x78, 0x78, (0x04, 0x78)),
             DevicePropDesc(0xD103, DataType.UINT16, True, 0x60, 0x60, (0x00, 0x60))]
    info = DeviceInfo(0xB, "", [0x1001, 0x1014, 0x9114], [0x4002], [d.code for d in descs],
                      [0x3801], [0x3801], "Canon Inc.", "Canon EOS R6", "1.0", "7")
    s.transaction(0x1001, data_in=device_info(info))
    for d in descs:
        s.transaction(0x1014, [d.code], data_in=device_prop_desc(d))
    cap = load(s.save(tmp_path / "eos.pcapng"))
    props = cap.device_info[cap.device_info["kind"] == "property"].set_index("code")
    assert props.loc[0xD101, "value_text"] == "f/5.6"
    assert props.loc[0xD102, "value_text"] == "1/250 s"
    assert props.loc[0xD103, "value_text"] == "ISO 800"
