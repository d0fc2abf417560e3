"""``PacketTable``: the packets table of a ``Capture``, built when first asked for.

The packets table is a capture's largest: 1,120,000 packets of a 98 MB capture made 159 MB of
DataFrame, and ~230 MB at its peak while built (issue 17). ``stats`` and the report's summary
need only its totals (``PacketTotals``), which the collector's packed rows give without it;
whoever reads ``Capture.packets`` gets the whole table, built once. The data phases table
(``LazyTable``) is built the same way: one row per phase, 280,000 of them in that capture, and
neither ``stats``, the report nor ``compare`` reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


@dataclass(frozen=True, slots=True)
class PacketTotals:
    """How many packets, the seconds from the first to the last, and their bytes."""

    count: int
    span_s: float
    bytes: int

    @classmethod
    def of(cls, times: np.ndarray | pd.Series, lengths: np.ndarray | pd.Series
           ) -> PacketTotals:
        """From the capture times (float seconds, or the table's datetimes) and lengths."""
        import pandas as pd
        if not len(times):
            return cls(0, 0.0, 0)
        ends = pd.Series([times.min(), times.max()])
        if ends.dtype.kind == "f":  # as the table's time column would hold them
            ends = pd.to_datetime(ends, unit="s", utc=True)
        return cls(len(times), (ends[1] - ends[0]).total_seconds(), int(lengths.sum()))


class LazyTable:
    """A table, or what builds it (``build``, called at most once: on a capture's last look
    the rows it reads change no more)."""

    __slots__ = ("_build", "_frame")

    def __init__(self, frame: pd.DataFrame | None = None,
                 build: Callable[[], pd.DataFrame] | None = None) -> None:
        assert (frame is None) != (build is None)
        self._frame, self._build = frame, build

    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            assert self._build is not None
            self._frame, self._build = self._build(), None
        return self._frame


class PacketTable(LazyTable):
    """The packets table, or what builds it, with its totals (known without it)."""

    __slots__ = ("totals",)

    def __init__(self, frame: pd.DataFrame | None = None,
                 build: Callable[[], pd.DataFrame] | None = None,
                 totals: PacketTotals | None = None) -> None:
        super().__init__(frame, build)
        if totals is None:
            assert frame is not None
            totals = PacketTotals.of(frame["time"], frame["length"])
        self.totals = totals
