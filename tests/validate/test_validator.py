"""Routing transcripts: packet types by connection and side, events, probes, Cancel."""

from ptpip_analyzer.decode.codes import PacketType as P
from ptpip_analyzer.model import Direction
from ptpip_analyzer.validate import Validator

from .transcript import CLOSE_SESSION, GET_OBJECT, OK, Transcript

NOT_A_TRANSACTION = 0xFFFFFFFF


def started() -> Transcript:
    t = Transcript()
    t.session_start()
    return t


def test_operation_request_on_the_event_connection() -> None:
    t = started()
    wrong = t.host(P.OPERATION_REQUEST, 1, code=0x1001, transaction_id=1)
    assert t.findings() == [("PTPIP-PK-001", wrong)]


def test_event_on_the_command_connection() -> None:
    t = started()
    wrong = t.camera(P.EVENT, 0, code=0x4002, transaction_id=NOT_A_TRANSACTION)
    assert t.findings() == [("PTPIP-PK-001", wrong)]


def test_response_from_the_initiator() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=0x1001, transaction_id=1)
    wrong = t.host(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-PK-002", wrong)]


def test_init_command_request_from_the_camera() -> None:
    t = Transcript()
    wrong = t.camera(P.INIT_COMMAND_REQUEST, guid=bytes(16), name="cam")
    assert t.findings() == [("PTPIP-PK-002", wrong)]


def test_unknown_packet_type() -> None:
    t = started()
    odd = t.camera(15, 1)
    assert t.findings() == [("PTPIP-PK-003", odd)]


def test_events_about_transactions() -> None:
    t = started()
    capture = t.transaction(0x100E, 1)  # InitiateCapture
    t.camera(P.EVENT, 1, code=0x4002, transaction_id=1, params=(9, 0, 0))
    t.camera(P.EVENT, 1, code=0x400D, transaction_id=NOT_A_TRANSACTION)
    t.camera(P.EVENT, 1, code=0x4006, transaction_id=0, params=(0x5001,))
    future = t.camera(P.EVENT, 1, code=0x400D, transaction_id=7)
    assert capture == 7
    assert t.findings() == [("PTPIP-EV-003", future)]


def test_cancel_on_the_event_connection_cancels_the_running_transaction() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=500)
    t.host(P.CANCEL, 1, transaction_id=1)
    t.camera(P.OPERATION_RESPONSE, code=0x201F, transaction_id=1)
    assert t.findings() == []
    assert t.result().transactions[-1].cancelled


def test_probes_answered_on_either_connection_are_clean() -> None:
    t = started()
    t.host(P.PROBE_REQUEST, 1)
    t.camera(P.PROBE_RESPONSE, 1)
    t.camera(P.PROBE_REQUEST, 0)
    t.host(P.PROBE_RESPONSE, 0)
    assert t.findings() == []


def test_probes_never_answered_are_one_note_per_connection() -> None:
    """libgphoto2 never answers probes (PROTOCOL.md): one note, however many probes."""
    t = started()
    first = t.camera(P.PROBE_REQUEST, 1)
    t.camera(P.PROBE_REQUEST, 1)
    t.camera(P.PROBE_REQUEST, 1)
    assert t.findings() == [("PTPIP-PR-004", first)]
    assert "none of the 3 Probe Request(s) from the camera" in t.result().findings[0].message


def test_probe_missed_by_a_side_that_answers_probes() -> None:
    t = started()
    first = t.host(P.PROBE_REQUEST, 1)
    t.host(P.PROBE_REQUEST, 1)
    t.camera(P.PROBE_RESPONSE, 1)  # answers the second: the first was missed
    third = t.host(P.PROBE_REQUEST, 1)
    t.host(P.PROBE_REQUEST, 1)
    t.camera(P.PROBE_RESPONSE, 1)
    assert t.findings() == [("PTPIP-PR-001", first), ("PTPIP-PR-001", third)]


def test_probe_response_without_request() -> None:
    t = started()
    t.host(P.PROBE_REQUEST, 1)
    t.camera(P.PROBE_RESPONSE, 1)
    extra = t.camera(P.PROBE_RESPONSE, 1)
    assert t.findings() == [("PTPIP-PR-002", extra)]


def test_probe_inside_a_data_phase() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=10)
    probe = t.host(P.PROBE_REQUEST, 0)
    t.camera(P.PROBE_RESPONSE, 0)
    t.camera(P.END_DATA, transaction_id=1, data_length=10)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-PR-003", probe)]


def test_gap_forgets_pending_probes() -> None:
    t = started()
    t.host(P.PROBE_REQUEST, 1)
    gap = t.gap(1)
    assert t.findings() == [("PTPIP-PK-004", gap)]


def _closed_findings(t: Transcript, *closes: tuple[int, Direction, int, bool]
                     ) -> list[tuple[str, int]]:
    """The transcript through a validator, then FIN/RST of ``(stream, closer, frame, reset)``
    told at the end of the capture, as the TCP layer knows them: the findings they draw."""
    validator = Validator()
    for conn, record in t.pairs:
        validator.feed(conn, record)
    validator.close()
    return [(f.rule, f.frame) for f in validator.connections_closed(closes)]


def test_camera_closing_the_event_connection_in_a_session() -> None:
    t = started()
    t.transaction(0x1001, 1, data=100)
    fin = len(t.pairs)  # between GetDeviceInfo and CloseSession
    t.transaction(0x1009, 2, data=100)
    t.transaction(CLOSE_SESSION, 3)
    assert _closed_findings(t, (1, Direction.TO_INITIATOR, fin, False),
                            (0, Direction.TO_RESPONDER, len(t.pairs) + 1, False)) == [
        ("PTPIP-EV-004", fin)]


def test_event_connection_closes_that_are_not_the_cameras_fault() -> None:
    t = started()
    end = len(t.pairs) + 1
    assert _closed_findings(t, (1, Direction.TO_RESPONDER, end, True)) == []  # host's RST
    assert _closed_findings(t, (0, Direction.TO_RESPONDER, end, False),
                            (1, Direction.TO_INITIATOR, end + 1, False)) == []  # after command
    t.transaction(CLOSE_SESSION, 1)
    assert _closed_findings(t, (1, Direction.TO_INITIATOR, len(t.pairs) + 1, False)) == []
    opened = Transcript()
    opened.command_handshake()
    opened.event_handshake()
    before = len(opened.pairs) + 1  # before OpenSession
    opened.transaction(0x1002, 0)
    assert _closed_findings(opened, (1, Direction.TO_INITIATOR, before, False)) == []
