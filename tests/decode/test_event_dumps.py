"""Vendor event dumps: Canon EOS GetEvent records, Nikon GetEvent / GetEventEx lists.

The dumps are built with struct from the layouts libgphoto2 documents (camlibs/ptp2/ptp-pack.c
ptp_unpack_EOS_events, ptp_unpack_Nikon_EC, ptp_unpack_Nikon_EC_EX).
"""

from __future__ import annotations

import json
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer.decode import dataset_view
from ptpip_analyzer.decode.dataset_decoder import decode_dataset
from ptpip_analyzer.decode.dataset_types import EventDump, EventRecord
from ptpip_analyzer.decode.datasets import Decoded, MalformedDataset
from ptpip_analyzer.decode.event_dumps import (
    EVENT_DUMPS,
    canon_eos_events,
    canon_value,
    decode_event_dump,
)

END = struct.pack("<II", 8, 0)


def record(rtype: int, body: bytes) -> bytes:
    """One Canon EOS GetEvent record: u32 size (with the header), u32 type, body."""
    return struct.pack("<II", 8 + len(body), rtype) + body


def prop_changed(code: int, value: bytes) -> bytes:
    return record(0xC189, struct.pack("<I", code) + value)


def object_added(handle: int, name: str) -> bytes:
    # handle, storage id, format (u16) + 10 unknown bytes, size, parent, 4 unknown, ASCII name
    return record(0xC181, struct.pack("<IIH10xII4x", handle, 0x10001, 0x3801, 4096,
                                      0x90000000) + name.encode() + b"\0")


def nikon(*events: tuple[int, int]) -> bytes:
    return struct.pack("<H", len(events)) + b"".join(struct.pack("<HI", *e) for e in events)


def nikon_ex(*events: tuple[int, tuple[int, ...]]) -> bytes:
    body = b"".join(struct.pack(f"<HH{len(p)}I", code, len(p), *p) for code, p in events)
    return struct.pack("<H2x", len(events)) + body


def dump(result: object) -> EventDump:
    assert isinstance(result, Decoded), result
    assert isinstance(result.value, EventDump)
    return result.value


CANON_DUMP = b"".join((
    prop_changed(0xD101, struct.pack("<I", 0x28)),  # Aperture: u16 in a 4-byte slot
    prop_changed(0xD1D0, b"Jane Doe\0\0\0\0"),  # Artist: plain ASCII
    prop_changed(0xD10B, struct.pack("<i", -3)),  # WhiteBalanceAdjustA: INT32
    prop_changed(0xD9F0, struct.pack("<II", 1, 2)),  # not in the table: guessed words
    record(0xC18A, struct.pack("<6I", 0xD101, 3, 3, 0x20, 0x28, 0x30)),  # AvailListChanged
    object_added(0x90000001, "IMG_0001.JPG"),
    record(0xC182, struct.pack("<I", 0x90000001)),  # ObjectRemoved
    record(0xC1FE, b"abc"),  # a record type we don't know
    record(0xC181, b"\1\2"),  # ObjectAddedEx shorter than its layout
    END,
))


def test_canon_records_decoded() -> None:
    events = dump(decode_dataset(0x9116, CANON_DUMP, vendor="canon")).events
    changes = [(e.property, e.value, e.data_type, e.type_guessed) for e in events
               if e.property is not None]
    assert changes == [(0xD101, 0x28, 0x0004, False), (0xD1D0, "Jane Doe", 0xFFFF, False),
                       (0xD10B, -3, 0x0005, False), (0xD9F0, (1, 2), 0x4006, True)]
    avail, added, removed, unknown, short = events[4:]
    assert avail.fields == (("property", 0xD101), ("list type", 3),
                            ("values", (0x20, 0x28, 0x30)))
    assert added.offset == CANON_DUMP.index(object_added(0x90000001, "IMG_0001.JPG"))
    assert dict(added.fields) == {"object handle": 0x90000001, "storage id": 0x10001,
                                  "object format": 0x3801, "object size": 4096,
                                  "parent object": 0x90000000, "filename": "IMG_0001.JPG"}
    assert removed.fields == (("object handle", 0x90000001),)
    assert unknown == EventRecord(0xC1FE, unknown.offset, fields=(("body bytes", 3),))
    assert short.note and short.fields == ()


def test_canon_value_typed_by_the_sessions_prop_desc_first() -> None:
    payload = prop_changed(0xD101, struct.pack("<I", 0x28)) + END
    events = dump(decode_dataset(0x9116, payload, (), {0xD101: 0x0006}, vendor="canon")).events
    assert (events[0].value, events[0].data_type) == (0x28, 0x0006)
    assert canon_value(0xD101, b"\x28", None) == (0x28, 0x0002, True)  # too short: by size


