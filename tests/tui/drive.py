"""Driving the real app on a shipped capture: start it, wait until the capture is loaded."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from ptpip_analyzer.engine import EngineOptions
from ptpip_analyzer.sources.byte_source import ByteSource
from ptpip_analyzer.tui.app import PtpipApp
from ptpip_analyzer.tui.line_table import LineTable

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
REAL, SYNTHETIC, HOSTILE = CAPTURES / "real", CAPTURES / "synthetic", CAPTURES / "hostile"
SIZE = (130, 36)


def pilot_test(fn: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """An async Pilot test as a plain pytest test (no asyncio plugin needed)."""

    @functools.wraps(fn)
    def run() -> None:
        asyncio.run(fn())
    return run


def app_for(path: Path, **options: object) -> PtpipApp:
    return PtpipApp(ByteSource(str(path)), EngineOptions(**options),  # type: ignore[arg-type]
                    name=path.name)


async def loaded(pilot: Pilot[None]) -> None:
    """Wait (at most 20 s) until the whole capture is in and every view has caught up."""
    app = pilot.app
    assert isinstance(app, PtpipApp)
    for _ in range(400):
        if app.loading_done and not app.workers:
            break
        await pilot.pause(0.05)
    assert app.loading_done
    await pilot.pause()


async def until(pilot: Pilot[None], test: Callable[[], object], seconds: float = 30.0) -> None:
    """Wait until ``test()`` is true (at most ``seconds``), letting the app run meanwhile."""
    for _ in range(int(seconds / 0.05)):
        if test():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


def shown_rows(table: LineTable) -> list[tuple[str, ...]]:
    """The cells of every row the table shows now (through its view)."""
    return [table.source.row(table.source_index(i)).cells  # type: ignore[arg-type]
            for i in range(table.count)]


def screen_svg(app: PtpipApp) -> str:
    """The screen as the SVG a screenshot gives (its text is what the terminal would get)."""
    return app.export_screenshot()
