"""The export, report and stats subcommands."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.schema import TABLES
from ptpip_analyzer.cli import main

CAPTURE = str(Path(__file__).resolve().parents[2] / "captures" / "real"
              / "gphoto2-get-all-files.pcapng")


def test_export_one_table_as_parquet(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    assert main(["export", CAPTURE, "--table", "transactions", "--format", "parquet",
                 "-o", str(out)]) == 0
    table = pd.read_parquet(out)
    assert len(table) == 12 and (table["opcode_name"] == "GetObject").sum() == 3


def test_export_format_from_suffix_and_all_tables(tmp_path: Path) -> None:
    assert main(["export", CAPTURE, "--table", "objects", "-o", str(tmp_path / "o.csv")]) == 0
    assert list(pd.read_csv(tmp_path / "o.csv")["bytes"]) == [20_000] * 3
    assert main(["export", CAPTURE, "--table", "all", "--format", "jsonl",
                 "-o", str(tmp_path / "all")]) == 0
    assert sorted(p.stem for p in (tmp_path / "all").iterdir()) == sorted(TABLES)
    assert main(["export", CAPTURE, "-o", str(tmp_path / "o.unknown")]) == 2


def test_report(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["report", CAPTURE, "-o", str(out)]) == 0
    assert 'id="timeline"' in out.read_text()


def test_stats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", CAPTURE]) == 0
    out = capsys.readouterr().out
    for text in ("Latency per operation", "GetObject", "SIM_0003.JPG", "Simulated Camera"):
        assert text in out


def test_unusable_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(b"not a capture at all")
    assert main(["stats", str(bad)]) == 2
