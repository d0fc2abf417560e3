"""Which transaction failed, and where its time went: findings on the right transaction, its
status, and the time breakdown, on captures written by the project's capture writer and on
the shipped real-initiator captures, in every output (load, transactions csv/jsonl, export,
stats)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.cli import main
from ptpip_analyzer.decode import encode
from tests.export.sessions import Script

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"
GET_OBJECT, SEND_OBJECT_INFO, GET_DEVICE_INFO = 0x1009, 0x100C, 0x1001
HOST_DELAY = 0.044  # libgphoto2's wait for the camera's delayed ACK before its data (PROTOCOL.md)
CAMERA_THINK = 0.010


def _request(s: Script, op: int, params: Sequence[int] = (), data_out: bool = False) -> int:
    tid, s.tid = s.tid, s.tid + 1
    s.cmd.send(True, encode.operation_request(op, tid, list(params), 2 if data_out else 1))
    return tid


def _data(s: Script, tid: int, payload: bytes, from_host: bool) -> None:
    for packet in encode.data_phase(tid, payload, chunk_size=4096):
        s.cmd.send(from_host, packet)


def faulty_session(path: Path) -> Path:
    """OpenSession (0), GetDeviceInfo (1), a GetObject (2) answered with id 2 + 271 = 273,
    then GetObject (3) whose Data goes down the event connection, then SendObjectInfo (4)
    whose data the host sends only after 44 ms, answered 10 ms after its data."""
    s = Script()
    s.transaction(GET_DEVICE_INFO, data_in=bytes(64))
    bogus = _request(s, GET_OBJECT, [1])
    _data(s, bogus, bytes(10_000), from_host=False)
    s.cmd.send(False, encode.operation_response(0x2001, bogus + 271))
    on_event = _request(s, GET_OBJECT, [2])
    s.evt.time = s.cmd.time
    s.evt.send(False, b"".join(encode.data_phase(on_event, bytes(100))))
    s.cmd.time = s.evt.time
    s.cmd.send(False, encode.operation_response(0x2002, on_event))  # GeneralError
    out = _request(s, SEND_OBJECT_INFO, [0x10001, 0], data_out=True)
    s.cmd.time += HOST_DELAY
    _data(s, out, bytes(200), from_host=True)
    s.cmd.time += CAMERA_THINK
    s.cmd.send(False, encode.operation_response(0x2001, out, [0x10001, 0, 7]))
    return s.save(path)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return faulty_session(tmp_path_factory.mktemp("answers") / "faulty.pcapng")


@pytest.fixture(scope="module")
def cap(faulty: Path) -> Capture:
    return load(faulty)


def _row(cap: Capture, tid: int) -> dict[str, object]:
    rows = cap.transactions[cap.transactions["transaction_id"] == tid].to_dict("records")
    assert len(rows) == 1
    return rows[0]


def test_a_response_with_a_bogus_id_counts_on_the_running_transaction(cap: Capture) -> None:
    row = _row(cap, 2)
    assert (row["findings"], row["status"]) == (1, "invalid")
    finding = cap.findings[cap.findings["rule"] == "PTPIP-TX-003"].iloc[0]
    assert finding["transaction_id"] == 2 and "273" in finding["message"]
    assert 273 not in set(cap.transactions["transaction_id"])


def test_data_on_the_event_connection_counts_on_the_transaction_it_names(cap: Capture) -> None:
    wrong = cap.findings[cap.findings["rule"] == "PTPIP-PK-001"]
    assert set(wrong["transaction_id"]) == {3}
    assert set(wrong["stream"]) == {int(cap.sessions.iloc[0]["event_stream"])}
    row = _row(cap, 3)
    assert row["findings"] == len(wrong) == 2  # Start Data, End Data
    assert row["status"] == "invalid"


def test_status_of_each_transaction(cap: Capture) -> None:
    status = dict(zip(cap.transactions["transaction_id"], cap.transactions["status"],
                      strict=True))
    assert status == {0: "ok", 1: "ok", 2: "invalid", 3: "invalid", 4: "ok"}


def test_a_data_out_wait_is_the_hosts_delay(cap: Capture) -> None:
    row = _row(cap, 4)
    assert row["wait_side"] == "host" and row["data_direction"] == "out"
    assert row["wait_s"] == pytest.approx(HOST_DELAY, abs=0.001)
    assert row["finish_s"] == pytest.approx(CAMERA_THINK, abs=0.001)
    assert _row(cap, 1)["wait_side"] == "camera"


def test_the_breakdown_adds_up_to_the_latency(cap: Capture) -> None:
    tx = cap.transactions
    parts = tx["wait_s"] + tx["transfer_s"] + tx["finish_s"]
    assert parts.tolist() == pytest.approx(tx["latency_s"].tolist(), abs=1e-9)
    # idle: the previous response to this request, for every request but the first
    starts, ends = tx["start"].tolist(), tx["end"].tolist()
    idle = [(s - e).total_seconds() for s, e in zip(starts[1:], ends[:-1], strict=True)]
    assert tx["idle_before_s"].iloc[1:].tolist() == pytest.approx(idle, abs=1e-9)
    assert pd_isna(tx["idle_before_s"].iloc[0])


def pd_isna(value: object) -> bool:
    import pandas as pd
    return bool(pd.isna(value))


def test_slowest_does_not_blame_the_camera_for_the_hosts_delay(cap: Capture) -> None:
    top = cap.slowest_transactions(5)
    by_latency = cap.transactions.sort_values("latency_s", ascending=False)
    assert by_latency.iloc[0]["transaction_id"] == 4  # 54 ms, 44 of them the host's
    row = top[top["transaction_id"] == 4].iloc[0]
    assert row["service_s"] == pytest.approx(row["latency_s"] - HOST_DELAY, abs=0.001)
    assert top["service_s"].is_monotonic_decreasing
    stats = cap.latency_stats().set_index("opcode_name")
    assert stats.loc["SendObjectInfo", "host_wait_s"] == pytest.approx(HOST_DELAY, abs=0.001)


def test_where_the_time_went(cap: Capture) -> None:
    table = cap.time_breakdown()
    assert len(table) == 1
    row = table.iloc[0]
    assert row["host_s"] == pytest.approx(HOST_DELAY, abs=0.001)
    assert row["camera_s"] >= CAMERA_THINK
    parts = row[["camera_s", "transfer_s", "host_s", "idle_s", "other_s"]].sum()
    assert parts == pytest.approx(row["span_s"], abs=1e-6)
    stall = row["tcp_stall_s"]  # the TCP layer's measure: this capture has no stall
    assert pd_isna(stall) or stall == 0.0
    given = cap.time_breakdown(tcp_stall_s=__import__("pandas").Series({1: 0.2}))
    assert given.iloc[0]["tcp_stall_s"] == 0.2


def test_every_output_carries_findings_and_status(faulty: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transactions", str(faulty), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["transaction_id"], r["status"], r["findings"]) for r in rows] == [
        ("0", "ok", "0"), ("1", "ok", "0"), ("2", "invalid", "1"), ("3", "invalid", "2"),
        ("4", "ok", "0")]
    assert rows[4]["wait_side"] == "host"
    assert main(["transactions", str(faulty), "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["status"], r["findings"]) for r in lines] == [
        (r["status"], int(r["findings"])) for r in rows]
    assert main(["transactions", str(faulty)]) == 0
    text = capsys.readouterr().out.splitlines()
    assert "status" in text[0] and "fnd" in text[0]
    assert "invalid" in text[3] and " 1 " in text[3]
    out = tmp_path / "tx.jsonl"
    assert main(["export", str(faulty), "--table", "transactions", "-o", str(out)]) == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["status"] for r in exported] == [r["status"] for r in rows]
    assert main(["transactions", str(faulty), "-Y", "status == invalid", "--format", "csv"]) == 0
    picked = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["transaction_id"] for r in picked] == ["2", "3"]


def test_stats_lists_the_failing_transactions_and_the_time(faulty: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    main(["stats", str(faulty)])
    out = capsys.readouterr().out
    failing = out[out.index("Failing transactions"):out.index("Objects")]
    assert failing.count("invalid") == 2
    assert "Where the time went" in out and "host" in out


def test_shipped_wrong_transaction_id_capture() -> None:
    cap = load(REAL / "fault-wrong-transaction-id.pcapng")
    bad = cap.transactions[cap.transactions["status"] != "ok"]
    assert bad["transaction_id"].tolist() == [8] and bad["findings"].tolist() == [1]


def test_shipped_gphoto2_upload_attributes_the_delay_to_the_host() -> None:
    """libgphoto2 sends SendObjectInfo's and SendObject's data ~40 ms after the request."""
    cap = load(REAL / "gphoto2-upload-file.pcapng")
    out = cap.transactions[cap.transactions["data_direction"] == "out"]
    assert out["opcode_name"].tolist() == ["SendObjectInfo", "SendObject"]
    assert (out["wait_side"] == "host").all() and (out["wait_s"] > 0.03).all()
    assert (out["latency_s"] - out["wait_s"] < 0.01).all()  # the camera's part is small
    assert cap.time_breakdown().iloc[0]["host_s"] > 0.06
    top = cap.slowest_transactions(9)
    assert (top["service_s"] < 0.01).all()
    assert set(cap.transactions["status"]) == {"ok"}


@pytest.mark.parametrize(("name", "tid", "status"), [
    ("scripted-cancel.pcapng", 1, "cancelled"),  # TransactionCancelled, no data phase
    ("fault-reset-mid-transfer.pcapng", 8, "unanswered"),  # the connection was reset
    ("fault-short-data.pcapng", 8, "invalid"),  # 100 bytes short, then OK
    # libgphoto2 after SIGINT sends request 3 while 2 still waits: the host broke the
    # protocol (TX-001); the capture lost nothing, so not damaged
    ("gphoto2-interrupted.pcapng", 3, "invalid"),
])
def test_shipped_captures_status(name: str, tid: int, status: str) -> None:
    tx = load(REAL / name).transactions
    assert tx[tx["status"] != "ok"][["transaction_id", "status"]].values.tolist() == [
        [tid, status]]


def test_a_transaction_the_capture_lost_bytes_of_is_damaged() -> None:
    tx = load(REAL.parent / "synthetic" / "loss-midstream-vlan.pcap").transactions
    get_object = tx[tx["opcode_name"] == "GetObject"].iloc[0]
    assert get_object["status"] == "damaged"


def test_the_readme_answers_run(capsys: pytest.CaptureFixture[str]) -> None:
    """README's "Answers" commands, on the captures that ask those questions."""
    import shlex
    readme = (REAL.parents[1] / "README.md").read_text()
    section = readme[readme.index("## Answers"):]
    commands = dict(re.findall(r"^\| (.+?\?) \| `ptpip-analyzer (.+?)` \|$", section, re.MULTILINE))
    assert set(commands) >= {"which transaction failed?", "why was this download slow?"}
    failed = shlex.split(commands["which transaction failed?"].replace(
        "FILE", str(REAL / "fault-wrong-transaction-id.pcapng")))
    assert main(failed) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "GetObject" in lines[1] and "invalid" in lines[1]
    slow = shlex.split(commands["why was this download slow?"].replace(
        "FILE", str(REAL / "fault-slow.pcapng")))
    assert main(slow) == 0
    out = capsys.readouterr().out
    assert "Where the time went" in out and "camera" in out
    top = out[out.index("Slowest transactions"):out.index("Failing")]
    assert top.count("GetObject") == 3 and "camera" in top


def test_a_data_phase_in_one_packet_is_timed_to_its_last_byte(tmp_path: Path) -> None:
    """The whole object in End Data (as our simulator and gphoto2's uploads send it), cut
    into segments 1 ms apart: the transfer ends at the frame holding its last byte, not at
    the packet's first frame, and the camera's finish is only what followed."""
    s = Script()
    s.cmd.step = 0.001
    tid = _request(s, GET_OBJECT, [1])
    packets = encode.data_phase(tid, bytes(14_480), chunk_size=1 << 20)  # End Data only
    assert len(packets) == 2
    (start,) = s.cmd.send(False, packets[0])
    segments = s.cmd.send(False, packets[1])  # 11 segments of at most 1448 bytes
    s.cmd.send(False, encode.operation_response(0x2001, tid))
    row = _row(load(s.save(tmp_path / "one-packet.pcapng")), tid)
    last = segments[-1].time - segments[0].time
    assert len(segments) == 11 and last == pytest.approx(0.010, abs=1e-6)
    assert row["transfer_s"] == pytest.approx(segments[-1].time - start.time, abs=1e-6)
    assert row["transfer_s"] > last
    assert row["finish_s"] == pytest.approx(0.002, abs=1e-6)  # the peer's ACK, then OK
