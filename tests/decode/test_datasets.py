"""Dataset decoding: round trips with the simulator's encoder, malformed input, fuzzing."""

from __future__ import annotations

import datetime as dt
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer.decode import encode_ptp as enc
from ptpip_analyzer.decode.dataset_decoder import decode_dataset
from ptpip_analyzer.decode.dataset_types import (
    DeviceInfo,
    DevicePropDesc,
    DevicePropValue,
    IdList,
    ObjectInfo,
    ObjectPropDesc,
    ObjectPropList,
    Range,
    StorageInfo,
    parse_ptp_date,
)
from ptpip_analyzer.decode.datasets import (
    Decoded,
    MalformedDataset,
    decode_property_value,
    guess_data_type,
)

INFO = enc.DeviceInfo(0xA, "microsoft.com: 1.0", [0x1001, 0x1002, 0x90C7], [0x4002], [0x5001],
                      [0x3801], [0x3801, 0x3000], "Nikon Corporation", "D750", "V1.0", "ü123")


def decoded(opcode: int, payload: bytes, *args: object) -> Decoded:
    result = decode_dataset(opcode, payload, *args)  # type: ignore[arg-type]
    assert isinstance(result, Decoded), result
    assert result.trailing == 0 and result.size == len(payload)
    return result


def test_device_info_round_trip() -> None:
    info = decoded(0x1001, enc.device_info(INFO)).value
    assert isinstance(info, DeviceInfo)
    assert info.vendor_extension_id == 0xA and info.vendor_extension_desc == "microsoft.com: 1.0"
    assert info.operations == (0x1001, 0x1002, 0x90C7) and info.image_formats == (0x3801, 0x3000)
    assert (info.manufacturer, info.model, info.serial_number) == ("Nikon Corporation", "D750",
                                                                   "ü123")


def test_storage_info_and_id_arrays() -> None:
    si = enc.StorageInfo(8 << 30, 1 << 30, 120, "SD", "NIKON D750")
    got = decoded(0x1005, enc.storage_info(si)).value
    assert got == StorageInfo(4, 2, 0, 8 << 30, 1 << 30, 120, "SD", "NIKON D750")
    assert decoded(0x1004, enc.array_u32([0x10001])).value == IdList("storage ids", (0x10001,))
    handles = decoded(0x1007, enc.array_u32([1, 2, 3])).value
    assert handles == IdList("object handles", (1, 2, 3))


def test_object_info_round_trip_with_dates() -> None:
    when = dt.datetime(2024, 5, 1, 12, 30, 5)
    oi = enc.ObjectInfo(0x10001, 0x3801, 12345, "DSC_0001.JPG", when, None, image_width=640)
    for opcode in (0x1008, 0x100C):
        got = decoded(opcode, enc.object_info(oi)).value
        assert isinstance(got, ObjectInfo)
        assert (got.filename, got.compressed_size, got.image_width) == ("DSC_0001.JPG", 12345, 640)
        assert parse_ptp_date(got.capture_date) == when and got.modification_date == ""


def test_prop_desc_forms_and_types() -> None:
    cases = [
        enc.DevicePropDesc(0x5001, enc.DataType.UINT8, False, 100, 87, enc.Range(0, 100, 1)),
        enc.DevicePropDesc(0x5003, enc.DataType.STR, True, "a", "b", ("a", "b", "")),
        enc.DevicePropDesc(0x500E, enc.DataType.INT16, True, -3, 2, (-3, 0, 2)),
        enc.DevicePropDesc(0x5011, enc.DataType.STR, True, "", "20240501T120000"),
        enc.DevicePropDesc(0xD100, enc.DataType.UINT64, False, 1 << 63, 5),
    ]
    for desc in cases:
        got = decoded(0x1014, enc.device_prop_desc(desc)).value
        assert isinstance(got, DevicePropDesc)
        assert (got.code, got.data_type, got.writable) == (desc.code, desc.data_type,
                                                           desc.writable)
        assert (got.factory_default, got.current) == (desc.factory_default, desc.current)
        want = Range(*vars_of(desc.form)) if isinstance(desc.form, enc.Range) else desc.form
        assert got.form == want


def vars_of(r: enc.Range) -> tuple[int, int, int]:
    return r.minimum, r.maximum, r.step


def test_array_and_int128_values() -> None:
    array = struct.pack("<I3H", 3, 1, 2, 0xFFFF)
    assert value_of(array, 0x4004) == (1, 2, 0xFFFF)
    assert value_of(struct.pack("<I2b", 2, -1, 5), 0x4001) == (-1, 5)
    assert value_of((-2).to_bytes(16, "little", signed=True), 0x0009) == -2
    assert value_of((1 << 100).to_bytes(16, "little"), 0x000A) == 1 << 100


def value_of(payload: bytes, dtype: int) -> object:
    result = decode_property_value(payload, 0xD001, dtype)
    assert isinstance(result, Decoded) and isinstance(result.value, DevicePropValue)
    return result.value.value


