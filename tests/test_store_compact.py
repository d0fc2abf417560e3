"""The record store keeps small packets as their bytes and decodes them again when asked: on
every shipped capture, each stored record equals the one the engine handed out."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.engine import Engine, EngineOptions, run
from ptpip_analyzer.sources.byte_source import ByteSource

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
SHIPPED = sorted(p for folder in ("real", "synthetic", "hostile")
                 for p in (CAPTURES / folder).iterdir() if p.suffix in (".pcap", ".pcapng"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_stored_record_is_the_record_the_engine_gave(path: Path) -> None:
    engine = Engine(EngineOptions(store=True, annotate=False, validate=False))
    given = [item.record for item in run(ByteSource(str(path)), engine)]
    store = engine.store
    assert store is not None and len(store) == len(given)
    for index, record in enumerate(given):
        assert store.record(index) == record, (path.name, index)
        assert store.frame_of(index) == record.frame
