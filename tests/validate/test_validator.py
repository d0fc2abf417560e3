"""Routing transcripts: packet types by connection and side, events, probes, Cancel."""

from ptpip_analyzer.decode.codes import PacketType as P

from .transcript import GET_OBJECT, OK, Transcript

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


def test_probe_without_response() -> None:
    t = started()
    first = t.host(P.PROBE_REQUEST, 1)
    second = t.host(P.PROBE_REQUEST, 1)
    assert t.findings() == [("PTPIP-PR-001", first), ("PTPIP-PR-001", second)]


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