def test_canon_end_record_trailing_and_missing_end() -> None:
    one = prop_changed(0xD103, struct.pack("<I", 0x48))
    result = decode_dataset(0x9116, one + END + b"\0" * 4, vendor="canon")
    assert isinstance(result, Decoded) and result.trailing == 4 and dump(result).terminated
    unterminated = canon_eos_events(one, {})
    assert isinstance(unterminated, Decoded) and not dump(unterminated).terminated
    assert len(dump(unterminated).events) == 1


def test_canon_record_size_that_does_not_fit_is_malformed_at_its_offset() -> None:
    one = prop_changed(0xD103, struct.pack("<I", 0x48))
    too_big = one + struct.pack("<II", 100, 0xC189) + b"\0" * 8
    result = decode_dataset(0x9116, too_big, vendor="canon")
    assert isinstance(result, MalformedDataset) and result.offset == len(one)
    too_small = one + struct.pack("<II", 4, 0xC189)
    result = decode_dataset(0x9116, too_small, vendor="canon")
    assert isinstance(result, MalformedDataset) and result.offset == len(one)


def test_nikon_get_event() -> None:
    events = dump(decode_dataset(0x90C7, nikon((0x4006, 0x5007), (0xC101, 7)),
                                 vendor="nikon")).events
    assert events == (EventRecord(0x4006, 2, params=(0x5007,), property=0x5007),
                      EventRecord(0xC101, 8, params=(7,)))


def test_nikon_get_event_ex() -> None:
    payload = nikon_ex((0x4006, (0xD1A2,)), (0x4002, (5, 6)), (0xC10C, ()))
    events = dump(decode_dataset(0x941C, payload, vendor="nikon")).events
    assert [(e.code, e.offset, e.params, e.property) for e in events] == [
        (0x4006, 4, (0xD1A2,), 0xD1A2), (0x4002, 12, (5, 6), None), (0xC10C, 24, (), None)]
    empty = decode_dataset(0x941C, b"\0\0", vendor="nikon")
    assert dump(empty).events == ()


def test_nikon_malformed() -> None:
    short = decode_dataset(0x90C7, nikon((0x4006, 0x5007))[:-1], vendor="nikon")
    # the parameter starts at 4; Kaitai's runtime stops where the short read left it
    assert isinstance(short, MalformedDataset) and 4 <= short.offset <= 7
    six_params = struct.pack("<H2xHH", 1, 0x4002, 6) + bytes(24)
    assert isinstance(decode_dataset(0x941C, six_params, vendor="nikon"), MalformedDataset)


def test_dump_chosen_by_the_sessions_vendor() -> None:
    """0x9116 and 0x90C7 mean other things to other vendors: no vendor, no dump."""
    assert decode_event_dump("nikon", 0x9116, CANON_DUMP) is None
    assert decode_event_dump("canon", 0x90C7, nikon()) is None
    assert decode_dataset(0x9116, CANON_DUMP) is None
    assert decode_dataset(0x90C7, nikon(), vendor="sony") is None


def test_view_names_events_and_properties() -> None:
    result = decode_dataset(0x9116, CANON_DUMP, vendor="canon")
    assert result is not None
    assert dataset_view.summary(result, "canon") == "CanonEOSEvents 9 events, 4 property changes"
    lines = [c.label + ": " + c.value for c in dataset_view.tree(result, "canon").children]
    assert lines[0] == "EOS_PropValueChanged (0xC189) at offset 0: EOS_Aperture (0xD101) = 40 " \
                       "(UINT16)"
    assert "EOS_Artist (0xD1D0) = \"Jane Doe\" (STR)" in lines[1]
    assert json.loads(json.dumps(dataset_view.to_dict(result)))["events"][0]["property"] == 0xD101
    nikon_result = decode_dataset(0x90C7, nikon((0x4006, 0x5007)), vendor="nikon")
    assert nikon_result is not None
    node = dataset_view.tree(nikon_result, "nikon").children[0]
    assert node.value == "FNumber (0x5007) changed (value not given)"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(EVENT_DUMPS)), st.binary(max_size=200))
def test_any_bytes_never_raise(key: tuple[str, int], payload: bytes) -> None:
    vendor, opcode = key
    result = decode_dataset(opcode, payload, vendor=vendor)
    assert result is not None
    if isinstance(result, Decoded):
        assert result.size + result.trailing == len(payload)
        dataset_view.tree(result, vendor)
    else:
        assert 0 <= result.offset <= len(payload)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0xC189, 0xC18A, 0xC181, 0xC1A7, 0xC186, 0xC182,
                                           0xC18B, 0xC1FF]),
                          st.binary(max_size=60)), max_size=8))
def test_well_framed_canon_records_all_decode(records: list[tuple[int, bytes]]) -> None:
    """Records framed right decode one event each, whatever their bodies hold."""
    payload = b"".join(record(t, b) for t, b in records) + END
    events = dump(canon_eos_events(payload, {})).events
    assert [e.code for e in events] == [t for t, _ in records]
