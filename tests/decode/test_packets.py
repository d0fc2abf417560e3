"""Round trips: every packet type encoded by decode.encode and decoded through Kaitai."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptpip_analyzer.decode import encode
from ptpip_analyzer.decode.packets import decode_pdu, split_name_and_version
from ptpip_analyzer.model import Direction, Malformed, Packet, Pdu

GUID = bytes(range(16))


def decode(raw: bytes, keep: bool = True) -> Packet | Malformed:
    length = int.from_bytes(raw[:4], "little")
    ptype = int.from_bytes(raw[4:8], "little")
    body = raw if keep else raw[:12]
    return decode_pdu(Pdu(0, Direction.TO_RESPONDER, 0, length, ptype, body, 1, 0.0))


@pytest.mark.parametrize("raw, expected", [
    (encode.init_command_request(GUID, "Host ü"), {"guid": GUID, "name": "Host ü", "version": 0x10000}),
    (encode.init_command_request(GUID, "NoVersion", version=None),
     {"name": "NoVersion", "version": None}),
    (encode.init_command_ack(3, GUID, "Cam"), {"connection_number": 3, "name": "Cam"}),
    (encode.init_event_request(3), {"connection_number": 3}),
    (encode.init_event_ack(), {"ptype": 4}),
    (encode.init_fail(1), {"reason": 1}),
    (encode.operation_request(0x1009, 7, [1, 2, 3, 4, 5], data_phase=2),
     {"code": 0x1009, "transaction_id": 7, "params": (1, 2, 3, 4, 5), "data_phase": 2}),
    (encode.operation_request(0x1001, 0), {"code": 0x1001, "params": ()}),
    (encode.operation_response(0x2019, 8, [9]), {"code": 0x2019, "transaction_id": 8, "params": (9,)}),
    (encode.event(0x4006, 0xFFFFFFFF, [0x5001, 0, 0]), {"code": 0x4006, "params": (0x5001, 0, 0)}),
    (encode.start_data(5, 0xFFFFFFFFFFFFFFFF), {"transaction_id": 5,
                                                    "data_length": 0xFFFFFFFFFFFFFFFF}),
    (encode.data(5, b"abcdef"), {"transaction_id": 5, "data_length": 6, "payload": b"abcdef"}),
    (encode.cancel(5), {"transaction_id": 5}),
    (encode.end_data(5), {"transaction_id": 5, "data_length": 0, "payload": b""}),
    (encode.probe_request(), {"ptype": 13}),
    (encode.probe_response(), {"ptype": 14}),
])
def test_round_trip(raw: bytes, expected: dict[str, object]) -> None:
    packet = decode(raw)
    assert isinstance(packet, Packet)
    assert packet.length == len(raw)
    for key, value in expected.items():
        assert getattr(packet, key) == value, key


def test_data_packet_without_kept_payload_still_knows_its_size() -> None:
    packet = decode(encode.data(9, bytes(5000)), keep=False)
    assert isinstance(packet, Packet)
    assert (packet.transaction_id, packet.data_length, packet.payload) == (9, 5000, None)


def test_body_that_does_not_fit_its_layout_is_malformed() -> None:
    raw = encode.operation_request(0x1001, 1) + b"\x01"
    raw = len(raw).to_bytes(4, "little") + raw[4:]
    result = decode(raw)
    assert isinstance(result, Malformed) and "Operation Request" in result.reason


def test_ascii_name_from_a_sender_that_ignores_utf16() -> None:
    assert split_name_and_version(b"Cam\x00\x00\x00\x01\x00") == ("Cam", 0x10000)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 14), st.binary(max_size=80))
def test_arbitrary_bodies_never_raise(ptype: int, body: bytes) -> None:
    raw = (len(body) + 8).to_bytes(4, "little") + ptype.to_bytes(4, "little") + body
    assert isinstance(decode(raw), Packet | Malformed)
