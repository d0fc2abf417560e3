"""Handshake transcripts: PROTOCOL.md "Sequences", 1 -> 2 | 5 and 3 -> 4 | 5."""

from ptpip_analyzer.decode.codes import PacketType as P

from .transcript import OPEN_SESSION, Transcript


def test_both_handshakes_and_open_session_are_clean() -> None:
    t = Transcript()
    t.session_start()
    assert t.findings() == []


def test_capture_starting_mid_session_is_a_note_only() -> None:
    t = Transcript()
    first = t.host(P.OPERATION_REQUEST, code=0x1007, transaction_id=41, params=(1, 0, 0))
    t.camera(P.OPERATION_RESPONSE, code=0x2001, transaction_id=41)
    t.transaction(0x1008, 42, data=100)
    assert t.findings() == [("PTPIP-HS-001", first)]


def test_capture_starting_between_request_and_ack_is_a_note_only() -> None:
    t = Transcript()
    ack = t.camera(P.INIT_COMMAND_ACK, connection_number=1, guid=bytes(16), name="cam")
    t.transaction(OPEN_SESSION, 0)
    t.event_handshake()
    assert t.findings() == [("PTPIP-HS-001", ack)]


def test_second_ack_is_an_answer_without_request() -> None:
    t = Transcript()
    t.command_handshake()
    ack = t.camera(P.INIT_COMMAND_ACK, connection_number=1, guid=bytes(16), name="cam")
    assert t.findings() == [("PTPIP-HS-002", ack)]


def test_event_ack_does_not_answer_a_command_request() -> None:
    t = Transcript()
    t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x10000)
    wrong = t.camera(P.INIT_EVENT_ACK)
    assert t.findings() == [("PTPIP-HS-007", 1), ("PTPIP-HS-002", wrong)]


def test_second_handshake_on_one_connection() -> None:
    t = Transcript()
    t.command_handshake()
    again = t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x10000)
    assert t.findings() == [("PTPIP-HS-003", again)]


def test_operation_before_the_ack() -> None:
    t = Transcript()
    t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x10000)
    early = t.host(P.OPERATION_REQUEST, code=OPEN_SESSION, transaction_id=0, params=(1,))
    t.camera(P.INIT_COMMAND_ACK, connection_number=1, guid=bytes(16), name="cam")
    t.camera(P.OPERATION_RESPONSE, code=0x2001, transaction_id=0)
    assert t.findings() == [("PTPIP-HS-004", early)]


def test_init_fail_is_a_note_and_later_traffic_an_error() -> None:
    t = Transcript()
    t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x10000)
    fail = t.camera(P.INIT_FAIL, reason=1)
    late = t.host(P.OPERATION_REQUEST, code=OPEN_SESSION, transaction_id=0)
    t.host(P.OPERATION_REQUEST, code=OPEN_SESSION, transaction_id=0)
    assert t.findings() == [("PTPIP-HS-005", fail), ("PTPIP-HS-006", late)]
    assert "rejected initiator" in t.result().findings[0].message


def test_refused_event_connection() -> None:
    t = Transcript()
    t.command_handshake()
    t.host(P.INIT_EVENT_REQUEST, 1, connection_number=1)
    fail = t.camera(P.INIT_FAIL, 1, reason=2)
    assert t.findings() == [("PTPIP-HS-005", fail)]


def test_unanswered_init_request() -> None:
    t = Transcript()
    request = t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x10000)
    assert t.findings() == [("PTPIP-HS-007", request)]


def test_other_protocol_version_is_a_note() -> None:
    t = Transcript()
    request = t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x00010001)
    t.camera(P.INIT_COMMAND_ACK, connection_number=1, guid=bytes(16), name="cam", version=None)
    assert t.findings() == [("PTPIP-HS-008", request)]
