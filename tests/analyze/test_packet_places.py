"""The packets table read in parts (issue 17): its place columns, whole rows at some positions
and one session's rows are the whole table's, on every shipped capture; the report and compare
read only those parts, so they never build the table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from ptpip_analyzer import load
from ptpip_analyzer.analyze.export import write_table
from ptpip_analyzer.analyze.packet_rows import PackedRows
from ptpip_analyzer.analyze.schema import PACKET_PLACES
from ptpip_analyzer.report import write_report
from ptpip_analyzer.report.ladder_views import session_start

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "captures").glob("*/*.pcap*"))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as their values: a part's categories are those of its own rows."""
    return frame.astype({c: object for c in frame.columns
                         if isinstance(frame[c].dtype, pd.CategoricalDtype)})


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_parts_of_the_packets_table_are_the_tables(path: Path) -> None:
    whole = load(path).packets
    cap = load(path)
    places = cap.packet_places
    assert set(places.columns) == PACKET_PLACES and not cap.packet_table.built
    pd.testing.assert_frame_equal(places, whole[list(places.columns)])
    if whole.empty:
        return
    at = np.array(sorted({0, len(whole) // 2, len(whole) - 1}))
    pd.testing.assert_frame_equal(_plain(cap.packet_table.take(at)),
                                  _plain(whole.iloc[at].reset_index(drop=True)))
    for session in whole["session"].dropna().unique():
        mine = (places["session"] == session).fillna(False).to_numpy(dtype=bool)
        sub = cap.packet_table.subset(np.flatnonzero(mine))
        assert sub.totals.count == mine.sum()
        pd.testing.assert_frame_equal(_plain(sub.frame()),
                                      _plain(whole[mine].reset_index(drop=True)))
    parts = list(cap.packet_table.place_parts(["frame", "session", "stream"], rows=7))
    assert [start for start, _ in parts] == list(range(0, len(whole), 7))
    pd.testing.assert_frame_equal(
        pd.concat([p for _, p in parts], ignore_index=True),
        whole[[c for c in whole.columns if c in ("frame", "session", "stream")]])
    for session in whole["session"].dropna().unique():
        mine = whole[(whole["session"] == session).fillna(False)]
        rows, streams = session_start(cap, session, 11, part=5)
        by_frame = mine.sort_values("frame", kind="stable")  # a frame's packets as they came
        assert rows.tolist() == by_frame.index[:11].tolist()
        assert streams == sorted(mine["stream"].unique().tolist())
    assert not cap.packet_table.built


def test_field_ranges_and_rows_cross_chunks() -> None:
    rows = PackedRows((("n", "q"), ("x", "d")), chunk=8)
    for n in range(37):  # four sealed chunks and an open one
        rows.append(n, n / 3)
    for n in [*range(37), 0, 36, 9, 1, 30, 2, 17]:  # more chunks than are kept decoded
        assert rows.row(n) == (n, n / 3)
    for start in range(40):
        for stop in range(start, 42):
            assert rows.field("n", start, stop).tolist() == list(range(start, min(stop, 37)))
    assert rows.columns(30).__len__() == 7 and len(rows.columns(3, 11)) == 8


@pytest.mark.parametrize("name", ["gphoto2-get-all-files.pcapng", "fault-reset-mid-transfer.pcapng",
                                  "scripted-cancel.pcapng", "camera-canon-eos.pcapng"])
def test_report_and_compare_leave_the_packets_table_unbuilt(name: str, tmp_path: Path) -> None:
    cap = load(Path(__file__).resolve().parents[2] / "captures" / "real" / name)
    html = write_report(cap, tmp_path / "r.html").read_text()
    assert "ladder" in html
    cap.compare(cap)
    assert not cap.packet_table.built and not cap.phase_table.built


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("name", ["gphoto2-get-all-files.pcapng", "camera-canon-eos.pcapng",
                                  "fault-unknown-length.pcapng"])
def test_packets_written_in_parts_are_the_tables_bytes(name: str, fmt: str,
                                                       tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[2] / "captures" / "real" / name
    whole = write_table(load(path).packets, tmp_path / f"whole.{fmt}")
    cap = load(path)
    parts = write_table(cap.packet_table.chunks(rows=7), tmp_path / f"parts.{fmt}")
    assert len(load(path).packets) > 14  # several parts
    assert parts.read_bytes() == whole.read_bytes() and not cap.packet_table.built
    exported = cap.export("packets", tmp_path / f"export.{fmt}")
    assert exported.read_bytes() == whole.read_bytes() and not cap.packet_table.built


@pytest.mark.parametrize("name", ["gphoto2-get-all-files.pcapng", "camera-canon-eos.pcapng",
                                  "fault-unknown-length.pcapng"])
def test_packets_written_to_parquet_in_parts_read_back_as_the_table(name: str,
                                                                    tmp_path: Path) -> None:
    """A row group per part: the same rows, values and dtypes; a categorical column's
    categories are the same set, in the order Arrow merges the parts' dictionaries."""
    path = Path(__file__).resolve().parents[2] / "captures" / "real" / name
    table = load(path).packets
    cap = load(path)
    written = write_table(cap.packet_table.chunks(rows=7), tmp_path / "parts.parquet")
    assert not cap.packet_table.built
    assert pq.ParquetFile(written).metadata.num_row_groups == -(-len(table) // 7) > 2
    back = pd.read_parquet(written)
    for column in table:
        if isinstance(table[column].dtype, pd.CategoricalDtype) and len(back):
            assert set(back[column].cat.categories) == set(table[column].cat.categories)
            back[column] = back[column].cat.reorder_categories(table[column].cat.categories)
    pd.testing.assert_frame_equal(back, table)
    assert cap.export("packets", tmp_path / "export.parquet").stat().st_size > 0
