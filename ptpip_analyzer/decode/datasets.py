"""Typed wrapper over the Kaitai-generated dataset parser: data phase bytes in, dataset out.

With ``event_dumps`` (vendor event dumps), the only module that touches
``_generated.ptp_datasets``. The dataset is chosen by the operation of the data phase
(PROTOCOL.md "PTP payloads"); values of GetDevicePropValue /
SetDevicePropValue are typed by the property's DataType learnt from an earlier DevicePropDesc,
or guessed from their size when none was seen. A dataset that does not fit its layout gives a
``MalformedDataset`` with the offset where decoding stopped, never an exception.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from kaitaistruct import KaitaiStream, KaitaiStructError

from ._generated.ptp_datasets import PtpDatasets as K
from .dataset_types import (
    Dataset,
    DeviceInfo,
    DevicePropDesc,
    DevicePropValue,
    Form,
    IdList,
    ObjectInfo,
    ObjectPropDesc,
    ObjectPropEntry,
    ObjectPropList,
    PropertyValue,
    Range,
    StorageInfo,
)
from .encode_ptp import INT_FORMATS

STRING = 0xFFFF


@dataclass(frozen=True, slots=True)
class Decoded:
    """A dataset that fit its layout; ``trailing`` bytes followed it (padding, or a mismatch)."""

    name: str
    value: Dataset
    size: int
    trailing: int = 0


@dataclass(frozen=True, slots=True)
class MalformedDataset:
    """A data phase whose bytes don't fit the dataset its operation calls for."""

    name: str
    offset: int  # where decoding stopped, from the start of the data phase
    length: int
    reason: str


DatasetResult = Decoded | MalformedDataset


def text(s: Any) -> str:
    """A decoded PTP string, without its NUL terminator (and anything after one)."""
    decoded: str = s.utf16.decode("utf-16-le", errors="replace")
    end = decoded.find("\x00")
    return decoded if end < 0 else decoded[:end]


def value(v: Any) -> PropertyValue:
    """A Kaitai prop_value as a Python int, str or tuple of ints."""
    inner = v.value
    if isinstance(inner, int):
        return inner
    if isinstance(inner, K.PtpString):
        return text(inner)
    if isinstance(inner, K.Int128):
        return int.from_bytes(inner.raw, "little", signed=v.data_type == 0x0009)
    return tuple(int(value(e)) for e in inner.elements)  # type: ignore[arg-type]


def _form(flag: int, form: Any) -> Form:
    if flag == 1:
        return Range(value(form.minimum), value(form.maximum), value(form.step))
    if flag == 2:
        return tuple(value(v) for v in form.values)
    if isinstance(form, K.PtpString):
        return text(form)
    return form if isinstance(form, int) else None


def _device_info(k: Any) -> DeviceInfo:
    return DeviceInfo(
        k.standard_version, k.vendor_extension_id, k.vendor_extension_version,
        text(k.vendor_extension_desc), k.functional_mode,
        tuple(k.operations_supported.elements), tuple(k.events_supported.elements),
        tuple(k.device_properties_supported.elements), tuple(k.capture_formats.elements),
        tuple(k.image_formats.elements), text(k.manufacturer), text(k.model),
        text(k.device_version), text(k.serial_number))


def _storage_info(k: Any) -> StorageInfo:
    return StorageInfo(k.storage_type, k.filesystem_type, k.access_capability,
                       k.max_capacity, k.free_space_bytes, k.free_space_images,
                       text(k.storage_description), text(k.volume_label))


def _object_info(k: Any) -> ObjectInfo:
    return ObjectInfo(
        k.storage_id, k.object_format, k.protection_status, k.object_compressed_size,
        k.thumb_format, k.thumb_compressed_size, k.thumb_pix_width, k.thumb_pix_height,
        k.image_pix_width, k.image_pix_height, k.image_bit_depth, k.parent_object,
        k.association_type, k.association_desc, k.sequence_number, text(k.filename),
        text(k.capture_date), text(k.modification_date), text(k.keywords))


def _prop_desc(k: Any) -> DevicePropDesc:
    return DevicePropDesc(k.property_code, k.data_type, k.get_set == 1,
                          value(k.factory_default), value(k.current_value),
                          _form(k.form_flag, getattr(k, "form", None)), k.form_flag)


def _object_prop_desc(k: Any) -> ObjectPropDesc:
    return ObjectPropDesc(k.property_code, k.data_type, k.get_set == 1,
                          value(k.factory_default), k.group_code,
                          _form(k.form_flag, getattr(k, "form", None)), k.form_flag)


def _object_prop_list(k: Any) -> ObjectPropList:
    return ObjectPropList(tuple(
        ObjectPropEntry(e.object_handle, e.property_code, e.data_type, value(e.value))
        for e in k.elements))


_Layout = tuple[str, Callable[[KaitaiStream], Any], Callable[[Any], Dataset]]


def _ids(kind: str) -> Callable[[Any], Dataset]:
    return lambda k: IdList(kind, tuple(k.elements))


