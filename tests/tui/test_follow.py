"""A capture that is still being written (--follow; live capture plugs in the same way): rows
appear as bytes arrive, the list follows them while the cursor is on the last row, stops
following when the user moves up, and follows again from the bottom."""

from __future__ import annotations

from pathlib import Path

from ptpip_analyzer.engine import EngineOptions
from ptpip_analyzer.sources.byte_source import ByteSource
from ptpip_analyzer.tui.app import PtpipApp
from ptpip_analyzer.tui.line_table import LineTable

from .drive import REAL, SIZE, pilot_test
from .drive import until as _until

CAPTURE = REAL / "gphoto2-summary-nikon.pcapng"


def _append(path: Path, data: bytes) -> None:
    """The writer of the capture adds bytes (as dumpcap or tcpdump -w would)."""
    with open(path, "ab") as f:
        f.write(data)


@pilot_test
async def test_followed_file_grows_and_the_list_follows_until_the_user_scrolls_up() -> None:
    data = CAPTURE.read_bytes()
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "growing.pcapng"
        path.write_bytes(data[:len(data) // 3])
        app = PtpipApp(ByteSource(str(path), follow=True), EngineOptions(), name=path.name,
                       auto_scroll=True)
        async with app.run_test(size=SIZE) as pilot:
            table = app.query_one("#packet-list", LineTable)
            await _until(pilot, lambda: table.count > 0)
            first = table.count
            await pilot.press("end")
            _append(path, data[len(data) // 3:2 * len(data) // 3])
            await _until(pilot, lambda: table.count > first)
            await _until(pilot, lambda: table.cursor == table.count - 1)  # followed
            await pilot.press("up", "up")
            held, second = table.cursor, table.count
            _append(path, data[2 * len(data) // 3:])
            await _until(pilot, lambda: table.count > second)
            await pilot.pause(0.3)
            assert table.cursor == held  # scrolled up: no longer following
            await pilot.press("end")
            assert table.cursor == table.count - 1
            assert not app.loading_done  # still following the file


@pilot_test
async def test_a_pipe_loads_and_the_layers_pane_says_it_needs_a_file() -> None:
    """``tui -``'s path: the capture from a pipe (/dev/fd/N, as terminal.capture_path gives)."""
    import os
    import threading
    read, write = os.pipe()
    data = CAPTURE.read_bytes()

    def writer() -> None:
        with os.fdopen(write, "wb") as out:
            out.write(data)
    feeding = threading.Thread(target=writer)
    feeding.start()
    try:
        app = PtpipApp(ByteSource(f"/dev/fd/{read}"), EngineOptions(), name="standard input")
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: app.loading_done)
            table = app.query_one("#packet-list", LineTable)
            assert table.count == len(app.engine.store)  # type: ignore[arg-type]
            assert table.count > 40
            await pilot.press("w")
            layers = app.query_one("#layers")
            assert str(layers.root.label) == (  # type: ignore[attr-defined]
                "Wireshark's view needs a capture file (this input is a pipe)")
    finally:
        feeding.join()
        os.close(read)
