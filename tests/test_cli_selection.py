"""tshark-style selection and output on the shipped captures: -Y and the packet shortcuts, -c,
-t against tshark's times, -T fields/json, frame order, colour, --version, one transactions
schema, several input files; bad filters and options are one error line and exit 2."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.cli.output import colour_wanted

REPO = Path(__file__).resolve().parent.parent
REAL, SYNTHETIC = REPO / "captures" / "real", REPO / "captures" / "synthetic"
FILES = REAL / "gphoto2-get-all-files.pcapng"
SHIPPED = sorted(p for d in (REAL, SYNTHETIC) for p in d.iterdir()
                 if p.suffix in (".pcap", ".pcapng"))
TSHARK = shutil.which("tshark")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark not installed")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def rows(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> list[dict[str, Any]]:
    code, out, _ = run(capsys, "dissect", "--format", "jsonl", *argv)
    assert code in (0, 1)
    return [json.loads(line) for line in out.splitlines()]


def cli(*argv: str | Path, env: dict[str, str] | None = None,
        stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "ptpip_analyzer", *map(str, argv)],
                          capture_output=True, input=stdin, env=env, cwd=REPO, check=False)


# -- selection --------------------------------------------------------------------------------
def test_filter_and_shortcuts_select_what_they_say(capsys: pytest.CaptureFixture[str]) -> None:
    everything = rows(capsys, FILES)
    assert [r["frame"] for r in rows(capsys, FILES, "-Y", "code == GetObject")] == \
        [r["frame"] for r in everything if r.get("code") == 0x1009 and r["type"] == 6] != []
    assert [r["frame"] for r in rows(capsys, FILES, "--frame", "50-60,70")] == \
        [r["frame"] for r in everything if 50 <= r["frame"] <= 60 or r["frame"] == 70]
    by_tid = rows(capsys, FILES, "--transaction", "8-9")
    assert by_tid == [r for r in everything if r.get("transaction_id") in (8, 9)] != []
    session = rows(capsys, FILES, "--session", "1", "--transaction", "9")
    assert [r["frame"] for r in session] == [r["frame"] for r in by_tid
                                             if r["transaction_id"] == 9]
    assert all(r["session"] == 1 for r in session)
    assert rows(capsys, FILES, "--session", "2") == []
    assert len(rows(capsys, FILES, "-c", "7")) == 7
    assert [r["frame"] for r in rows(capsys, FILES, "-Y", "type == StartData", "-c", "2")] == \
        [r["frame"] for r in everything if r["type"] == 9][:2]


def test_the_text_output_is_the_jsonl_selection(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "dissect", FILES, "-Y", 'type_name contains "Data"', "-c", "5")
    frames = [int(line.split()[0]) for line in out.splitlines()]
    assert frames == [r["frame"] for r in rows(capsys, FILES, "-Y",
                                               'type_name contains "Data"')][:5]


def test_stdin_with_a_filter() -> None:
    done = cli("dissect", "-", "-Y", "code == GetObject", "-T", "fields", "-e", "frame",
               stdin=FILES.read_bytes())
    assert done.returncode == 0 and done.stdout.split() == [b"52", b"57", b"62"]


BAD = [
    ["dissect", FILES, "-Y", "fram == 1"],
    ["dissect", FILES, "-Y", "frame =="],
    ["transactions", FILES, "-Y", "opcode == Nope"],
    ["validate", FILES, "-Y", "severity > fatal"],
    ["stats", FILES, "-Y", "latency_s > \"x\""],
    ["report", FILES, "-Y", "(complete", "-o", "/nonexistent/r.html"],
    ["export", FILES, "--table", "transactions", "-Y", "frame == 1", "-o", "/nonexistent/x.csv"],
    ["excerpt", FILES, "-Y", "opcode ==", "-o", "/nonexistent/x.pcapng"],
    ["export-objects", FILES, "-Y", "opcode matches \"(a+)+\"", "-d", "/nonexistent/objs"],
]


@pytest.mark.parametrize("argv", BAD, ids=[a[0] for a in BAD])
def test_a_bad_filter_is_one_error_with_a_caret(argv: list[str | Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 3 and lines[0].startswith("error: -Y: "), err
    expression = argv[argv.index("-Y") + 1]
    assert lines[1].strip() == expression and lines[2].strip() == "^"


@pytest.mark.parametrize("argv", [
    ["dissect", FILES, "-T", "fields", "-e", "nope"],
    ["dissect", FILES, "-T", "fields"],
    ["dissect", FILES, "-T", "fields", "-e", "frame", "-E", "colour=y"],
    ["dissect", FILES, "--frame", "20-10"],
    ["dissect", FILES, "--transaction", "x"],
    ["transactions", FILES, "-T", "fields", "-e", "frame"],
    ["export", FILES, "--table", "packets", "-Y", "frame == 1", "-o", "x.csv"],
], ids=["unknown-field", "no-fields", "bad-E", "backwards-range", "not-a-number",
        "packet-field-for-transactions", "export-packets"])
def test_bad_output_options_exit_2(argv: list[str | Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error: ") and len(err.splitlines()) == 1, err


# -- frame order and time ---------------------------------------------------------------------
@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_dissect_prints_in_frame_order(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = [r["frame"] for r in rows(capsys, path)]
    assert frames and all(a <= b for a, b in itertools.pairwise(frames))


def _tshark_times(path: Path, field: str) -> dict[int, float]:
    assert TSHARK is not None
    out = subprocess.run([TSHARK, "-r", str(path), "-T", "fields", "-e", "frame.number",
                          "-e", field], capture_output=True, text=True, check=True).stdout
    return {int(n): float(t) for n, t in (line.split("\t") for line in out.splitlines())}


def _times(capsys: pytest.CaptureFixture[str], path: Path, mode: str) -> list[tuple[int, str]]:
    _, out, _ = run(capsys, "dissect", path, "-t", mode)
    width = 2 if mode == "ad" else 1
    return [(int(line.split()[0]), " ".join(line.split()[1:1 + width]))
            for line in out.splitlines()]


@needs_tshark
@pytest.mark.parametrize("name", ["real/gphoto2-summary.pcapng", "synthetic/basic-ethernet.pcap",
                                  "synthetic/loss-midstream-vlan.pcap"])
def test_times_equal_tsharks(name: str, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = REPO / "captures" / name
    epoch, relative = _tshark_times(path, "frame.time_epoch"), \
        _tshark_times(path, "frame.time_relative")
    monkeypatch.setenv("TZ", "UTC")
    import time
    time.tzset()
    try:
        for frame, text in _times(capsys, path, "e"):
            assert float(text) == pytest.approx(epoch[frame], abs=1e-6)
        for frame, text in _times(capsys, path, "r"):
            assert float(text) == pytest.approx(relative[frame], abs=1e-6)
        for frame, text in _times(capsys, path, "ad"):
            want = datetime.fromtimestamp(epoch[frame], UTC)
            got = datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
            assert abs((got - want).total_seconds()) < 1e-6
        for frame, text in _times(capsys, path, "a"):
            want = datetime.fromtimestamp(epoch[frame], UTC)
            got = datetime.strptime(text, "%H:%M:%S.%f").replace(
                year=want.year, month=want.month, day=want.day, tzinfo=UTC)
            assert abs((got - want).total_seconds()) < 1e-6
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_delta_times_are_from_the_previous_record_shown(
        capsys: pytest.CaptureFixture[str]) -> None:
    shown = rows(capsys, FILES, "-Y", "type == 6")
    _, out, _ = run(capsys, "dissect", FILES, "-Y", "type == 6", "-t", "d")
    deltas = [float(line.split()[1]) for line in out.splitlines()]
    assert deltas[0] == 0.0
    for delta, (a, b) in zip(deltas[1:], itertools.pairwise(shown), strict=True):
        assert delta == pytest.approx(b["time"] - a["time"], abs=2e-6)


# -- output formats ---------------------------------------------------------------------------
def test_fields_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    everything = rows(capsys, FILES, "-Y", "params")
    _, out, _ = run(capsys, "dissect", FILES, "-Y", "params", "-T", "fields", "-e", "frame",
                    "-e", "code_name", "-e", "params", "-E", "header=y", "-E", "separator=,",
                    "-E", "quote=d", "-E", "aggregator=;")
    parsed = list(csv.reader(io.StringIO(out)))
    assert parsed[0] == ["frame", "code_name", "params"]
    assert parsed[1:] == [[str(r["frame"]), r.get("code_name", ""),
                           ";".join(map(str, r["params"]))] for r in everything]
    _, out, _ = run(capsys, "dissect", FILES, "-T", "json")
    assert json.loads(out) == rows(capsys, FILES)
    _, out, _ = run(capsys, "transactions", FILES, "-T", "json")
    document = json.loads(out)
    _, lines, _ = run(capsys, "transactions", FILES, "--format", "jsonl")
    assert document == [json.loads(line) for line in lines.splitlines()] != []


def test_transactions_csv_is_the_export_table(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("csv", "jsonl"):
        _, out, _ = run(capsys, "transactions", FILES, "--format", fmt)
        target = tmp_path / f"t.{fmt}"
        assert run(capsys, "export", FILES, "--table", "transactions", "--format", fmt, "-o",
                   target)[0] == 0
        assert out == target.read_text() and out.count("\n") == (13 if fmt == "csv" else 12)
    _, out, _ = run(capsys, "transactions", FILES, "--format", "csv", "-Y", "opcode == GetObject")
    target = tmp_path / "get.csv"
    run(capsys, "export", FILES, "--table", "transactions", "--format", "csv", "-Y",
        "opcode == GetObject", "-o", target)
    assert out == target.read_text() and out.count("\n") == 4


def test_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    slow = REAL / "fault-slow.pcapng"
    _, out, _ = run(capsys, "transactions", FILES, slow, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert {r["capture"] for r in table} == {str(FILES), str(slow)}
    assert [r["transaction_id"] for r in table if r["capture"] == str(slow)] == \
        [str(n) for n in range(12)]
    _, out, _ = run(capsys, "transactions", FILES, slow, "-c", "3")
    assert len(out.splitlines()) == 4
    code, out, _ = run(capsys, "stats", FILES, slow, "-Y", "opcode == GetObject")
    assert code == 0 and f"== {FILES}" in out and f"== {slow}" in out


def test_validate_selects_findings(capsys: pytest.CaptureFixture[str]) -> None:
    path = REAL / "fault-wrong-transaction-id.pcapng"
    code, out, _ = run(capsys, "validate", path, "--format", "json")
    everything = json.loads(out)
    assert code == 1 and everything
    code, out, _ = run(capsys, "validate", path, "--format", "json", "-Y", "severity == note")
    assert code == 0 and json.loads(out) == []  # --fail-on sees only the findings shown
    _, out, _ = run(capsys, "validate", path, "-Y", 'rule == "PTPIP-TX-003"', "-c", "1")
    shown = [line for line in out.splitlines() if "PTPIP-" in line]
    assert len(shown) == 1 and "PTPIP-TX-003" in shown[0]
    _, out, _ = run(capsys, "validate", path, "-Y", 'rule != "PTPIP-TX-003"')
    assert out.splitlines()[-1].endswith(f"shown of {len(everything)}") or \
        len(everything) == sum(f["rule"] != "PTPIP-TX-003" for f in everything)


# -- colour, version, usage -------------------------------------------------------------------
def test_colour(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "dissect", REAL / "scripted-cancel.pcapng", "--color", "always")
    failed = [line for line in out.splitlines() if "TransactionCancelled" in line]
    assert failed and failed[0].startswith("\x1b[31m")
    _, out, err = run(capsys, "dissect", SYNTHETIC / "loss-midstream-vlan.pcap",
                      "--color", "always")
    assert any(line.startswith("\x1b[2m") and "[gap]" in line for line in out.splitlines())
    assert "\x1b[31merror:\x1b[0m" in err
    _, out, err = run(capsys, "dissect", SYNTHETIC / "loss-midstream-vlan.pcap")
    assert "\x1b" not in out + err  # captured output is no terminal: no colour


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert colour_wanted("auto", _Terminal()) and not colour_wanted("auto", io.StringIO())
    assert not colour_wanted("never", _Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted("auto", _Terminal()) and colour_wanted("always", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set (no-color.org)
    assert colour_wanted("auto", _Terminal())


def test_version() -> None:
    done = cli("--version")
    text = done.stdout.decode()
    assert done.returncode == 0
    assert text.splitlines()[0].startswith("ptpip-analyzer ")
    header = (REPO / "ptpip_analyzer/decode/_generated/ptpip_packet.py").read_text()
    assert f"compiler (generated parser): {header.split('compiler ')[1].split(':')[0]}" in text
    if TSHARK:
        assert "TShark (Wireshark)" in text and TSHARK in text


def test_no_command_lists_the_commands() -> None:
    done = cli()
    assert done.returncode == 2 and done.stdout == b""
    listing = done.stderr.decode()
    for command in ("dissect", "transactions", "validate", "stats", "export", "excerpt",
                    "export-objects", "report"):
        assert f"\n    {command} " in listing or f"\n    {command}\n" in listing


def test_count_stops_reading_early() -> None:
    """-c stops the run: a capture that ends badly is not read to its end."""
    data = FILES.read_bytes()
    done = cli("dissect", "-", "-c", "1", stdin=data[:len(data) - 7])
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1
    assert cli("dissect", "-", stdin=data[:len(data) - 7]).returncode == 1


@pytest.mark.skipif(os.name != "posix", reason="pipes")
def test_excerpt_and_export_objects_with_a_filter(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "x.pcapng"
    code, out, _ = run(capsys, "excerpt", FILES, "-Y", "opcode == GetObject and "
                       "transaction_id >= 9", "-o", out_file)
    assert code == 0 and "tid 9 GetObject" in out and "tid 10 GetObject" in out
    again = {r.get("transaction_id") for r in rows(capsys, out_file) if r["type"] == 6}
    assert {9, 10} <= again and 8 not in again
    code, out, _ = run(capsys, "export-objects", FILES, "-Y", "transaction_id == 9", "-d",
                       tmp_path / "objs")
    assert code == 0 and "1 object(s)" in out
    assert [p.name for p in (tmp_path / "objs").iterdir() if p.suffix == ".JPG"] == \
        ["SIM_0002.JPG"]
    code, _, err = run(capsys, "export-objects", "-", "-Y", "transaction_id == 9", "-d",
                       tmp_path / "o2")
    assert code == 2 and "standard input" in err


def test_failed_transactions_are_marked_and_occurrence(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "transactions", REAL / "scripted-cancel.pcapng", "--color", "always")
    marked = [line for line in out.splitlines() if line.startswith("\x1b[31m")]
    assert len(marked) == 1 and "TransactionCancelled" in marked[0]
    requests = rows(capsys, FILES, "-Y", "type == 6 and params")
    for occurrence, pick in (("f", 0), ("l", -1)):
        _, out, _ = run(capsys, "dissect", FILES, "-Y", "type == 6 and params", "-T", "fields",
                        "-e", "params", "-E", f"occurrence={occurrence}")
        assert out.splitlines() == [str(r["params"][pick]) if r["params"] else ""
                                    for r in requests]
