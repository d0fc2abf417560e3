"""Transaction transcripts: 6 -> [9 -> 10* -> 12] -> 7 on the command connection."""

from ptpip_analyzer.decode.codes import PacketType as P
from ptpip_analyzer.model import Direction

from .transcript import (
    CLOSE_SESSION,
    GET_DEVICE_INFO,
    GET_OBJECT,
    OK,
    OPEN_SESSION,
    PADDED,
    SEND_OBJECT,
    Transcript,
)

UNKNOWN_LENGTH = 0xFFFFFFFFFFFFFFFF


def started() -> Transcript:
    t = Transcript()
    t.session_start()
    return t


# -- what real initiators and cameras do is clean (PROTOCOL.md) -------------------------------

def test_gphoto2_like_session_is_clean() -> None:
    t = started()
    t.transaction(GET_DEVICE_INFO, 1, data=310)
    t.transaction(0x1004, 2, data=12)
    t.transaction(0x1007, 3, data=16)
    t.transaction(SEND_OBJECT, 4, data=1000, from_host=True, data_phase=2)
    t.transaction(0x9114, 5)  # vendor operation, no data
    t.transaction(CLOSE_SESSION, 6)
    assert t.findings() == []


def test_last_chunk_in_end_data_or_everything_in_end_data() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1, params=(7, 0, 0, 0, 0))
    t.camera(P.START_DATA, transaction_id=1, data_length=300)
    t.camera(P.DATA, transaction_id=1, data_length=200)
    t.camera(P.END_DATA, transaction_id=1, data_length=100)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=2, params=(8,))
    t.camera(P.START_DATA, transaction_id=2, data_length=300)
    t.camera(P.END_DATA, transaction_id=2, data_length=300)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=2)
    assert t.findings() == []


def test_unknown_length_is_a_note_and_response_instead_of_data_is_clean() -> None:
    """0xFFFFFFFFFFFFFFFF is legal PTP/IP but libgphoto2 can't receive it: a note only."""
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1, params=PADDED)
    start = t.camera(P.START_DATA, transaction_id=1, data_length=UNKNOWN_LENGTH)
    t.camera(P.DATA, transaction_id=1, data_length=999)
    t.camera(P.END_DATA, transaction_id=1, data_length=0)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    t.transaction(GET_OBJECT, 2, response=0x2009)  # InvalidObjectHandle, no data phase
    assert t.findings() == [("PTPIP-DP-009", start)]
    assert t.result().findings[0].severity.name == "NOTE"


def test_vendor_operations_and_device_info_before_open_session_are_clean() -> None:
    t = Transcript()
    t.command_handshake()
    t.event_handshake()
    t.transaction(GET_DEVICE_INFO, 0, data=200)
    t.transaction(0x9280, 0)
    t.transaction(OPEN_SESSION, 0)
    t.transaction(0x9281, 1)
    assert t.findings() == []


def test_transaction_ids_wrap_from_fffffffe_to_1() -> None:
    t = Transcript()
    t.host(P.OPERATION_REQUEST, code=0x1001, transaction_id=0xFFFFFFFD)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=0xFFFFFFFD)
    t.transaction(0x1001, 0xFFFFFFFE)
    t.transaction(0x1001, 1)
    assert [rule for rule, _ in t.findings()] == ["PTPIP-HS-001"]


def test_session_reopened_after_close_session() -> None:
    t = started()
    t.transaction(CLOSE_SESSION, 1)
    t.transaction(OPEN_SESSION, 0)
    t.transaction(GET_DEVICE_INFO, 1, data=10)
    assert t.findings() == []


# -- one rule each ------------------------------------------------------------------------------

def test_request_while_transaction_runs() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_DEVICE_INFO, transaction_id=1)
    second = t.host(P.OPERATION_REQUEST, code=0x1004, transaction_id=2)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=2)
    assert t.findings() == [("PTPIP-TX-001", second)]


def test_camera_serving_two_overlapping_requests_in_turn_gives_one_finding() -> None:
    """As in captures/real/gphoto2-interrupted: request 3 before response 2, both served."""
    t = started()
    t.host(P.OPERATION_REQUEST, code=0x1004, transaction_id=1)
    second = t.host(P.OPERATION_REQUEST, code=0x1007, transaction_id=2)
    for tid in (1, 2):
        t.camera(P.START_DATA, transaction_id=tid, data_length=8)
        t.camera(P.END_DATA, transaction_id=tid, data_length=8)
        t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=tid)
    t.transaction(GET_DEVICE_INFO, 3, data=10)
    assert t.findings() == [("PTPIP-TX-001", second)]
    rows = t.result().transactions
    assert [(r.transaction_id, r.complete, r.data_bytes) for r in rows[1:]] == [
        (1, True, 8), (2, True, 8), (3, True, 10)]


