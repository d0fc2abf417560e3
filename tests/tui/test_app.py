"""The real app on shipped captures, driven with Textual's Pilot: what a user does, key by key."""

from __future__ import annotations

from textual.widgets import ContentSwitcher, Input, Static

from ptpip_analyzer.tui.app import PtpipApp
from ptpip_analyzer.tui.detail import DetailTree
from ptpip_analyzer.tui.filter_bar import FilterBar
from ptpip_analyzer.tui.hex_view import HexView
from ptpip_analyzer.tui.line_table import LineTable

from .drive import (
    HOSTILE,
    REAL,
    SIZE,
    SYNTHETIC,
    app_for,
    loaded,
    pilot_test,
    screen_svg,
    shown_rows,
)

WRONG_TID = REAL / "fault-wrong-transaction-id.pcapng"  # response to tid 8 carries tid 9


def _packets(app: PtpipApp) -> LineTable:
    return app.query_one("#packet-list", LineTable)


def _selected_frame(app: PtpipApp) -> int:
    index = _packets(app).source_index()
    assert index is not None
    return app.engine.store.record(index).frame  # type: ignore[union-attr]


def _tree_labels(tree: DetailTree) -> list[str]:
    out: list[str] = []

    def walk(node: object) -> None:
        out.append(str(node.label))  # type: ignore[attr-defined]
        for child in node.children:  # type: ignore[attr-defined]
            walk(child)
    walk(tree.root)
    return out


@pilot_test
async def test_navigate_the_packet_list_and_see_fields_and_bytes() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        packets = _packets(app)
        assert packets.count == 40 == len(app.engine.store)  # type: ignore[arg-type]
        assert shown_rows(packets)[0][5] == "Init Command Request"
        await pilot.press("down", "down")
        assert _selected_frame(app) == 11
        assert "Packet type: Init Event Request (3)" in _tree_labels(app.query_one(DetailTree))
        await pilot.press("end")
        assert packets.cursor == 39 and _selected_frame(app) == 58
        await pilot.press("home", "pagedown")
        assert packets.cursor > 10
        hex_view = app.query_one(HexView)
        index = packets.source_index()
        assert hex_view.data == app.engine.store.bytes_of(index).data  # type: ignore
        assert len(hex_view.data) > 0


@pilot_test
async def test_a_tree_field_highlights_its_bytes_in_the_hex_view() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press(":")
        await pilot.press(*"56", "enter")  # the Operation Response with the wrong id
        assert _selected_frame(app) == 56
        tree = app.query_one(DetailTree)
        tree.focus()
        line = next(i for i in range(tree.last_line + 1)
                    if str(tree.get_node_at_line(i).label).startswith("Transaction ID"))
        tree.move_cursor(tree.get_node_at_line(line))
        await pilot.pause()
        hex_view = app.query_one(HexView)
        assert hex_view.span == (10, 14)
        assert int.from_bytes(hex_view.data[10:14], "little") == 9
        await pilot.press("x")
        assert not hex_view.display or hex_view.has_class("hidden")
        await pilot.press("x")
        assert not hex_view.has_class("hidden")


