"""Findings that come after a transaction row was shown reach that row: the real app, driven
with Pilot, on a lossy download whose TCP stalls are judged at the capture's end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.sources import tcp_trouble
from ptpip_analyzer.tui import loader
from ptpip_analyzer.tui.line_table import LineTable
from ptpip_analyzer.tui.rows import FrameRows

from .drive import SIZE, app_for, loaded, pilot_test, shown_rows


@pytest.fixture
def lossy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The capture, and a loader that tells the views of every small piece (so the
    GetObject row is shown long before the end)."""
    path = tmp_path / "lossy.pcapng"
    with open(path, "wb") as out:
        tcp_trouble.write_pcapng(tcp_trouble.lossy_download(), out)
    monkeypatch.setattr(loader, "FIRST_PIECE", 4096)
    monkeypatch.setattr(loader, "PIECE", 4096)
    monkeypatch.setattr(loader, "TABLES_EVERY_S", 0.0)
    monkeypatch.setattr(loader, "RATE_HZ", 10**6)
    return path


def test_stalls_found_at_the_end_update_the_shown_get_object_row(
        lossy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, list[Any]] = {"update": [], "replace": []}
    for name in calls:
        original = getattr(FrameRows, name)

        def spy(self: FrameRows, rows: Any, _o: Any = original, _n: str = name) -> None:
            calls[_n].append((self, len(self), rows.copy()))
            _o(self, rows)
        monkeypatch.setattr(FrameRows, name, spy)

    @pilot_test
    async def drive() -> None:
        app = app_for(lossy)
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            await pilot.press("t")
            await pilot.pause()
            rows = app.transaction_rows
            frame = rows.frame
            assert frame is not None
            final, _ = app.engine.rows_since("transactions", 0)  # built whole, now
            # the same rows in the same order as the engine's table, findings and status too
            assert sorted(zip(frame["start_frame"], frame["findings"], frame["status"])) == \
                sorted(zip(final["start_frame"], final["findings"], final["status"]))
            at = int(frame.index[frame["opcode_name"] == "GetObject"][0])
            assert frame.loc[at, "findings"] >= 2  # the timeout and the zero window
            cells = shown_rows(app.query_one("#transactions", LineTable))[at]
            assert cells[2] == "GetObject" and int(cells[-1]) >= 2
            # ... and it got there as an update of the row shown before, not a rebuild
            [(_, told, updated)] = [c for c in calls["update"] if c[0] is rows]
            assert at in updated.index and at < told
            assert int(updated.loc[at, "findings"]) >= 2
            # the transactions were never rebuilt whole
            assert not [c for c in calls["replace"] if c[0] is rows]
    drive()
