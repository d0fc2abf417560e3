"""``decode_dataset``: the dataset of a data phase, by operation and the session's vendor.

The one entry point over the ISO 15740 / MTP layouts (``datasets``) and the vendor "get event"
dumps (``event_dumps``, which build on ``datasets``).
"""

from __future__ import annotations

from collections.abc import Mapping

from .datasets import (
    MTP_LAYOUTS,
    PROPERTY_VALUE_OPS,
    STANDARD_LAYOUTS,
    DatasetResult,
    decode_property_value,
    parse,
)
from .event_dumps import decode_event_dump


def decode_dataset(opcode: int, payload: bytes, params: tuple[int, ...] = (),
                   prop_types: Mapping[int, int] | None = None,
                   mtp: bool = True, vendor: str | None = None) -> DatasetResult | None:
    """The dataset of a data phase of ``opcode``; None when the operation has none we know.

    ``prop_types`` maps property codes to their DataType (from DevicePropDesc) so that
    property values decode typed; ``mtp`` enables the MTP operations (off when a vendor
    table gives 0x98xx another meaning); ``vendor`` (the session's) picks vendor operations
    such as the "get event" dumps (``event_dumps``), whose codes collide between vendors.
    """
    if opcode & 0x8000 and vendor is not None:
        dump = decode_event_dump(vendor, opcode, payload, prop_types)
        if dump is not None:
            return dump
    if opcode in PROPERTY_VALUE_OPS:
        code = params[0] if params else None
        known = (prop_types or {}).get(code) if code is not None else None
        return decode_property_value(payload, code, known)
    layout = STANDARD_LAYOUTS.get(opcode) or (MTP_LAYOUTS.get(opcode) if mtp else None)
    return None if layout is None else parse(layout, payload)
