"""CLI contracts of `validate` and `transactions` on the shipped corpus."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from ptpip_analyzer.cli import main

REAL = Path(__file__).resolve().parent.parent / "captures" / "real"
SYNTHETIC = REAL.parent / "synthetic"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_real_session_validates_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(REAL / "gphoto2-get-all-files.pcapng"))
    assert code == 0
    assert out.startswith("Session 1: command stream 0, event stream 1")
    assert "0 error(s)" in out.splitlines()[-1]


def test_json_findings_carry_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--format", "json",
                       str(REAL / "fault-wrong-transaction-id.pcapng"))
    findings = json.loads(out)
    assert code == 1
    assert {"rule", "severity", "frame", "session", "transaction_id", "message"} <= \
        set(findings[0])
    assert [(f["rule"], f["severity"]) for f in findings] == [("PTPIP-TX-003", "error")]


def test_fail_on_moves_the_exit_code_threshold(capsys: pytest.CaptureFixture[str]) -> None:
    refused = str(REAL / "gphoto2-refused.pcapng")  # only a note (Init Fail)
    assert run(capsys, "validate", refused)[0] == 0
    assert run(capsys, "validate", "--fail-on", "warning", refused)[0] == 0
    assert run(capsys, "validate", "--fail-on", "note", refused)[0] == 1


def test_unusable_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"not a capture at all")
    code, _, err = run(capsys, "validate", str(junk))
    assert code == 2 and err.startswith("error:") and "Traceback" not in err


def test_transactions_jsonl_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "transactions", "--format", "jsonl",
                       str(SYNTHETIC / "basic-ethernet.pcap"))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["transaction_id"], r["opcode_name"], r["response_name"]) for r in rows] == [
        (0, "OpenSession", "OK"), (1, "GetDeviceInfo", "OK"), (2, "GetObjectHandles", "OK"),
        (3, "GetObject", "OK"), (4, "CloseSession", "OK")]
    get_object = rows[3]
    assert (get_object["data_direction"], get_object["data_bytes"],
            get_object["announced_bytes"]) == ("in", 200_000, 200_000)
    for key in ("session", "param1", "response_code", "start", "end", "latency_s", "complete",
                "cancelled"):  # the transactions table of export (ISO 8601 times)
        assert key in get_object
    seconds = datetime.fromisoformat(get_object["end"]) - datetime.fromisoformat(
        get_object["start"])
    assert get_object["latency_s"] == pytest.approx(seconds.total_seconds(), abs=2e-6)


def test_transactions_csv_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(REAL / "gphoto2-upload-file.pcapng")
    _, out, _ = run(capsys, "transactions", "--format", "csv", path)
    rows = list(csv.DictReader(io.StringIO(out)))
    send = [r for r in rows if r["opcode_name"] == "SendObject"]
    assert send and send[0]["data_direction"] == "out"
    _, table, _ = run(capsys, "transactions", path)
    assert "SendObjectInfo (0x100C)" in table and len(table.splitlines()) == len(rows) + 1
