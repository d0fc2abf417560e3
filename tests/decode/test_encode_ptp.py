"""Round trips for PTP dataset encoding: byte layouts read with an independent cursor
(tests/ptp_layout.py), and the simulator's readers, which use the project's dataset decoder."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as s
from ptp_layout import DatasetReader

from ptpip_analyzer.decode import encode_ptp as ptp
from ptpip_analyzer.simulator.received import read_object_info, read_property_value

texts = s.text(alphabet=s.characters(codec="utf-16", exclude_categories=("Cs",)), max_size=60)


@given(texts)
def test_string_round_trip(text: str) -> None:
    text = text.replace("\x00", "")
    encoded = ptp.ptp_string(text)
    units = len(text.encode("utf-16-le")) // 2
    assert encoded[0] == (units + 1 if text else 0)
    assert DatasetReader(encoded).string() == text


def test_empty_string_is_one_zero_byte() -> None:
    assert ptp.ptp_string("") == b"\x00"


def test_string_too_long() -> None:
    with pytest.raises(ValueError):
        ptp.ptp_string("x" * 255)


@given(s.lists(s.integers(0, 0xFFFF), max_size=50), s.lists(s.integers(0, 2**32 - 1), max_size=50))
def test_arrays_round_trip(a16: list[int], a32: list[int]) -> None:
    reader = DatasetReader(ptp.array_u16(a16) + ptp.array_u32(a32))
    assert reader.array_u16() == a16 and reader.array_u32() == a32
    assert reader.pos == len(reader.data)


@given(s.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_object_info_round_trip(moment: dt.datetime) -> None:
    moment = moment.replace(microsecond=0)
    info = ptp.ObjectInfo(storage_id=0x10001, object_format=0x3801, compressed_size=12345,
                          filename="IMG_0001.JPG", capture_date=moment, modification_date=None,
                          thumb_format=0x3808, thumb_compressed_size=99, thumb_width=16,
                          image_width=320, sequence_number=7, keywords="a b")
    assert read_object_info(ptp.object_info(info)) == info


def test_device_info_layout() -> None:
    info = ptp.DeviceInfo(vendor_extension_id=0xA, vendor_extension_desc="x", operations=[0x1001],
                          events=[0x4002, 0x400D], properties=[0x5001], capture_formats=[],
                          image_formats=[0x3801], manufacturer="M", model="Model",
                          device_version="1.0", serial_number="42")
    reader = DatasetReader(ptp.device_info(info))
    head = (reader.u16(), reader.u32(), reader.u16(), reader.string(), reader.u16())
    assert head == (100, 0xA, 100, "x", 0)
    arrays = [reader.array_u16() for _ in range(5)]
    assert arrays == [[0x1001], [0x4002, 0x400D], [0x5001], [], [0x3801]]
    assert [reader.string() for _ in range(4)] == ["M", "Model", "1.0", "42"]
    assert reader.pos == len(reader.data)


def test_storage_info_layout() -> None:
    info = ptp.StorageInfo(max_capacity=2**33, free_space=2**32 + 5, free_images=9,
                           description="SD", volume_label="")
    reader = DatasetReader(ptp.storage_info(info))
    fields = (reader.u16(), reader.u16(), reader.u16(), reader.u64(), reader.u64(), reader.u32())
    assert fields == (4, 2, 0, 2**33, 2**32 + 5, 9)
    assert (reader.string(), reader.string()) == ("SD", "")
    assert reader.pos == len(reader.data)


@pytest.mark.parametrize("desc", [
    ptp.DevicePropDesc(0x5001, ptp.DataType.UINT8, False, 100, 50, ptp.Range(0, 100, 1)),
    ptp.DevicePropDesc(0x5003, ptp.DataType.STR, True, "a", "b", ("a", "b")),
    ptp.DevicePropDesc(0x5011, ptp.DataType.STR, True, "20240101T000000", "20240101T000000"),
    ptp.DevicePropDesc(0x500E, ptp.DataType.INT16, True, -3, 4, (-3, 4, 5)),
])
def test_device_prop_desc_round_trip(desc: ptp.DevicePropDesc) -> None:
    reader = DatasetReader(ptp.device_prop_desc(desc))
    assert (reader.u16(), reader.u16(), reader.u8()) == (desc.code, desc.data_type, desc.writable)
    assert (reader.value(desc.data_type), reader.value(desc.data_type)) == (
        desc.factory_default, desc.current)
    flag = reader.u8()
    if isinstance(desc.form, ptp.Range):
        values = tuple(reader.value(desc.data_type) for _ in range(3))
        assert flag == 1 and ptp.Range(*values) == desc.form  # type: ignore[arg-type]
    elif desc.form is not None:
        count = reader.u16()
        assert flag == 2 and tuple(reader.value(desc.data_type) for _ in range(count)) == desc.form
    else:
        assert flag == 0
    assert reader.pos == len(reader.data)


@given(s.integers(-128, 127))
def test_property_value_round_trip(value: int) -> None:
    assert read_property_value(ptp.property_value(ptp.DataType.INT8, value), ptp.DataType.INT8) == value


def test_property_value_type_checked() -> None:
    with pytest.raises(TypeError):
        ptp.property_value(ptp.DataType.STR, 3)
