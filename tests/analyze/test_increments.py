"""Incremental tables: the rows taken a piece at a time add up to the final tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.increments import APPEND_ONLY, LATE_COLUMNS, TableCursor
from ptpip_analyzer.engine import Engine, EngineOptions

CAPTURES = Path(__file__).resolve().parent.parent.parent / "captures"
PICKED = ["real/gphoto2-get-all-files.pcapng", "real/gphoto2-summary-nikon.pcapng",
          "synthetic/loss-midstream-vlan.pcap", "real/fault-reset-mid-transfer.pcapng",
          "synthetic/reorder-retransmit-ipv6-sll2.pcapng"]
ORDER = {"transactions": ["stream", "start_frame"], "findings": ["frame", "rule"]}


def _stable(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    keep = [c for c in frame.columns if c not in LATE_COLUMNS[name]]
    out = frame[keep]
    if name in ORDER:
        out = out.sort_values(ORDER[name], kind="stable")
    return out.reset_index(drop=True)


@pytest.mark.parametrize("name", PICKED)
def test_rows_taken_in_pieces_equal_the_final_table(name: str) -> None:
    data = (CAPTURES / name).read_bytes()
    engine = Engine(EngineOptions(tables=True))
    cursors = {table: TableCursor(engine, table) for table in APPEND_ONLY}
    parts: dict[str, list[pd.DataFrame]] = {table: [] for table in APPEND_ONLY}
    for at in range(0, len(data), 3000):
        engine.feed_bytes(data[at:at + 3000])
        for table, cursor in cursors.items():
            parts[table].append(cursor.new_rows())
    engine.close()
    final = engine.snapshot()
    for table, cursor in cursors.items():
        parts[table].append(cursor.new_rows())
        whole = final.table(table)
        got = pd.concat(parts[table], ignore_index=True)
        assert len(got) == len(whole), table
        if len(whole):
            pd.testing.assert_frame_equal(_stable(table, got), _stable(table, whole),
                                          check_dtype=False, check_categorical=False)


def test_a_cursor_pays_for_new_rows_only() -> None:
    engine = Engine(EngineOptions(tables=True))
    engine.feed_bytes((CAPTURES / "real" / "gphoto2-get-all-files.pcapng").read_bytes())
    cursor = TableCursor(engine, "packets")
    assert len(cursor.new_rows()) > 0
    assert len(cursor.new_rows()) == 0
    frame, position = engine.rows_since("packets", 10**9)
    assert len(frame) == 0 and position == cursor.position


def test_tables_that_change_in_place_have_no_cursor() -> None:
    engine = Engine(EngineOptions(tables=True))
    with pytest.raises(KeyError, match="snapshot"):
        engine.rows_since("sessions", 0)
