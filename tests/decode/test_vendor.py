"""Per-session vendor detection from several signals."""

from __future__ import annotations

import pytest

from ptpip_analyzer.decode.dataset_types import DeviceInfo
from ptpip_analyzer.decode.vendor import VendorDetector
from ptpip_analyzer.model import Connection, Direction, Endpoint, Packet


def conn(camera: int) -> Connection:
    return Connection(0, Endpoint(b"\x0a\x00\x00\x01", 50000),
                      Endpoint(bytes([10, 0, 0, camera]), 15740), 1)


def info(vid: int, manufacturer: str, model: str = "", desc: str = "") -> DeviceInfo:
    return DeviceInfo(100, vid, 100, desc, 0, (), (), (), (), (), manufacturer, model, "1", "1")


def packet(ptype: int, code: int | None = None, name: str | None = None) -> Packet:
    return Packet(0, Direction.TO_RESPONDER, 0, 8, ptype, 1, 0.0, code=code, name=name)


def test_extension_id_and_manufacturer_agree() -> None:
    d = VendorDetector()
    d.device_info(conn(2), info(0xA, "Nikon Corporation", "Z 6_2"))
    assert d.vendor(conn(2)) == "nikon"


def test_lying_extension_id_loses_to_manufacturer_and_model() -> None:
    d = VendorDetector()
    d.device_info(conn(2), info(0xFFFFFFFF, "Sony Corporation", "ILCE-7M3",
                                "microsoft.com: 1.0"))
    assert d.vendor(conn(2)) == "sony"
    d.device_info(conn(3), info(0x6, "", "", "microsoft.com: 1.0"))
    assert d.vendor(conn(3)) == "mtp"


def test_ack_name_and_signature_operations_before_device_info() -> None:
    d = VendorDetector()
    assert d.vendor(conn(4)) is None
    d.packet(conn(4), packet(2, name="Canon EOS R6"))
    assert d.vendor(conn(4)) == "canon"
    d.packet(conn(5), packet(6, code=0x90C7))
    assert d.vendor(conn(5)) == "nikon"
    assert "operation 0x90C7" in d.evidence(conn(5)).reasons[0]


def test_sessions_are_per_camera_and_override_wins() -> None:
    d = VendorDetector()
    d.device_info(conn(2), info(0xE, "FUJIFILM", "X-T4"))
    d.device_info(conn(3), info(0x1C, "Panasonic", "DC-GH5"))
    assert (d.vendor(conn(2)), d.vendor(conn(3))) == ("fuji", "panasonic")
    forced = VendorDetector("olympus")
    forced.device_info(conn(2), info(0xA, "Nikon Corporation"))
    assert forced.vendor(conn(2)) == "olympus"
    with pytest.raises(ValueError, match="unknown vendor"):
        VendorDetector("acme")


def test_the_model_is_named_with_its_brand() -> None:
    d = VendorDetector()
    d.device_info(conn(2), info(0xA, "Nikon Corporation", "COOLPIX P3"))
    d.device_info(conn(3), info(0xFFFFFFFF, "Sony Corporation", "ILCE-5000"))
    d.device_info(conn(4), info(0x6, "Canon Inc.", "Canon  EOS\nR6"))
    assert [d.camera(conn(n)) for n in (2, 3, 4)] == [
        "Nikon COOLPIX P3", "Sony ILCE-5000", "Canon EOS R6"]
    assert d.camera(conn(5)) is None
