"""Session pairing transcripts: the Init Event Request echoes the Init Command Ack's number."""

from ptpip_analyzer.decode.codes import PacketType as P
from ptpip_analyzer.validate import Validator

from .transcript import HOST, OPEN_SESSION, Transcript


def test_sessions_are_numbered_in_order_of_appearance() -> None:
    t = Transcript()
    t.command_handshake(stream=0, number=5)
    t.connection(2, host=bytes([10, 0, 0, 9]))
    t.connection(3, host=bytes([10, 0, 0, 9]))
    t.command_handshake(stream=2, number=5)  # same number, other host: another session
    t.event_handshake(stream=3, number=5)
    t.event_handshake(stream=1, number=5)
    assert t.findings() == []
    sessions = t.result().sessions
    assert [(s.number, s.command_stream, s.event_stream) for s in sessions] == [(1, 0, 1),
                                                                                 (2, 2, 3)]
    validator = Validator()
    for conn, record in t.pairs:
        validator.feed(conn, record)
    assert [validator.session_of(s) for s in (0, 1, 2, 3, 99)] == [1, 1, 2, 2, None]


def test_findings_carry_their_session() -> None:
    t = Transcript()
    t.session_start()
    t.camera(P.OPERATION_RESPONSE, code=0x2001, transaction_id=7)
    assert [(f.rule, f.session, f.stream) for f in t.result().findings] == [
        ("PTPIP-TX-002", 1, 0)]


def test_event_connection_with_unknown_number() -> None:
    t = Transcript()
    t.command_handshake(number=1)
    request = t.host(P.INIT_EVENT_REQUEST, 1, connection_number=2)
    t.camera(P.INIT_EVENT_ACK, 1)
    assert t.findings() == [("PTPIP-EV-001", request)]
    assert t.result().sessions[0].event_stream is None


def test_number_given_to_another_initiator_does_not_match() -> None:
    t = Transcript()
    t.command_handshake(number=1)
    t.connection(1, host=bytes([10, 0, 0, 9]))
    request = t.host(P.INIT_EVENT_REQUEST, 1, connection_number=1)
    t.camera(P.INIT_EVENT_ACK, 1)
    assert t.findings() == [("PTPIP-EV-001", request)]


def test_event_connection_before_the_ack() -> None:
    t = Transcript()
    t.host(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="host", version=0x10000)
    early = t.host(P.INIT_EVENT_REQUEST, 1, connection_number=1)
    t.camera(P.INIT_COMMAND_ACK, connection_number=1, guid=bytes(16), name="cam")
    t.camera(P.INIT_EVENT_ACK, 1)
    assert t.findings() == [("PTPIP-EV-002", early)]
    assert [f.session for f in t.result().findings] == [1]
    assert t.result().sessions[0].event_stream == 1


def test_event_connection_without_handshake_joins_the_latest_session() -> None:
    t = Transcript()
    t.session_start()
    t.connection(2, host=HOST)
    event = t.camera(P.EVENT, 2, code=0x4002, transaction_id=0xFFFFFFFF, params=(5,))
    result = t.result()
    assert [(f.rule, f.frame, f.session) for f in result.findings] == [
        ("PTPIP-HS-001", event, None)]  # the session's event slot is taken by stream 1
    t2 = Transcript()
    t2.command_handshake()
    t2.transaction(OPEN_SESSION, 0)
    event = t2.camera(P.EVENT, 1, code=0x4002, transaction_id=0xFFFFFFFF)
    assert [(f.rule, f.session) for f in t2.result().findings] == [("PTPIP-HS-001", 1)]
    assert t2.result().sessions[0].event_stream == 1


def test_event_handshake_captured_but_command_handshake_not() -> None:
    """Capture began after the command handshake but caught the event handshake."""
    t = Transcript()
    t.event_handshake(stream=1, number=3)
    first = t.host(P.OPERATION_REQUEST, 0, code=0x1001, transaction_id=7)
    t.camera(P.OPERATION_RESPONSE, 0, code=0x2001, transaction_id=7)
    assert t.findings() == [("PTPIP-HS-001", first)]
    assert t.result().sessions[0].event_stream == 1
