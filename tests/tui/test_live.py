"""``tui -i lo``: dumpcap on loopback feeds the real app while a real gphoto2 session runs
against the simulator. The rows appear as the session happens, the list follows them, the
header says it is capturing and, at the end, dumpcap's drop count and the TCP gap bytes; the
transactions are those of the raw capture kept beside it. Everything stays on 127.0.0.1."""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
from pathlib import Path

from ptpip_analyzer.engine import EngineOptions, dissect_file
from ptpip_analyzer.simulator.harness import gphoto2_command, gphoto2_env, running_simulator
from ptpip_analyzer.simulator.server import ServerConfig
from ptpip_analyzer.sources.live import DumpcapSource, capture_filter
from ptpip_analyzer.tui.app import PtpipApp
from ptpip_analyzer.tui.line_table import LineTable
from tests.simulator.conftest import free_port, make_camera

from .drive import SIZE, pilot_test
from .drive import until as _until


def _gphoto2(port: int, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(gphoto2_command(port, "--list-files"), env=gphoto2_env(home),
                          capture_output=True, text=True, check=False, timeout=60)


def _operations(app: PtpipApp) -> list[str]:
    """The transactions pane's operations, as shown."""
    frame = app.transaction_rows.frame
    return [] if frame is None else [str(name) for name in frame["opcode_name"]]


def load_operations(path: Path, port: int) -> list[str]:
    from ptpip_analyzer import load
    return list(load(path, ports=frozenset({port})).transactions["opcode_name"].astype(str))


@pilot_test
async def test_a_live_gphoto2_session_fills_the_tui_as_it_happens() -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp, \
            running_simulator(make_camera(3), ServerConfig(port=port)):
        raw = Path(tmp) / "raw.pcapng"
        source = DumpcapSource("lo", capture_filter([port]), str(raw))
        options = EngineOptions(ports=frozenset({port}))
        app = PtpipApp(source, options, name="live on lo", auto_scroll=True)
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: source.bytes_read > 0)  # dumpcap has the interface
            assert "capturing on lo" in app.sub_title
            done = await asyncio.to_thread(_gphoto2, port, Path(tmp))
            assert done.returncode == 0, done.stderr
            table = app.query_one("#packet-list", LineTable)
            await _until(pilot, lambda: "CloseSession" in _operations(app))
            await _until(pilot, lambda: table.count == app.engine.records)
            await _until(pilot, lambda: table.cursor == table.count - 1)  # the list followed
            assert not app.loading_done  # still capturing
            await pilot.pause(0.5)  # the last segments reach dumpcap
            app.loader.stop()
            await _until(pilot, lambda: app.loading_done and not app.workers)
            await pilot.pause(0.2)
            header = app.sub_title
            assert "capture ended" in header and "drops: 0" in header, header
            assert "TCP bytes lost (gaps): 0" in header, header
            shown = _operations(app)
        kept = dissect_file(raw, options)  # the raw capture beside it: the same session
        assert sum(1 for _ in kept.records()) == app.engine.records
        assert "OpenSession" in shown and "GetObjectHandles" in shown
        assert shown[-1] == "CloseSession"
        assert shown == list(load_operations(raw, port))
