"""Named parameters per operation and event."""

from __future__ import annotations

from ptpip_analyzer.decode.params import event_params, request_params, response_params


def test_get_object_handles_names_storage_format_parent() -> None:
    named = request_params(0x1007, (0xFFFFFFFF, 0x3801, 0xFFFFFFFF, 0, 0))
    assert [p.name for p in named] == ["StorageID", "ObjectFormatCode", "ParentObject",
                                       "(padding)", "(padding)"]
    assert named[0].display == "0xFFFFFFFF (all storages)"
    assert named[1].display == "EXIF_JPEG (0x3801)" and named[2].display.endswith("(root)")


def test_property_parameters_by_vendor() -> None:
    (p,) = request_params(0x1014, (0x5001,))
    assert (p.name, p.display) == ("DevicePropCode", "BatteryLevel (0x5001)")
    (nikon,) = request_params(0x1015, (0xD201,), "nikon")
    (sony,) = request_params(0x1015, (0xD201,), "sony")
    assert nikon.display != sony.display and "0xD201" in sony.display


def test_responses_and_events() -> None:
    named = response_params(0x100C, (0x10001, 0xFFFFFFFF, 7))
    assert [p.name for p in named] == ["StorageID", "ParentObject", "ObjectHandle"]
    assert response_params(0x101B, (1234,))[0].display == "1234"
    assert response_params(None, (5,))[0].name == "Parameter 1"
    (added,) = event_params(0x4002, (9,))
    assert (added.name, added.display) == ("ObjectHandle", "0x00000009")


def test_vendor_operations() -> None:
    (mode,) = request_params(0x9114, (1,), "canon")
    assert mode.name == "RemoteMode"
    assert request_params(0x9114, (1,))[0].name == "Parameter 1"  # vendor unknown
