"""Shared fixtures: capture files written with the project's own writer (pcap_writer)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ptpip_analyzer.sources import pcap_writer as w


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
