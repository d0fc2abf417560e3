"""An object some of whose bytes the capture lost is still exported, holes named, rest exact."""

from __future__ import annotations

from pathlib import Path

from ptpip_analyzer.export.object_files import export_objects
from ptpip_analyzer.sources.synthetic import jpeg_like

LOSS = Path(__file__).resolve().parent.parent.parent / "captures" / "synthetic" / \
    "loss-midstream-vlan.pcap"


def test_lost_segments_leave_exact_holes_and_every_captured_byte(tmp_path: Path) -> None:
    _, rows = export_objects(LOSS, tmp_path)
    [row] = rows
    assert row.status == "partial" and row.file.endswith(".partial")
    data = (tmp_path / row.file).read_bytes()
    original = jpeg_like(150_000, 3)  # the scripted session's GetObject (transaction 3)
    holes = [tuple(map(int, h.split("-"))) for h in row.holes.split()] \
        if isinstance(row.holes, str) else list(row.holes)
    assert sum(n for _, n in holes) == 9568  # 4 frames cut by the snaplen, 3 segments lost
    lost = bytearray(len(original))
    for at, n in holes:
        assert data[at:at + n] == bytes(n)
        lost[at:at + n] = b"\x01" * n
    assert all(a == b for a, b, gone in zip(data, original, lost) if not gone)
