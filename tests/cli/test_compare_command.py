"""``ptpip-analyzer compare A B``: a text table per section, CSV of the raw numbers, and the
input exit codes of the worse input."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.cli import main

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"
HEALTHY, SLOW = str(REAL / "gphoto2-get-all-files.pcapng"), str(REAL / "fault-slow.pcapng")


def test_text_table_per_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", HEALTHY, SLOW]) == 0
    out = capsys.readouterr().out
    for section in ("overview", "latency", "throughput", "time", "findings"):
        assert section in out
    assert "A: gphoto2-get-all-files.pcapng" in out and "B: fault-slow.pcapng" in out
    get_object = next(line for line in out.splitlines() if "GetObject" in line
                      and "median" in line)
    assert "301 ms" in get_object and "(×" in get_object


def test_csv_of_one_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", HEALTHY, SLOW, "--section", "latency", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(frame["section"]) == {"latency"}
    median = frame[(frame["item"] == "GetObject") & (frame["measure"] == "median")].iloc[0]
    assert median["b"] > 0.3 > median["a"]


def test_unusable_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    assert main(["compare", HEALTHY, str(REAL / "no-such.pcapng")]) == 2
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"\x00not a capture\x1b[31m" * 10)
    assert main(["compare", str(junk), HEALTHY]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "\x1b" not in err


def test_filter_selects_the_transactions_compared(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", HEALTHY, SLOW, "-Y", "opcode == GetObject", "--section",
                 "latency", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert set(frame["item"]) == {"GetObject"}
    assert main(["compare", HEALTHY, SLOW, "-Y", "opcode ==="]) == 2
    assert "^" in capsys.readouterr().err  # the caret under the bad character


def test_standard_input_only_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "-", "-"]) == 2
    assert "at most one of A and B" in capsys.readouterr().err
