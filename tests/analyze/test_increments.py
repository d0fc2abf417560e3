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


def _lossy_capture(path: Path) -> Path:
    from ptpip_analyzer.sources import tcp_trouble
    with open(path, "wb") as out:
        tcp_trouble.write_pcapng(tcp_trouble.lossy_download(), out)
    return path


def _taken_in_pieces(engine: Engine, data: bytes, cursor: TableCursor) -> pd.DataFrame:
    parts = []
    for at in range(0, len(data), 3000):
        engine.feed_bytes(data[at:at + 3000])
        parts.append(cursor.new_rows())
        assert len(cursor.updated_rows()) == 0  # nothing found late while the capture runs
    engine.close()
    parts.append(cursor.new_rows())
    return pd.concat(parts, ignore_index=True)


def test_findings_raised_at_the_end_update_rows_already_taken(tmp_path: Path) -> None:
    """The stalls of a lossy download are judged at the capture's end (validate/tcp.py), when
    the GetObject row was long given out: updated_rows gives it again, findings and status
    as in the final table."""
    data = _lossy_capture(tmp_path / "lossy.pcapng").read_bytes()
    engine = Engine(EngineOptions(tables=True))
    cursor = TableCursor(engine, "transactions")
    taken = _taken_in_pieces(engine, data, cursor)
    get_object = taken.index[taken["opcode_name"] == "GetObject"][0]
    assert taken.loc[get_object, "findings"] == 0
    updated = cursor.updated_rows()
    assert list(updated.index) == [get_object] and updated.index.name == "row"
    assert updated.loc[get_object, "findings"] >= 2  # the timeout and the zero window
    assert len(cursor.updated_rows()) == 0  # given once
    taken.loc[updated.index, updated.columns] = updated
    final = engine.snapshot().transactions.sort_values("start_frame", kind="stable")
    mine = taken.sort_values("start_frame", kind="stable")
    for column in ("findings", "status"):
        assert list(mine[column]) == list(final[column])


def test_findings_stay_in_the_order_raised_so_a_cursor_into_them_holds(tmp_path: Path) -> None:
    data = _lossy_capture(tmp_path / "lossy.pcapng").read_bytes()
    engine = Engine(EngineOptions(tables=True))
    cursor = TableCursor(engine, "findings")
    parts = []
    for at in range(0, len(data), 3000):
        engine.feed_bytes(data[at:at + 3000])
        parts.append(cursor.new_rows())
    engine.close()
    parts.append(cursor.new_rows())
    got = pd.concat(parts, ignore_index=True)
    whole = engine.snapshot().findings
    assert sorted(zip(got["frame"], got["rule"])) == sorted(zip(whole["frame"], whole["rule"]))
    assert len(got) == len(whole)


def test_only_transactions_have_updated_rows() -> None:
    engine = Engine(EngineOptions(tables=True))
    with pytest.raises(KeyError, match="transactions"):
        TableCursor(engine, "packets").updated_rows()
