"""One session of a capture as a ``Capture`` of its own, for the report's per-session sections:
every table keeps the rows of that session, so the same section builders serve both."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..analyze.packet_table import LazyTable, PacketTable

if TYPE_CHECKING:
    from ..analyze.capture import Capture


def session_view(cap: Capture, session: int) -> Capture:
    """``cap`` with only ``session``'s rows in every table that has a session column."""
    tables = {name: cap.table(name) for name in cap.TABLES}
    kept = {name: frame[frame["session"] == session].reset_index(drop=True)
            for name, frame in tables.items() if "session" in frame.columns}
    return dataclasses.replace(cap, packet_table=PacketTable(kept.pop("packets")),
                               phase_table=LazyTable(kept.pop("data_phases")), **kept)
