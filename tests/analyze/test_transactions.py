"""Transaction rows from a short conversation: one row per transaction, in start order."""

from ptpip_analyzer.analyze.transactions import Transaction, transaction_to_dict
from ptpip_analyzer.decode.codes import PacketType as P
from ptpip_analyzer.engine import iter_transactions, validate_records
from ptpip_analyzer.model import Connection, Direction, Endpoint, Packet, Record
from ptpip_analyzer.validate import finding_to_dict

COMMAND = Connection(0, Endpoint(bytes([192, 168, 1, 10]), 50001),
                     Endpoint(bytes([192, 168, 1, 1]), 15740), 1)
HOST, CAMERA = Direction.TO_RESPONDER, Direction.TO_INITIATOR


def conversation() -> list[tuple[Connection, Record]]:
    lines = [
        (HOST, P.INIT_COMMAND_REQUEST, {"guid": bytes(16), "name": "host"}),
        (CAMERA, P.INIT_COMMAND_ACK, {"connection_number": 1, "guid": bytes(16)}),
        (HOST, P.OPERATION_REQUEST, {"code": 0x1002, "transaction_id": 0, "params": (1,)}),
        (CAMERA, P.OPERATION_RESPONSE, {"code": 0x2001, "transaction_id": 0}),
        (HOST, P.OPERATION_REQUEST, {"code": 0x1009, "transaction_id": 1, "params": (7,)}),
        (CAMERA, P.START_DATA, {"transaction_id": 1, "data_length": 300}),
        (CAMERA, P.DATA, {"transaction_id": 1, "data_length": 200}),
        (CAMERA, P.END_DATA, {"transaction_id": 1, "data_length": 50}),  # 50 short: DP-007
        (CAMERA, P.OPERATION_RESPONSE, {"code": 0x2001, "transaction_id": 1, "params": (3,)}),
        (HOST, P.OPERATION_REQUEST, {"code": 0x100D, "transaction_id": 2}),
        (HOST, P.START_DATA, {"transaction_id": 2, "data_length": 0xFFFFFFFFFFFFFFFF}),
    ]
    return [(COMMAND, Packet(0, d, 0, 8, t, frame, frame * 0.5, **fields))
            for frame, (d, t, fields) in enumerate(lines, start=1)]


def test_one_row_per_transaction() -> None:
    rows = list(iter_transactions(conversation()))
    assert [(r.session, r.transaction_id, r.opcode_name, r.response_name) for r in rows] == [
        (1, 0, "OpenSession", "OK"), (1, 1, "GetObject", "OK"), (1, 2, "SendObject", None)]
    get_object = rows[1]
    assert (get_object.params, get_object.response_params) == ((7,), (3,))
    assert (get_object.data_direction, get_object.data_bytes, get_object.announced_bytes) == (
        "in", 250, 300)
    assert (get_object.start_frame, get_object.end_frame, get_object.latency_s) == (5, 9, 2.0)
    assert (get_object.complete, get_object.cancelled, get_object.findings) == (True, False, 1)
    assert get_object.status == "invalid"  # DP-007: 50 bytes short
    # request 2.5 s, Start Data 3.0, End Data 4.0, response 4.5; previous response 2.0
    assert (get_object.wait_s, get_object.wait_side, get_object.transfer_s,
            get_object.finish_s, get_object.idle_before_s) == (0.5, "camera", 1.0, 0.5, 0.5)
    assert rows[0].status == "ok" and rows[0].idle_before_s is None
    assert (rows[0].wait_s, rows[0].transfer_s, rows[0].finish_s) == (0.5, 0.0, 0.0)
    send_object = rows[2]
    assert (send_object.data_direction, send_object.announced_bytes) == ("out", None)
    # TX-009 (never answered) and DP-009 (unknown length)
    assert (send_object.complete, send_object.end, send_object.findings) == (False, None, 2)
    assert (send_object.status, send_object.wait_side, send_object.finish_s) == (
        "unanswered", "host", None)


def test_validation_result_and_dict_forms() -> None:
    result = validate_records(conversation())
    assert [(f.rule, f.frame) for f in result.findings] == [
        ("PTPIP-DP-007", 8), ("PTPIP-TX-009", 10), ("PTPIP-DP-009", 11)]
    assert list(finding_to_dict(result.findings[0])) == [
        "rule", "severity", "frame", "stream", "session", "transaction_id", "message"]
    assert finding_to_dict(result.findings[0])["severity"] == "error"
    row = transaction_to_dict(result.transactions[1])
    assert set(row) == set(Transaction.__dataclass_fields__) | {"named_params"}
    assert row["params"] == [7] and row["data_direction"] == "in"
    assert all(isinstance(v, (int, float, str, list, bool, type(None))) for v in row.values())
