"""The sans-IO PTP/IP responder: packets in, plans out, with faults and cancels."""

from __future__ import annotations

import struct

import pytest

from ptpip_analyzer.decode import encode
from ptpip_analyzer.decode import encode_ptp as ptp
from ptpip_analyzer.simulator.camera import PtpSession
from ptpip_analyzer.simulator.faults import LONG_BY, SHORT_BY, Fault
from ptpip_analyzer.simulator.responder import (
    CommandResponder,
    Plan,
    ProtocolError,
    handshake_reply,
    parse_init_command_request,
)

from .conftest import make_camera

OPEN = encode.operation_request(0x1002, 0, (1,))
GET_OBJECT = encode.operation_request(0x1009, 1, (1,))


def feed(responder: CommandResponder, *packets: bytes) -> list[Plan]:
    plans = []
    for packet in packets:
        ptype = struct.unpack_from("<I", packet, 4)[0]
        plan = responder.receive(ptype, packet[8:])
        if plan is not None:
            plans.append(plan)
    return plans


def responder(*faults: Fault) -> CommandResponder:
    return CommandResponder(PtpSession(make_camera(size=5000)), frozenset(faults), chunk_size=2048)


def data_bytes(plan: Plan) -> int:
    assert plan.data is not None
    return sum(len(p) - 12 for p in plan.data.packets[1:])


def announced(plan: Plan) -> int:
    assert plan.data is not None
    return int(struct.unpack_from("<Q", plan.data.packets[0], 12)[0])


def test_handshake() -> None:
    request = parse_init_command_request(encode.init_command_request(b"G" * 16, "host")[8:])
    assert (request.name, request.version) == ("host", 0x00010000)
    ack = handshake_reply(request, frozenset(), 3, b"C" * 16, "cam")
    assert ack == encode.init_command_ack(3, b"C" * 16, "cam")
    assert handshake_reply(request, frozenset({Fault.REFUSE}), 3, b"C" * 16, "x") == encode.init_fail(1)
    no_version = parse_init_command_request(encode.init_command_request(b"G" * 16, "h", None)[8:])
    assert no_version.version is None


def test_transcript_get_object() -> None:
    r = responder()
    opened, got = feed(r, OPEN, GET_OBJECT)
    assert opened.response == encode.operation_response(0x2001, 0) and opened.data is None
    assert got.data is not None
    assert got.data.packets == encode.data_phase(1, r.session.camera.store.objects[1].data, 2048)
    assert got.response == encode.operation_response(0x2001, 1)
    assert "GetObject(0x1) -> OK data-out 5000 B" in got.log


def test_probe_answered() -> None:
    assert feed(responder(), encode.probe_request())[0].response == encode.probe_response()


def test_data_phase_to_camera() -> None:
    r = responder()
    info = encode.operation_request(0x100C, 1, (0x10001, 0), data_phase=2)
    dataset = ptp.object_info(ptp.ObjectInfo(0, 0x3004, 3, "A.TXT"))
    plans = feed(r, OPEN, info, *encode.data_phase(1, dataset, 16))
    assert plans[-1].response == encode.operation_response(0x2001, 1, (0x10001, 0, 4))
    assert f"data-in {len(dataset)} B" in plans[-1].log


def test_cancel_during_incoming_data() -> None:
    r = responder()
    info = encode.operation_request(0x100C, 1, (0x10001, 0), data_phase=2)
    plans = feed(r, OPEN, info, encode.start_data(1, 100), encode.cancel(1))
    assert plans[-1].response == encode.operation_response(0x201F, 1)
    assert r.incoming is None


def test_cancel_honoured_or_ignored() -> None:
    r = responder()
    feed(r, OPEN, GET_OBJECT)
    assert feed(r, encode.cancel(1)) == [] and r.is_cancelled(1)
    ignoring = responder(Fault.IGNORE_CANCEL)
    feed(ignoring, OPEN, GET_OBJECT, encode.cancel(1))
    assert not ignoring.is_cancelled(1)


@pytest.mark.parametrize("fault, check", [
    (Fault.SHORT_DATA, lambda p: data_bytes(p) == announced(p) - SHORT_BY),
    (Fault.LONG_DATA, lambda p: data_bytes(p) == announced(p) + LONG_BY),
    (Fault.UNKNOWN_LENGTH, lambda p: announced(p) == encode.UNKNOWN_DATA_LENGTH),
    (Fault.WRONG_TRANSACTION_ID, lambda p: p.response == encode.operation_response(0x2001, 2)),
    (Fault.RESET, lambda p: p.data.reset_at is not None and 0 < p.data.reset_at < len(p.data.packets)),
])
def test_data_faults_fire_once_on_first_transfer(fault: Fault, check) -> None:  # type: ignore[no-untyped-def]
    r = responder(fault)
    first, second = feed(r, OPEN, GET_OBJECT, encode.operation_request(0x1009, 2, (2,)))[1:]
    assert check(first) if fault is not Fault.WRONG_TRANSACTION_ID else True
    assert f"[fault {fault.value}]" in first.log and "fault" not in second.log
    if fault is Fault.WRONG_TRANSACTION_ID:
        assert first.response == encode.operation_response(0x2001, 2)


def test_slow_and_drop_event() -> None:
    plans = feed(responder(Fault.SLOW, Fault.DROP_EVENT), OPEN, GET_OBJECT)
    assert all(p.delay > 0 for p in plans)
    assert [p.drop_event for p in plans] == [True, False]


def test_capture_events() -> None:
    plans = feed(responder(), OPEN, encode.operation_request(0x100E, 1, (0, 0)))
    assert plans[-1].events == [encode.event(0x4002, 1, (4,)), encode.event(0x400D, 1)]


def test_protocol_errors() -> None:
    with pytest.raises(ProtocolError):
        feed(responder(), encode.init_event_request(1))
    with pytest.raises(ProtocolError):
        feed(responder(), encode.data(5, b"x"))
