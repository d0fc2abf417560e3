"""Vendor "get event" dumps: the data phases by which cameras hand over their queued events.

Canon EOS cameras answer EOS_GetEvent (0x9116) and Nikon cameras GetEvent (0x90C7) /
GetEventEx (0x941C) with a list of events instead of (or besides) sending Event packets. The
layouts are public through libgphoto2 camlibs/ptp2/ptp-pack.c (commit 813de344e697):
``ptp_unpack_EOS_events`` (Canon records: u32 size, u32 type, body; a size-8 type-0 record ends
the list), ``ptp_unpack_Nikon_EC`` and ``ptp_unpack_Nikon_EC_EX``. The wire layouts are Kaitai
types in ``ksy/ptp_datasets.ksy``; this module is their typed wrapper (as ``datasets`` is for
the standard datasets). Canon records are framed here by their size before Kaitai sees them, so
a body that does not fit its type's layout spoils that record only; a size that does not fit
the data gives a ``MalformedDataset`` at the record's offset, never an exception.

Operation codes collide between vendors, so a dump is chosen by (session vendor, operation).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from io import BytesIO
from typing import Any

from kaitaistruct import KaitaiStream, KaitaiStructError

from ._generated.ptp_datasets import PtpDatasets as K
from .dataset_types import EventDump, EventRecord, PropertyValue
from .datasets import STRING, DatasetResult, Decoded, MalformedDataset, parse, value
from .tables.canon import EOS_PROPERTY_TYPES

CANON_NAME, NIKON_NAME = "CanonEOSEvents", "NikonEvents"
HEADER = 8  # Canon record header: u32 size, u32 type
END = 0  # Canon end record type (with size 8)
PROP_VALUE_CHANGED = 0xC189  # Canon EOS_PropValueChanged
DEVICE_PROP_CHANGED = 0x4006  # ISO 15740 DevicePropChanged, as listed by Nikon GetEvent
_ERRORS = (EOFError, KaitaiStructError, ValueError, struct.error)

# Canon records whose body is one u32 (libgphoto2 reads it at curdata+8), and its meaning
_WORD_FIELDS = {0xC182: "object handle", 0xC188: "object handle", 0xC18B: "camera status",
                0xC184: "storage id", 0xC185: "storage id", 0xC192: "storage id",
                0xC193: "storage id", 0xC194: "bulb exposure time", 0xC1A4: "value"}
_OBJECT_FIELDS = ("object_handle", "storage_id", "object_format", "object_size",
                  "parent_object")

DumpDecoder = Callable[[bytes, Mapping[int, int]], DatasetResult]


def decode_event_dump(vendor: str | None, opcode: int, payload: bytes,
                      prop_types: Mapping[int, int] | None = None) -> DatasetResult | None:
    """The event dump of a data phase of ``opcode`` in a ``vendor`` session; None if none."""
    decoder = EVENT_DUMPS.get((vendor, opcode)) if vendor is not None else None
    return None if decoder is None else decoder(payload, prop_types or {})


def canon_eos_events(payload: bytes, prop_types: Mapping[int, int]) -> DatasetResult:
    """Canon EOS GetEvent data: records up to the end record; bytes after it are trailing."""
    events: list[EventRecord] = []
    offset = 0
    while len(payload) - offset >= HEADER:
        size, rtype = struct.unpack_from("<II", payload, offset)
        if size == HEADER and rtype == END:
            dump = EventDump("canon GetEvent", tuple(events))
            return Decoded(CANON_NAME, dump, offset + HEADER, len(payload) - offset - HEADER)
        if size < HEADER or size > len(payload) - offset:
            return MalformedDataset(CANON_NAME, offset, len(payload),
                                    f"record of type 0x{rtype:04X} at offset {offset} gives "
                                    f"size {size}; {len(payload) - offset} bytes are left")
        events.append(_canon_record(payload[offset:offset + size], offset, prop_types))
        offset += size
    # no end record: libgphoto2 stops the same way when fewer than 8 bytes are left
    dump = EventDump("canon GetEvent", tuple(events), terminated=False)
    return Decoded(CANON_NAME, dump, offset, len(payload) - offset)


def _canon_record(raw: bytes, offset: int, prop_types: Mapping[int, int]) -> EventRecord:
    rtype = int.from_bytes(raw[4:8], "little")
    try:
        k = K.CanonEosEventRecord(KaitaiStream(BytesIO(raw)))
    except _ERRORS:
        return EventRecord(rtype, offset, note=f"body of {len(raw) - HEADER} bytes is too "
                                               "short for this record type's layout")
    body = k.body
    if isinstance(body, K.CanonEosPropValueChanged):
        v, dtype, guessed = canon_value(body.property_code, body.value,
                                        prop_types.get(body.property_code))
        return EventRecord(rtype, offset, property=body.property_code, value=v,
                           data_type=dtype, type_guessed=guessed)
    return EventRecord(rtype, offset, fields=_canon_fields(rtype, body))


def _canon_fields(rtype: int, body: Any) -> tuple[tuple[str, PropertyValue], ...]:
    if isinstance(body, K.CanonEosWord):
        return ((_WORD_FIELDS.get(rtype, "value"), body.value),)
    if isinstance(body, K.CanonEosAvailListChanged):
        return (("property", body.property_code), ("list type", body.list_type),
                ("values", _avail_values(body)))
    if isinstance(body, K.CanonEosObjectAdded | K.CanonEosObjectAdded64
                  | K.CanonEosObjectTransfer):
        named = tuple((f.replace("_", " "), getattr(body, f)) for f in _OBJECT_FIELDS
                      if hasattr(body, f))
        return (*named, ("filename", body.filename.decode("ascii", errors="replace")))
    return (("body bytes", len(body)),)


def _avail_values(body: Any) -> tuple[int, ...]:
    """List type 3 holds one u32 slot per value (libgphoto2 decodes no other list type)."""
    raw: bytes = body.values
    if body.list_type != 3 or body.num_values * 4 > len(raw):
        return ()
    return struct.unpack_from(f"<{body.num_values}I", raw)


def canon_value(code: int, raw: bytes, known: int | None) -> tuple[PropertyValue, int, bool]:
    """A PropValueChanged value, typed by the session's DevicePropDesc, else libgphoto2's EOS
    type table, else guessed from its size: (value, DataType, guessed)."""
    dtype = known if known is not None else EOS_PROPERTY_TYPES.get(code)
    if dtype == STRING:  # plain ASCII up to a NUL (libgphoto2: "5D MII and 400D ... ASCII")
        return raw.split(b"\0", 1)[0].decode("ascii", errors="replace"), STRING, False
    if dtype is not None:
        io = KaitaiStream(BytesIO(raw))
        try:
            return value(K.PropValue(dtype, io)), dtype, False
        except _ERRORS:
            pass  # the record is shorter than the type says: fall back to its size
    return (*_guess(raw), True)


def _guess(raw: bytes) -> tuple[PropertyValue, int]:
    n = len(raw)
    if n in (1, 2, 4):
        return int.from_bytes(raw, "little"), {1: 0x0002, 2: 0x0004, 4: 0x0006}[n]
    if n % 4 == 0:  # libgphoto2 lists unknown EOS values as u32 words
        return struct.unpack(f"<{n // 4}I", raw), 0x4006
    return tuple(raw), 0x4002


def _nikon_event(code: int, offset: int, params: tuple[int, ...]) -> EventRecord:
    changed = params[0] if code == DEVICE_PROP_CHANGED and params else None
    return EventRecord(code, offset, params=params, property=changed)


def _nikon_list(k: Any) -> EventDump:
    # entries of 6 bytes after the u16 count (ptp_unpack_Nikon_EC)
    return EventDump("nikon GetEvent", tuple(
        _nikon_event(e.event_code, 2 + 6 * i, (e.param,)) for i, e in enumerate(k.events)))


def _nikon_list_ex(k: Any) -> EventDump:
    events, offset = [], 4  # entries start at offset 4 (ptp_unpack_Nikon_EC_EX)
    for e in k.events:
        events.append(_nikon_event(e.event_code, offset, tuple(e.params)))
        offset += 4 + 4 * e.num_params
    return EventDump("nikon GetEventEx", tuple(events))


def nikon_events(payload: bytes, prop_types: Mapping[int, int]) -> DatasetResult:
    return parse((NIKON_NAME, K.NikonEventList, _nikon_list), payload)


def nikon_events_ex(payload: bytes, prop_types: Mapping[int, int]) -> DatasetResult:
    return parse((NIKON_NAME, K.NikonEventListEx, _nikon_list_ex), payload)


# (vendor, operation) -> decoder; operation codes per libgphoto2 ptp.h
EVENT_DUMPS: dict[tuple[str, int], DumpDecoder] = {
    ("canon", 0x9116): canon_eos_events,  # PTP_OC_CANON_EOS_GetEvent
    ("nikon", 0x90C7): nikon_events,  # PTP_OC_NIKON_GetEvent
    ("nikon", 0x941C): nikon_events_ex,  # PTP_OC_NIKON_GetEventEx
}
