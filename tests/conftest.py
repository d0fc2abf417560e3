"""Shared fixtures: capture files written with the project's own writer (pcap_writer)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.sources import pcap_writer as w


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C (SIGINT) reaches the commands the tests start as it does in a terminal, also
    when this run is a background job of a script: that ignores SIGINT, and every child
    would inherit the ignoring through exec (an asyncio program then never stops on it)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def write_pcap(tmp_path: Path) -> Callable[..., Path]:
    """``write_pcap(frames, linktype, name="capture.pcap", **write_pcap_options) -> Path``."""

    def write(frames: Sequence[w.Frame], linktype: int, name: str = "capture.pcap",
              **options: Any) -> Path:
        path = tmp_path / name
        with open(path, "wb") as out:
            w.write_pcap(out, frames, linktype, **options)
        return path

    return write


@pytest.fixture
def camera_only_capture(write_pcap: Callable[..., Path]) -> Path:
    """The scripted basic session's command connection as seen from the camera's side only:
    a capture that holds one direction (the host's bytes show only in the camera's ACKs)."""
    from ptpip_analyzer.sources import synthetic as syn

    s = syn.basic_session()
    s.command.segments = [seg for seg in s.command.segments if not seg.from_client]
    return write_pcap(w.frames_for(s.command.ip_packets(), w.LINKTYPE_ETHERNET),
                      w.LINKTYPE_ETHERNET, name="camera-only.pcap")
