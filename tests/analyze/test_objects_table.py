"""The objects table of load() (the engine runs the one object reassembler) equals a table
built from a reassembler fed the dissected records directly, on every shipped capture."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ptpip_analyzer
from ptpip_analyzer.analyze.objects import ObjectTable
from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.export.objects import ObjectReassembler

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
ALL = sorted(p for p in CAPTURES.rglob("*") if p.suffix in (".pcap", ".pcapng")
             and "hostile" not in p.parts)
# what does not depend on the transactions table
COLUMNS = ["session", "handle", "transfer", "filename", "format", "size", "transactions",
           "bytes", "thumb_bytes", "complete", "sha256", "first_frame"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_reassembler_gives_the_same_objects_table(path: Path) -> None:
    cap = ptpip_analyzer.load(path)
    session_of = {int(s): int(n) for s, n in cap.packets[["stream", "session"]].dropna()
                  .drop_duplicates().itertuples(index=False)}
    reassembler = ObjectReassembler(max_infos=None)
    transfers = [t for conn, record in dissect_file(path).records()
                 for t in reassembler.feed(conn, record)] + reassembler.close()
    table = ObjectTable.from_transfers(transfers, reassembler.infos, [], session_of).frame()
    key = ["session", "handle"]
    ours = table[COLUMNS].sort_values(key).reset_index(drop=True)
    theirs = cap.objects[COLUMNS].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)
