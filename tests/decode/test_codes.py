"""Code tables and lookups: standard, MTP, vendors; tshark's own value tables."""

from __future__ import annotations

import shutil
import subprocess

from ptpip_analyzer.decode import codes
from ptpip_analyzer.decode.tables import KINDS, MTP, STANDARD, VENDORS


def test_standard_tables_are_complete() -> None:
    assert set(codes.OPERATIONS) == set(range(0x1000, 0x1026))
    assert set(codes.RESPONSES) == set(range(0x2000, 0x2024))
    assert set(codes.EVENTS) == set(range(0x4000, 0x400F))
    assert {0x3000, 0x3001, 0x3801, 0x3811} <= set(codes.FORMATS)
    assert {0x5001, 0x5011, 0x502C} <= set(codes.PROPERTIES)
    assert codes.data_type_name(0x4006) == "AUINT32" and codes.data_type_name(0xFFFF) == "STR"


def test_tables_are_well_formed() -> None:
    for table in [STANDARD, *VENDORS.values()]:
        assert set(table.codes) <= set(KINDS), table.key
        for kind, entries in table.codes.items():
            assert all(0 <= c <= 0xFFFFFFFF and name for c, name in entries.items()), (table.key, kind)
    for key in ("nikon", "canon", "sony", "fuji", "olympus", "panasonic", "kodak", "ricoh",
                "leica", "mtp"):
        assert VENDORS[key].size() > 0


def test_same_code_differs_by_vendor() -> None:
    # PROTOCOL.md: 0x9201 means different things to Canon EOS, Nikon, Sony and MTP
    names = {v: codes.operation_name(0x9201, v) for v in ("canon", "nikon", "sony", "mtp")}
    assert len(set(names.values())) == 4
    assert names["nikon"] == "StartLiveView" and names["sony"] == "SDIO_Connect"


def test_unknown_vendor_codes_say_so() -> None:
    assert codes.operation_name(0x9201) == "Unknown vendor operation 0x9201"
    assert codes.event_name(0xC0FF, "sony") == "Unknown Sony event 0xC0FF"
    assert codes.response_name(0x2FFF) == "Unknown response 0x2FFF"
    assert codes.code_name(6, 0x1001) == "GetDeviceInfo" and codes.code_name(9, 1) == ""


def test_mtp_blocks_named_in_any_session() -> None:
    assert codes.operation_name(0x9805) == "GetObjPropList"
    assert codes.operation_name(0x9805, "nikon") == "GetObjPropList"
    assert codes.object_property_name(0xDC07) == "ObjectFileName"
    assert codes.property_name(0xD402) == "DeviceFriendlyName"


def test_vendor_properties_and_events() -> None:
    assert codes.property_name(0x5001, "nikon") == "BatteryLevel"
    assert codes.event_name(0xC101, "canon") == "EOS_RequestGetEvent"
    assert codes.property_name(0xD00F, "ricoh") == "ShutterSpeed"
    assert MTP.get("format", 0xB901) == "WMA"
    assert codes.property_name(0x1D011, "nikon") == "SilentMode"  # 32-bit Nikon code


# tshark's only difference: it spells 0x201F "TransactionCanceled" (as ptp.h); ISO 15740
# and we spell it "TransactionCancelled".
TSHARK_SPELLINGS = {("ptpip.respcode", 0x201F)}


def test_names_agree_with_tshark_value_tables() -> None:
    tshark = shutil.which("tshark")
    assert tshark, "MISSING TOOL: tshark (apt package tshark; scripts/setup.sh installs it)"
    out = subprocess.run([tshark, "-G", "values"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    differences = set()
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or parts[1] not in ("ptpip.opcode", "ptpip.respcode"):
            continue
        code = int(parts[2], 0)
        ours = codes.code_name(6 if parts[1] == "ptpip.opcode" else 7, code)
        if ours.lower() != parts[3].lower().replace(" ", "").replace("_", ""):
            differences.add((parts[1], code))
    assert differences == TSHARK_SPELLINGS
