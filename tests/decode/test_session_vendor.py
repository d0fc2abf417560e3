"""Plain ``dissect`` names vendor codes as -V, jsonl and ``transactions`` do, and zero padding
is labelled alike for every operation; on a capture written by the project's writer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.decode import encode_ptp
from ptpip_analyzer.decode.session_vendor import SessionVendors
from ptpip_analyzer.engine import DissectOptions, dissect_file
from tests.export.sessions import Script

EOS_BULB_END, NOT_SUPPORTED = 0x9126, 0x2005
CANON = encode_ptp.DeviceInfo(
    vendor_extension_id=6, vendor_extension_desc="", operations=[0x1001, 0x1002],
    events=[], properties=[], capture_formats=[], image_formats=[0x3801],
    manufacturer="Canon Inc.", model="Canon EOS R5", device_version="1.0",
    serial_number="1234")


@pytest.fixture(scope="module")
def canon(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gphoto2-like: DeviceInfo (a Canon, VendorExtensionID 6 as over PTP/IP), then a vendor
    operation padded to five zeros (ptpy style), answered OperationNotSupported; GetDeviceInfo
    and GetObject padded the same."""
    s = Script()
    s.transaction(0x1001, [0, 0, 0, 0, 0], data_in=encode_ptp.device_info(CANON))
    s.transaction(EOS_BULB_END, [0, 0, 0, 0, 0], response=NOT_SUPPORTED)
    s.transaction(0x1009, [1, 0, 0, 0, 0], data_in=bytes(100))
    return s.save(tmp_path_factory.mktemp("vendor") / "canon.pcapng")


def _lines(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main(["dissect", *argv]) == 0
    return capsys.readouterr().out.splitlines()


def test_plain_dissect_names_vendor_operations_like_the_detail_view(
        canon: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = [line for line in _lines(capsys, str(canon)) if "0x9126" in line]
    assert len(plain) == 1 and "EOS_BulbEnd (0x9126)" in plain[0]
    verbose = [line for line in _lines(capsys, str(canon), "-V")
               if re.match(r"\s*\d+ ", line) and "0x9126" in line]
    assert verbose == plain
    rows = [json.loads(line) for line in _lines(capsys, str(canon), "--format", "jsonl")]
    assert [r["code_name"] for r in rows if r.get("code") == EOS_BULB_END] == ["EOS_BulbEnd"]
    assert main(["transactions", str(canon), "--format", "jsonl"]) == 0
    names = [json.loads(line)["opcode_name"] for line in capsys.readouterr().out.splitlines()]
    assert names[2] == "EOS_BulbEnd"


def test_zero_padding_is_labelled_alike_for_every_operation(
        canon: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _lines(capsys, str(canon), "-V")
    requests = [i for i, line in enumerate(tree) if "Operation Request" in line
                and re.match(r"\s*\d+ ", line)]
    for start in requests[1:]:  # GetDeviceInfo, EOS_BulbEnd, GetObject: all padded to 5
        block = tree[start:start + 12]
        labels = [m.group(1) for line in block
                  if (m := re.match(r"\s*Parameter \d: ([^:]+):", line))]
        assert len(labels) == 5, block
        named = 1 if "GetObject" in tree[start] else 0
        assert labels[named:] == ["(padding)"] * (5 - named), labels


def test_session_vendors_learns_from_device_info(canon: Path) -> None:
    vendors = SessionVendors()
    learnt = []
    for conn, record in dissect_file(canon, DissectOptions()).records():
        vendors.feed(conn, record)
        learnt.append(vendors.vendor(conn))
    assert learnt[0] is None and learnt[-1] == "canon"
