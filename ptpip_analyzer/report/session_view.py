"""One session of a capture as a ``Capture`` of its own, for the report's per-session sections:
every table keeps the rows of that session, so the same section builders serve both."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from ..analyze.packet_table import LazyTable

if TYPE_CHECKING:
    import pandas as pd

    from ..analyze.capture import Capture


def session_view(cap: Capture, session: int) -> Capture:
    """``cap`` with only ``session``'s rows in every table that has a session column (the
    packets and data phases tables as their own are built: when first read, from parts)."""
    lazy = ("packets", "data_phases")
    tables = {name: cap.table(name) for name in cap.TABLES if name not in lazy}
    kept = {name: _mine(frame, session) for name, frame in tables.items()
            if "session" in frame.columns}
    places = cap.packet_places
    rows = np.flatnonzero((places["session"] == session).fillna(False).to_numpy(dtype=bool))
    return dataclasses.replace(cap, packet_table=cap.packet_table.subset(rows),
                               phase_table=LazyTable(build=lambda: _mine(cap.data_phases,
                                                                         session)),
                               **kept)


def _mine(frame: pd.DataFrame, session: int) -> pd.DataFrame:
    return frame[frame["session"] == session].reset_index(drop=True)
