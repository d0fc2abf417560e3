"""The sessions pane tells which discovery messages (SSDP, mDNS) led to a session, and how
they were linked to it (the camera's UUID = its GUID, or its address)."""

from __future__ import annotations

from ptpip_analyzer.tui.sessions import session_tree

from .drive import REAL, SIZE, app_for, loaded, pilot_test


@pilot_test
async def test_a_sessions_announcements_are_in_its_tree() -> None:
    app = app_for(REAL / "discovery-sony-alpha.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        view = app.sessions_view
        assert view is not None and view.discovery is not None
        row = view.sessions.iloc[0].to_dict()
        assert row["announced"] == "ssdp"
        node = session_tree(row, view, app.engine.store)  # type: ignore[arg-type]
        [discovery] = [n for n in node.children if n.label == "Discovery"]
        assert len(discovery.children) == len(view.discovery) >= 4
        assert all(c.label.startswith("frame ") and " ssdp " in c.label
                   for c in discovery.children)
        assert {c.children[0].value for c in discovery.children} == {"uuid"}


@pilot_test
async def test_no_discovery_says_so() -> None:
    app = app_for(REAL / "gphoto2-summary-nikon.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        view = app.sessions_view
        assert view is not None
        node = session_tree(view.sessions.iloc[0].to_dict(), view, app.engine.store)  # type: ignore[arg-type]
        [discovery] = [n for n in node.children if n.label == "Discovery"]
        assert discovery.value == "none in the capture"