def test_response_without_request() -> None:
    t = started()
    stray = t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-TX-002", stray)]


def test_response_for_another_transaction() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=0x1004, transaction_id=1)
    wrong = t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=9)
    assert t.findings() == [("PTPIP-TX-003", wrong)]


def test_data_for_another_transaction() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=0x1004, transaction_id=1)
    start = t.camera(P.START_DATA, transaction_id=2, data_length=8)
    end = t.camera(P.END_DATA, transaction_id=2, data_length=8)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-TX-004", start), ("PTPIP-TX-004", end)]


def test_open_session_with_nonzero_id() -> None:
    t = Transcript()
    t.command_handshake()
    t.transaction(OPEN_SESSION, 5)
    t.transaction(GET_DEVICE_INFO, 6, data=10)
    assert t.findings() == [("PTPIP-TX-005", 3)]


def test_transaction_id_skips_once() -> None:
    t = started()
    t.transaction(0x1004, 1, data=8)
    skipped = t.transaction(0x1004, 3, data=8)
    t.transaction(0x1004, 4, data=8)
    assert t.findings() == [("PTPIP-TX-006", skipped)]


def test_reserved_ids_inside_a_session() -> None:
    t = started()
    t.transaction(0x1004, 0)
    t.transaction(0x1004, 0xFFFFFFFF)
    assert t.findings() == [("PTPIP-TX-007", 7), ("PTPIP-TX-007", 9)]


def test_standard_operation_before_open_session_is_a_note() -> None:
    t = Transcript()
    t.command_handshake()
    t.transaction(0x1004, 0, response=0x2003)  # SessionNotOpen
    assert t.findings() == [("PTPIP-TX-008", 3)]


def test_request_never_answered() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=100)
    result = t.result()
    assert [(f.rule, f.frame) for f in result.findings] == [("PTPIP-TX-009", 7)]
    assert "data phase" in result.findings[0].message


def test_data_without_start_data() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    data = t.camera(P.DATA, transaction_id=1, data_length=10)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-DP-001", data)]


def test_start_data_without_request() -> None:
    t = started()
    start = t.camera(P.START_DATA, transaction_id=1, data_length=10)
    assert t.findings() == [("PTPIP-DP-002", start)]


def test_second_start_data() -> None:
    t = started()
    t.transaction(GET_OBJECT, 1, data=10)
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=2)
    t.camera(P.START_DATA, transaction_id=2, data_length=10)
    t.camera(P.END_DATA, transaction_id=2, data_length=10)
    again = t.camera(P.START_DATA, transaction_id=2, data_length=10)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=2)
    assert t.findings() == [("PTPIP-DP-003", again)]


def test_camera_sending_data_for_send_object() -> None:
    t = started()
    t.transaction(SEND_OBJECT, 1, data=10, data_phase=2)
    assert t.findings() == [("PTPIP-DP-004", 8)]


def test_data_phase_for_an_operation_without_one() -> None:
    t = started()
    t.transaction(0x100B, 1, data=10)  # DeleteObject
    assert t.findings() == [("PTPIP-DP-004", 8)]


def test_data_from_both_sides() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=10)
    wrong = t.host(P.END_DATA, transaction_id=1, data_length=10)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-DP-005", wrong)]


def test_data_phase_field_is_advisory() -> None:
    t = started()
    t.transaction(SEND_OBJECT, 1, data=10, from_host=True, data_phase=1)  # "always 1" clients
    t.transaction(GET_OBJECT, 2, data=10, data_phase=2)
    t.transaction(0x9999, 3, data=10, from_host=True, data_phase=1)  # vendor: field only
    assert t.findings() == [("PTPIP-DP-006", 8), ("PTPIP-DP-006", 13), ("PTPIP-DP-006", 18)]
    assert {f.severity.name for f in t.result().findings} == {"NOTE"}


def test_data_bytes_differ_from_start_data() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=300)
    t.camera(P.DATA, transaction_id=1, data_length=200)
    end = t.camera(P.END_DATA, transaction_id=1, data_length=0)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-DP-007", end)]
    assert "announced 300 data bytes but sent 200" in t.result().findings[0].message