@pilot_test
async def test_panes_switch_by_key() -> None:
    app = app_for(REAL / "scripted-cancel.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        switcher = app.query_one(ContentSwitcher)
        for key, pane in (("t", "transactions"), ("s", "sessions"), ("f", "findings"),
                          ("g", "graphs"), ("p", "packets")):
            await pilot.press(key)
            assert switcher.current == pane
        await pilot.press("t")
        rows = shown_rows(app.query_one("#transactions", LineTable))
        assert [r[2] for r in rows] == ["OpenSession", "GetObject", "CloseSession"]
        assert rows[1][8] == "cancelled" and rows[1][4] == "TransactionCancelled"
        await pilot.press("question_mark")
        assert "termshark of PTP/IP" in str(app.screen.query_one("#help-text", Static).render())
        await pilot.press("escape")
        assert switcher.current == "transactions"


@pilot_test
async def test_from_a_finding_to_its_packet() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("f")
        findings = shown_rows(app.query_one("#findings", LineTable))
        assert [(r[0], r[1], r[2]) for r in findings] == [("error", "PTPIP-TX-003", "56")]
        await pilot.press("enter")
        assert app.query_one(ContentSwitcher).current == "packets"
        assert _selected_frame(app) == 56
        labels = _tree_labels(app.query_one(DetailTree))
        assert any(label.startswith("error PTPIP-TX-003") for label in labels)
        row = _packets(app).source.row(_packets(app).source_index())  # type: ignore[arg-type]
        assert row.kind == "error"


@pilot_test
async def test_a_transactions_packets() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        app.query_one("#transactions", LineTable).move_to(8)
        await pilot.press("enter")  # GetObject, tid 8
        await pilot.pause()
        rows = shown_rows(_packets(app))
        assert app.query_one(ContentSwitcher).current == "packets"
        assert [r[5] for r in rows] == ["Operation Request", "Start Data", "End Data"]
        assert all("tid=8" in r[6] for r in rows)
        await pilot.press("escape")
        assert _packets(app).count == 40


@pilot_test
async def test_filter_to_one_operation_and_step_through_matches() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"code ")  # typed, then the rest set at once (fast)
        app.query_one(FilterBar).query_one(Input).value = "code == GetObjectInfo"
        await pilot.press("enter")
        await pilot.pause()
        rows = shown_rows(_packets(app))
        assert len(rows) == 3 and all(r[6].startswith("GetObjectInfo") for r in rows)
        assert _packets(app).border_title == "code == GetObjectInfo"
        await pilot.press("slash", "ctrl+a", "ctrl+k", "enter")  # empty: every row again
        assert _packets(app).count == 40
        await pilot.press("home", "n")
        first = _selected_frame(app)
        await pilot.press("n")
        second = _selected_frame(app)
        await pilot.press("N")
        assert first < second and _selected_frame(app) == first
        shown = _packets(app).source.row(_packets(app).source_index())  # type: ignore[arg-type]
        assert shown.cells[6].startswith("GetObjectInfo")


@pilot_test
async def test_filter_error_points_at_the_character() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        app.query_one(FilterBar).query_one(Input).value = "code == = 3"
        await pilot.press("enter")
        bar = app.query_one(FilterBar)
        error = str(bar.query_one("#filter-error", Static).render())
        field = bar.query_one(Input)
        under = error.index("^") - (field.content_region.x - bar.content_region.x)
        assert under == 8  # under the second "=" (past the input's border and padding)
        assert "unexpected" in error
        assert bar.has_class("open") and _packets(app).count == 40
        await pilot.press("escape")
        assert not bar.has_class("open")


