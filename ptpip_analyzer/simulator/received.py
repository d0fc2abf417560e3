"""Reading the datasets an initiator sends to the camera (SendObjectInfo, property values).

The project's dataset decoder (``decode/datasets.py``, Kaitai-based) reads them; this module only
turns its results into the simulator's own types and its malformed results into DatasetError,
which the camera answers with InvalidParameter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..decode import dataset_types as decoded
from ..decode.dataset_decoder import decode_dataset
from ..decode.datasets import Decoded, decode_property_value
from ..decode.encode_ptp import DataType, ObjectInfo, PropertyValue

GET_OBJECT_INFO = 0x1008  # whose data phase has the ObjectInfo layout SendObjectInfo sends


class DatasetError(ValueError):
    """The initiator's dataset is shorter than its fields or otherwise unreadable."""


def read_object_info(data: bytes) -> ObjectInfo:
    result = decode_dataset(GET_OBJECT_INFO, data)
    if not isinstance(result, Decoded) or not isinstance(result.value, decoded.ObjectInfo):
        raise DatasetError(getattr(result, "reason", "ObjectInfo unreadable"))
    fields = dataclasses.asdict(result.value)
    fields["capture_date"] = _naive(decoded.parse_ptp_date(result.value.capture_date))
    fields["modification_date"] = _naive(decoded.parse_ptp_date(result.value.modification_date))
    return ObjectInfo(**fields)


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    """The simulator keeps wall-clock dates (it writes them back without a zone)."""
    return None if moment is None else moment.replace(tzinfo=None)


def read_property_value(data: bytes, data_type: DataType) -> PropertyValue:
    result = decode_property_value(data, None, int(data_type))
    if not isinstance(result, Decoded) or not isinstance(result.value, decoded.DevicePropValue):
        raise DatasetError(getattr(result, "reason", "property value unreadable"))
    value = result.value.value
    if isinstance(value, tuple):  # array types: the simulator's properties have none
        raise DatasetError(f"array value for a scalar property of type {data_type!r}")
    return value
