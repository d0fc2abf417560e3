"""Export of every table to Parquet (dtypes kept), CSV and JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.analyze.schema import TABLES

CAPTURE = Path(__file__).resolve().parents[2] / "captures" / "real" / "fault-short-data.pcapng"


@pytest.fixture(scope="module")
def cap() -> Capture:
    return load(CAPTURE)


def test_parquet_round_trip_keeps_dtypes(cap: Capture, tmp_path: Path) -> None:
    paths = cap.to_parquet(tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{t}.parquet" for t in TABLES)
    for name in TABLES:
        back, table = pd.read_parquet(tmp_path / f"{name}.parquet"), cap.table(name)
        # a categorical with no categories comes back as object (Arrow's null dictionary)
        empty = [c for c in table if isinstance(table[c].dtype, pd.CategoricalDtype)
                 and table[c].cat.categories.empty]
        pd.testing.assert_frame_equal(back.drop(columns=empty), table.drop(columns=empty))


def test_csv_and_jsonl(cap: Capture, tmp_path: Path) -> None:
    cap.to_csv(tmp_path)
    cap.to_jsonl(tmp_path)
    csv = pd.read_csv(tmp_path / "transactions.csv")
    assert list(csv["transaction_id"]) == list(cap.transactions["transaction_id"])
    lines = (tmp_path / "findings.jsonl").read_text().splitlines()
    finding = json.loads(lines[0])
    assert finding["rule"] == "PTPIP-DP-007" and finding["severity"] == "error"
    assert finding["time"].startswith("20")  # ISO 8601


def test_format_from_suffix_or_named(cap: Capture, tmp_path: Path) -> None:
    assert cap.export("objects", tmp_path / "o.jsonl").read_text().count("\n") == 3
    cap.export("objects", tmp_path / "o.out", "csv")
    assert pd.read_csv(tmp_path / "o.out")["filename"].iloc[0] == "SIM_0001.JPG"
    with pytest.raises(ValueError):
        cap.export("objects", tmp_path / "o.xyz")
    with pytest.raises(KeyError):
        cap.export("nothing", tmp_path / "o.csv")
