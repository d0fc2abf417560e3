"""sessions_of(engine): the sessions table alone equals the full snapshot's, mid-run too."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ptpip_analyzer.analyze.snapshot import sessions_of
from ptpip_analyzer.engine import Engine, EngineOptions

CAPTURES = Path(__file__).resolve().parents[2] / "captures"


@pytest.mark.parametrize("name", ["real/gphoto2-summary-nikon.pcapng",
                                  "real/gphoto2-refused.pcapng",
                                  "synthetic/loss-midstream-vlan.pcap"])
def test_sessions_alone_equal_the_snapshots(name: str) -> None:
    data = (CAPTURES / name).read_bytes()
    engine = Engine(EngineOptions(tables=True))
    engine.feed_bytes(data[:len(data) // 2])
    pd.testing.assert_frame_equal(sessions_of(engine), engine.snapshot().sessions)
    engine.feed_bytes(data[len(data) // 2:])
    engine.close()
    pd.testing.assert_frame_equal(sessions_of(engine), engine.snapshot().sessions)
    assert len(sessions_of(engine)) >= 1