def test_property_value_typed_by_earlier_desc_or_guessed() -> None:
    typed = decode_dataset(0x1015, enc.u16(0xFFFE), (0x500E,), {0x500E: 0x0003})
    assert isinstance(typed, Decoded)
    assert typed.value == DevicePropValue(0x500E, 0x0003, -2, False)
    guessed = decode_dataset(0x1016, enc.ptp_string("640x480"), (0x5003,))
    assert isinstance(guessed, Decoded)
    assert guessed.value == DevicePropValue(0x5003, 0xFFFF, "640x480", True)
    assert guess_data_type(b"\x07") == 0x0002 and guess_data_type(b"abc") is None


def test_mtp_object_prop_desc_and_list() -> None:
    desc = struct.pack("<HHB", 0xDC04, 0x0008, 0) + enc.u64(0) + enc.u32(0) + enc.u8(0)
    got = decoded(0x9802, desc).value
    assert got == ObjectPropDesc(0xDC04, 0x0008, False, 0, 0, None, 0)
    regex = struct.pack("<HHB", 0xDC07, 0xFFFF, 1) + b"\x00" + enc.u32(0) + enc.u8(5) \
        + enc.ptp_string("[a-z]+")
    assert decoded(0x9802, regex).value.form == "[a-z]+"  # type: ignore[union-attr]
    plist = enc.u32(2) + struct.pack("<IHH", 7, 0xDC07, 0xFFFF) + enc.ptp_string("a.jpg") \
        + struct.pack("<IHHI", 7, 0xDC04, 0x0006, 99)
    got_list = decoded(0x9805, plist).value
    assert isinstance(got_list, ObjectPropList)
    assert [(e.code, e.value) for e in got_list.entries] == [(0xDC07, "a.jpg"), (0xDC04, 99)]
    assert decode_dataset(0x9805, plist, (), None, False) is None  # a vendor owns 0x98xx


def test_truncated_datasets_are_malformed_with_offset() -> None:
    payload = enc.device_info(INFO)
    for cut in range(len(payload)):
        result = decode_dataset(0x1001, payload[:cut])
        assert isinstance(result, MalformedDataset), cut
        assert result.name == "DeviceInfo" and 0 <= result.offset <= cut
        assert result.length == cut


def test_unknown_data_type_is_malformed_at_the_value() -> None:
    payload = struct.pack("<HHB", 0x5001, 0x0123, 0) + b"\x01\x02"
    result = decode_dataset(0x1014, payload)
    assert isinstance(result, MalformedDataset)
    assert result.offset == 5 and "unknown PTP data type" in result.reason


def test_trailing_bytes_are_counted() -> None:
    result = decode_dataset(0x1007, enc.array_u32([1]) + b"\x00\x00")
    assert isinstance(result, Decoded) and result.trailing == 2


def test_operations_without_dataset() -> None:
    assert decode_dataset(0x1009, b"\xff\xd8") is None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([0x1001, 0x1004, 0x1005, 0x1007, 0x1008, 0x1014, 0x1015, 0x9802,
                        0x9805]), st.binary(max_size=300), st.lists(st.integers(0, 0xFFFF)))
def test_any_bytes_decode_without_exception(opcode: int, payload: bytes,
                                            params: list[int]) -> None:
    result = decode_dataset(opcode, payload, tuple(params))
    assert isinstance(result, Decoded | MalformedDataset)
    if isinstance(result, Decoded):
        assert result.size + result.trailing == len(payload)
    else:
        assert 0 <= result.offset <= len(payload)


def test_ptp_dates() -> None:
    assert parse_ptp_date("20240501T120000.5Z") == dt.datetime(2024, 5, 1, 12, 0, 0, 500000,
                                                               tzinfo=dt.UTC)
    plus = parse_ptp_date("20240501T120000+0130")
    assert plus is not None and plus.utcoffset() == dt.timedelta(hours=1, minutes=30)
    assert parse_ptp_date("20241301T120000") is None and parse_ptp_date("") is None


@given(st.binary(max_size=20), st.sampled_from([*range(0x0001, 0x000B), 0x4004, 0xFFFF, None]))
@settings(max_examples=400)
def test_scalar_fast_path_gives_what_kaitai_gives(payload: bytes, dtype: int | None) -> None:
    """Integer values are unpacked without Kaitai; the result (value, size, trailing bytes,
    or the malformed reason) is the Kaitai path's, whatever the payload."""
    from ptpip_analyzer.decode import datasets
    fast = decode_property_value(payload, 0x5001, dtype)
    guessed = dtype is None
    kind = guess_data_type(payload) if guessed else dtype
    if kind is None:
        assert isinstance(fast, MalformedDataset)
        return
    assert fast == datasets._kaitai_property_value(payload, 0x5001, kind, guessed)