def test_response_before_end_data() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=300)
    t.camera(P.DATA, transaction_id=1, data_length=100)
    early = t.camera(P.OPERATION_RESPONSE, code=0x2007, transaction_id=1)
    assert t.findings() == [("PTPIP-DP-008", early)]


# -- Cancel ---------------------------------------------------------------------------------------

def test_cancel_ends_the_data_phase_and_a_response_follows() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=10_000)
    t.camera(P.DATA, transaction_id=1, data_length=1000)
    t.host(P.CANCEL, transaction_id=1)
    t.camera(P.DATA, transaction_id=1, data_length=1000)  # already in flight
    t.camera(P.OPERATION_RESPONSE, code=0x201F, transaction_id=1)
    t.transaction(GET_DEVICE_INFO, 2, data=10)
    assert t.findings() == []
    row = t.result().transactions[1]
    assert (row.cancelled, row.data_bytes, row.response_name) == (True, 2000,
                                                                  "TransactionCancelled")


def test_cancel_before_start_data_still_records_the_data_phase() -> None:
    """scripted-cancel-ignored.pcapng: Cancel in the request's segment, the camera sends anyway."""
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1, params=(1,))
    t.host(P.CANCEL, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=3000)
    t.camera(P.DATA, transaction_id=1, data_length=2000)
    t.camera(P.END_DATA, transaction_id=1, data_length=1000)
    ok = t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-CN-002", ok)]
    row = t.result().transactions[1]
    assert (row.cancelled, row.data_direction, row.announced_bytes, row.data_bytes) == (
        True, "in", 3000, 3000)


def test_cancel_for_no_running_transaction() -> None:
    t = started()
    stray = t.host(P.CANCEL, transaction_id=4)
    assert t.findings() == [("PTPIP-CN-001", stray)]


def test_cancelled_transaction_answered_ok_is_a_note() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.host(P.CANCEL, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=4)
    t.camera(P.END_DATA, transaction_id=1, data_length=4)
    ok = t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    assert t.findings() == [("PTPIP-CN-002", ok)]


def test_cancelled_transaction_answered_cancelled_is_clean() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.host(P.CANCEL, transaction_id=1)
    t.camera(P.OPERATION_RESPONSE, code=0x201F, transaction_id=1)
    assert t.findings() == []


def test_cancelled_transaction_without_response() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.host(P.CANCEL, transaction_id=1)
    next_request = t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=2)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=2)
    assert t.findings() == [("PTPIP-TX-001", next_request)]


# -- lost bytes: uncertainty instead of cascades ------------------------------------------------

def test_gap_in_data_phase_pauses_checks_until_next_request() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    t.camera(P.START_DATA, transaction_id=1, data_length=300)
    gap = t.gap()
    t.camera(P.END_DATA, transaction_id=1, data_length=100)  # sums can't add up now
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    t.transaction(GET_OBJECT, 2, data=10)
    t.transaction(GET_OBJECT, 3, data=10)
    assert t.findings() == [("PTPIP-PK-004", gap)]


def test_capture_starting_mid_transaction_is_not_judged_until_the_next_request() -> None:
    """No SYN, no handshake: the first packets answer a request the capture never saw."""
    t = Transcript()
    first = t.camera(P.DATA, transaction_id=3, data_length=500)
    t.camera(P.END_DATA, transaction_id=3, data_length=100)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=3)
    t.transaction(GET_OBJECT, 4, data=10)
    t.transaction(GET_OBJECT, 5)
    assert t.findings() == [("PTPIP-HS-001", first)]


def test_gap_that_swallowed_a_request_resyncs_ids() -> None:
    t = started()
    t.transaction(GET_DEVICE_INFO, 1, data=10)
    gap = t.gap(direction=Direction.TO_RESPONDER)  # request 2 lost
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=2)
    t.transaction(GET_DEVICE_INFO, 3, data=10)
    t.transaction(GET_DEVICE_INFO, 5, data=10)
    assert t.findings() == [("PTPIP-PK-004", gap), ("PTPIP-TX-006", 19)]


def test_malformed_bytes_make_the_state_uncertain() -> None:
    t = started()
    t.host(P.OPERATION_REQUEST, code=GET_OBJECT, transaction_id=1)
    bad = t.malformed()
    t.camera(P.END_DATA, transaction_id=1, data_length=10)
    t.camera(P.OPERATION_RESPONSE, code=OK, transaction_id=1)
    t.transaction(GET_OBJECT, 2, data=10)
    assert t.findings() == [("PTPIP-PK-005", bad)]
