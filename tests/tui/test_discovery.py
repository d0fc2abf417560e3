"""The sessions pane tells which discovery messages (SSDP, mDNS, the UPnP description) led to
a session, and how they were linked to it (the camera's UUID = its GUID, or its address); the
description is read by the engine as the capture loads, from a file or a pipe alike."""

from __future__ import annotations

from ptpip_analyzer.engine import EngineOptions
from ptpip_analyzer.simulator.personalities import PERSONALITIES
from ptpip_analyzer.sources.byte_source import ByteSource
from ptpip_analyzer.tui.app import PtpipApp
from ptpip_analyzer.tui.sessions import session_tree

from .drive import REAL, SIZE, app_for, loaded, pilot_test


def _check_discovery_tree(app: PtpipApp) -> None:
    view = app.sessions_view
    assert view is not None and view.discovery is not None
    row = view.sessions.iloc[0].to_dict()
    assert row["announced"] == "ssdp, upnp-description"
    node = session_tree(row, view, app.engine.store)  # type: ignore[arg-type]
    [discovery] = [n for n in node.children if n.label == "Discovery"]
    [described, *messages] = discovery.children
    who = PERSONALITIES["sony-alpha"]
    assert described.label == "UPnP description"
    assert described.value == (f"\"{who.ack_name}\", Sony Corporation {who.profile.model}, "
                               f"UDN {who.uuid}")
    assert len(messages) == len(view.discovery) == 5
    assert all(c.label.startswith("frame ") for c in messages)
    assert [c.label.split()[2] for c in messages] == ["ssdp"] * 4 + ["upnp-description"]
    assert {c.children[0].value for c in messages} == {"uuid"}


@pilot_test
async def test_a_sessions_announcements_are_in_its_tree() -> None:
    app = app_for(REAL / "discovery-sony-alpha.pcapng")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        _check_discovery_tree(app)


@pilot_test
async def test_from_a_pipe_the_description_is_there_too() -> None:
    import os
    import threading
    read, write = os.pipe()
    data = (REAL / "discovery-sony-alpha.pcapng").read_bytes()
    feeding = threading.Thread(target=lambda: os.fdopen(write, "wb").write(data))
    feeding.start()
    try:
        app = PtpipApp(ByteSource(f"/dev/fd/{read}"), EngineOptions(), name="standard input")
        async with app.run_test(size=SIZE) as pilot:
            await loaded(pilot)
            _check_discovery_tree(app)
    finally:
        feeding.join()
        os.close(read)


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
