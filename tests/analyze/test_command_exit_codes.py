"""Every command reports a damaged input the same way: one error line, exit 1 (README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.cli import main

BASIC = Path(__file__).resolve().parent.parent.parent / "captures" / "synthetic" / \
    "basic-ethernet.pcap"


@pytest.mark.parametrize("argv", [["validate"], ["transactions"], ["stats"],
                                  ["report", "-o", "{tmp}/r.html"],
                                  ["export", "--table", "packets", "-o", "{tmp}/p.csv"]])
def test_truncated_capture_exits_1_with_one_error_line(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(BASIC.read_bytes()[:3000])
    args = [a.format(tmp=tmp_path) for a in argv]
    assert main([args[0], str(cut), *args[1:]]) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "file truncated in frame 33" in err


@pytest.mark.parametrize("command", ["stats", "validate", "transactions"])
def test_clean_capture_exits_0(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, str(BASIC)]) == 0