_DEVICE_INFO: _Layout = ("DeviceInfo", K.DeviceInfo, _device_info)
_STORAGE_IDS: _Layout = ("StorageIDs", K.U4Array, _ids("storage ids"))
_STORAGE_INFO: _Layout = ("StorageInfo", K.StorageInfo, _storage_info)
_HANDLES: _Layout = ("ObjectHandles", K.U4Array, _ids("object handles"))
_OBJECT_INFO: _Layout = ("ObjectInfo", K.ObjectInfo, _object_info)
_PROP_DESC: _Layout = ("DevicePropDesc", K.DevicePropDesc, _prop_desc)
_PROP_CODES: _Layout = ("ObjectPropCodes", K.U2Array, _ids("object property codes"))
_OBJ_PROP_DESC: _Layout = ("ObjectPropDesc", K.ObjectPropDesc, _object_prop_desc)
_OBJ_PROP_LIST: _Layout = ("ObjectPropList", K.ObjectPropList, _object_prop_list)
_REFERENCES: _Layout = ("ObjectReferences", K.U4Array, _ids("object handles"))

# Standard operations (ISO 15740 section 10.5) and, unless a vendor table claims the code,
# the MTP 1.1 operations of appendix D that carry datasets.
STANDARD_LAYOUTS: dict[int, _Layout] = {
    0x1001: _DEVICE_INFO, 0x1004: _STORAGE_IDS, 0x1005: _STORAGE_INFO, 0x1007: _HANDLES,
    0x1008: _OBJECT_INFO, 0x100C: _OBJECT_INFO, 0x1014: _PROP_DESC,
}
MTP_LAYOUTS: dict[int, _Layout] = {
    0x9801: _PROP_CODES, 0x9802: _OBJ_PROP_DESC, 0x9805: _OBJ_PROP_LIST,
    0x9806: _OBJ_PROP_LIST, 0x9808: _OBJ_PROP_LIST, 0x9810: _REFERENCES, 0x9811: _REFERENCES,
}
PROPERTY_VALUE_OPS = frozenset({0x1015, 0x1016})


def parse(layout: _Layout, payload: bytes) -> DatasetResult:
    name, kaitai_type, convert = layout
    io = KaitaiStream(BytesIO(payload))
    try:
        dataset = convert(kaitai_type(io))
    except (EOFError, KaitaiStructError, ValueError, struct.error) as exc:
        return MalformedDataset(name, io.pos(), len(payload), _why(name, exc, io, payload))
    return Decoded(name, dataset, io.pos(), len(payload) - io.pos())


def _why(name: str, exc: Exception, io: KaitaiStream, payload: bytes) -> str:
    if isinstance(exc, KaitaiStructError) and "unsupported_type" in str(exc.src_path):
        return f"{name}: unknown PTP data type at offset {io.pos()}"
    return f"{name} does not fit the data ({exc.__class__.__name__}: {exc}) at offset " \
           f"{io.pos()} of {len(payload)}"


# The integer types' struct formats (ISO 15740 table 3, as ``ksy/ptp_datasets.ksy``'s
# prop_value reads them): a value that fits is unpacked at once, ~1 µs where the Kaitai
# path (BytesIO, KaitaiStream, generated object) takes ~15 µs; a polled property, such as a
# battery level read every second, is one per transaction (issue 12). Anything else, and a
# payload too short for its type, goes to Kaitai (the decoder of record), so errors read the
# same; ``PTPIP_ANALYZER_DECODER=kaitai`` turns the fast path off, and a test holds the two
# equal on arbitrary payloads.
_SCALARS: dict[int, struct.Struct] = {} if os.environ.get("PTPIP_ANALYZER_DECODER") == "kaitai" \
    else {int(t): struct.Struct(f) for t, f in INT_FORMATS.items()}


def decode_property_value(payload: bytes, code: int | None,
                          data_type: int | None) -> DatasetResult:
    """A device property value; typed by ``data_type`` or, without one, guessed by size."""
    guessed = data_type is None
    dtype = guess_data_type(payload) if data_type is None else data_type
    if dtype is None:
        return MalformedDataset("DevicePropValue", 0, len(payload),
                                f"no DevicePropDesc seen and {len(payload)} bytes fit no type")
    scalar = _SCALARS.get(dtype)
    if scalar is not None and len(payload) >= scalar.size:
        return Decoded("DevicePropValue",
                       DevicePropValue(code, dtype, scalar.unpack_from(payload)[0], guessed),
                       scalar.size, len(payload) - scalar.size)
    return _kaitai_property_value(payload, code, dtype, guessed)


def _kaitai_property_value(payload: bytes, code: int | None, dtype: int,
                           guessed: bool) -> DatasetResult:
    io = KaitaiStream(BytesIO(payload))
    try:
        v = value(K.PropValue(dtype, io))
    except (EOFError, KaitaiStructError, ValueError, struct.error) as exc:
        return MalformedDataset("DevicePropValue", io.pos(), len(payload),
                                f"value of type 0x{dtype:04X} does not fit "
                                f"{len(payload)} bytes ({exc.__class__.__name__})")
    return Decoded("DevicePropValue", DevicePropValue(code, dtype, v, guessed), io.pos(),
                   len(payload) - io.pos())


_BY_SIZE = {1: 0x0002, 2: 0x0004, 4: 0x0006, 8: 0x0008, 16: 0x000A}


def guess_data_type(payload: bytes) -> int | None:
    """A plausible DataType for an untyped value: a PTP string, an unsigned int by size, or
    a u32-counted array of u16/u32."""
    n = len(payload)
    if n in _BY_SIZE:  # strings have an odd size (count + 2 bytes per unit) except b"\0"
        return _BY_SIZE[n]
    if n and payload[0] * 2 + 1 == n:
        return STRING
    if n >= 4:
        count = int.from_bytes(payload[:4], "little")
        for element, dtype in ((2, 0x4004), (4, 0x4006), (1, 0x4002)):
            if 4 + count * element == n:
                return dtype
    return None
