"""SVG snapshots of each pane on shipped captures (pytest-textual-snapshot; the accepted SVGs
are in __snapshots__/; after a deliberate change of the look, re-accept them with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the report)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from ptpip_analyzer.tui.filter_bar import FilterBar
from ptpip_analyzer.tui.line_table import LineTable

from .drive import REAL, SIZE, SYNTHETIC, app_for, loaded

Compare = Callable[..., bool]
WRONG_TID = REAL / "fault-wrong-transaction-id.pcapng"


def test_packets_pane_with_a_field_in_the_hex_view(snap_compare: Compare) -> None:
    async def select(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press(":", "5", "6", "enter", "tab", "down", "down", "down", "down")

    assert snap_compare(app_for(WRONG_TID), run_before=select, terminal_size=SIZE)


def test_transactions_pane(snap_compare: Compare) -> None:
    assert snap_compare(app_for(REAL / "scripted-cancel.pcapng"), run_before=loaded,
                        press=["t", "down"], terminal_size=SIZE)


def test_sessions_pane(snap_compare: Compare) -> None:
    assert snap_compare(app_for(REAL / "gphoto2-summary-nikon.pcapng"), run_before=loaded,
                        press=["s"], terminal_size=SIZE)


def test_findings_pane(snap_compare: Compare) -> None:
    assert snap_compare(app_for(SYNTHETIC / "loss-midstream-vlan.pcap"), run_before=loaded,
                        press=["f"], terminal_size=SIZE)


def test_graphs_pane_with_a_range(snap_compare: Compare) -> None:
    assert snap_compare(app_for(REAL / "gphoto2-get-all-files.pcapng"), run_before=loaded,
                        press=["g", "right", "right", "shift+right", "shift+right",
                               "shift+right"], terminal_size=SIZE)


def test_filter_bar_error(snap_compare: Compare) -> None:
    async def typed(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("slash")
        pilot.app.query_one(FilterBar).query_one(Input).value = "code == GetObjekt"
        await pilot.press("enter")

    assert snap_compare(app_for(WRONG_TID), run_before=typed, terminal_size=SIZE)


def test_help_screen(snap_compare: Compare) -> None:
    assert snap_compare(app_for(WRONG_TID), run_before=loaded, press=["question_mark"],
                        terminal_size=SIZE)


def test_filtered_packets_tree(snap_compare: Compare) -> None:
    async def filtered(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("slash")
        pilot.app.query_one(FilterBar).query_one(Input).value = "code == GetObjectInfo"
        await pilot.press("enter")
        pilot.app.query_one("#packet-list", LineTable).focus()

    assert snap_compare(app_for(WRONG_TID), run_before=filtered, terminal_size=SIZE)
