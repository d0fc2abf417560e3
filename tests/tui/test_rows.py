"""The rows a filter reads: the lazy packet row gives what the whole row gives, key by key."""

from __future__ import annotations

from ptpip_analyzer.engine import Dissection, EngineOptions
from ptpip_analyzer.filters import FIELDS
from ptpip_analyzer.tui.rows import PacketRows

from .drive import REAL, SYNTHETIC


def _rows(path: object) -> PacketRows:
    run = Dissection(path, EngineOptions(tables=True, store=True))  # type: ignore[arg-type]
    for _ in run.items():
        pass
    engine = run.engine
    assert engine.store is not None and engine.validator is not None
    rows = PacketRows(engine.store, engine.vendor_of, engine.validator.session_of)
    rows.count = len(engine.store)
    return rows


def test_lazy_packet_rows_equal_the_whole_rows() -> None:
    for path in (REAL / "gphoto2-summary-nikon.pcapng", SYNTHETIC / "loss-midstream-vlan.pcap"):
        rows = _rows(path)
        for i in range(len(rows)):
            whole, lazy = rows.packet_dict(i), rows.packet_row(i)
            for key in FIELDS["packets"]:
                assert lazy.get(key) == whole.get(key), (i, key)
            assert dict(lazy) == whole