@pilot_test
async def test_filter_transactions_and_findings() -> None:
    app = app_for(REAL / "scripted-cancel.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("t", "slash")
        assert app.query_one(FilterBar).query_one(Input).placeholder.endswith("transactions")
        app.query_one(FilterBar).query_one(Input).value = "cancelled"
        await pilot.press("enter")
        rows = shown_rows(app.query_one("#transactions", LineTable))
        assert [r[2] for r in rows] == ["GetObject"]


@pilot_test
async def test_sessions_pane_explains_a_session_and_follows_it() -> None:
    app = app_for(REAL / "gphoto2-summary-nikon.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        labels = _tree_labels(app.query_one("#session-detail"))  # type: ignore[arg-type]
        assert "Handshake: seen" in labels
        assert any(label.startswith("Vendor: nikon") for label in labels)
        assert any('Manufacturer "Nikon Corporation" -> nikon' in label for label in labels)
        assert any(label.startswith("DeviceInfo") for label in labels)
        await pilot.press("enter")
        assert app.query_one(ContentSwitcher).current == "packets"
        assert _packets(app).border_title == "session 1"


@pilot_test
async def test_gaps_and_malformed_regions_are_coloured_rows() -> None:
    app = app_for(SYNTHETIC / "loss-midstream-vlan.pcap")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        packets = _packets(app)
        kinds = [packets.source.row(i).kind for i in range(packets.count)]
        assert "gap" in kinds


@pilot_test
async def test_a_hostile_camera_name_is_shown_escaped() -> None:
    """captures/hostile/terminal-escapes.pcap: names with OSC title, clear-screen, CR, C1."""
    app = app_for(HOSTILE / "terminal-escapes.pcap")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        texts = [cell for row in shown_rows(_packets(app)) for cell in row]
        for i in range(_packets(app).count):
            _packets(app).move_to(i)
            await pilot.pause()
            texts += _tree_labels(app.query_one(DetailTree))
        await pilot.press("s")
        await pilot.pause()
        texts += _tree_labels(app.query_one("#session-detail"))  # type: ignore[arg-type]
        texts += [c for row in shown_rows(app.query_one("#session-list", LineTable))
                  for c in row]
        joined = "\n".join(texts)
        assert "\\x1b]0;pwned\\a" in joined
        assert not any(ch in joined for ch in "\x1b\x07\r\x08\x9b")
        svg = screen_svg(app)
        assert "pwned" in svg and "\x1b" not in svg and "\x9b" not in svg


@pilot_test
async def test_wireshark_layers_for_the_selected_frame() -> None:
    app = app_for(WRONG_TID)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("down", "w")
        layers = app.query_one("#layers")
        for _ in range(200):
            await pilot.pause(0.05)
            if str(layers.root.label).startswith("Wireshark: frame"):  # type: ignore
                break
        labels = _tree_labels(layers)  # type: ignore[arg-type]
        import shutil
        if shutil.which("tshark") is None:
            assert labels[0].startswith("tshark is not installed")
            return
        assert labels[0] == "Wireshark: frame 6"
        assert any(label.startswith("Transmission Control Protocol, Src Port") for label in labels)
        assert any("Flags: 0x018 (PSH, ACK)" in label for label in labels)




@pilot_test
async def test_started_with_a_filter_and_its_throughput_in_the_graphs() -> None:
    """-Y on the command line: the packets pane starts filtered; g graphs those packets."""
    from textual.widgets import Label

    from ptpip_analyzer.filters import compile_filter
    from ptpip_analyzer.tui.graphs import GraphsPane
    app = app_for(WRONG_TID)
    app.filters["packets"] = compile_filter("session == 1 and type_name == \"End Data\"",
                                            "packets")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        rows = shown_rows(_packets(app))
        assert [r[5] for r in rows] == ["End Data"] * 8
        await pilot.press("g")
        await pilot.pause()
        title = str(app.query_one("#graph-title", Label).render())
        expected = sum(int(r[6].split("data=")[1].split()[0]) + 12 for r in rows)
        assert title.startswith("packets shown (session == 1 and type_name == \"End Data\")")
        assert f"{expected:,} PTP/IP bytes" in title
        assert app.query_one(GraphsPane).subset is not None


@pilot_test
async def test_a_time_range_from_the_graphs_filters_packets_and_transactions() -> None:
    app = app_for(REAL / "gphoto2-get-all-files.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        total = _packets(app).count
        await pilot.press("g", "shift+right", "shift+right", "shift+right")
        info = str(app.query_one("#range-info").render())  # type: ignore[attr-defined]
        assert "MB/s" in info
        await pilot.press("enter")
        assert app.query_one(ContentSwitcher).current == "packets"
        lo, hi = app.time_range  # type: ignore[misc]
        shown = [app.engine.store.record(_packets(app).source_index(i))  # type: ignore
                 for i in range(_packets(app).count)]
        assert 0 < len(shown) < total and all(lo <= r.time < hi for r in shown)
        await pilot.press("t")
        assert app.query_one("#transactions", LineTable).count < len(app.transaction_rows)
        await pilot.press("p", "escape")
        assert _packets(app).count == total


@pilot_test
async def test_a_bulk_payload_not_kept_is_re_read_for_the_hex_view() -> None:
    from ptpip_analyzer.model import Packet
    app = app_for(REAL / "ptpy-download.pcapng", keep_payload=0)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        store = app.engine.store
        assert store is not None
        bulk = next(i for i in range(len(store)) if isinstance(store.record(i), Packet)
                    and len(store.record(i).raw) < store.record(i).length)
        _packets(app).move_to(bulk)
        hex_view = app.query_one(HexView)
        for _ in range(100):
            await pilot.pause(0.05)
            if hex_view.note == "re-read from the capture":
                break
        assert hex_view.note == "re-read from the capture"
        assert len(hex_view.data) == store.record(bulk).length
