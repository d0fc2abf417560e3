"""``PacketTable``: the packets table of a ``Capture``, built when first asked for.

The packets table is a capture's largest: 1,120,000 packets of a 98 MB capture made 159 MB of
DataFrame, and ~230 MB at its peak while built (issue 17). ``stats`` and the report's summary
need only its totals (``PacketTotals``), which the collector's packed rows give without it;
whoever reads ``Capture.packets`` gets the whole table, built once. The data phases table
(``LazyTable``) is built the same way: one row per phase, 280,000 of them in that capture, and
neither ``stats``, the report nor ``compare`` reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .schema import PACKET_PLACES

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

    @property
    def built(self) -> bool:
        """Whether the table is held (built, or given)."""
        return self._frame is not None

    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            assert self._build is not None
            self._frame, self._build = self._build(), None
        return self._frame


class PacketTable(LazyTable):
    """The packets table, or what builds it, with its totals (known without it).

    ``part(start, stop, places)`` builds rows ``start`` to ``stop`` of the table without the
    rest (``places``: only ``schema.PACKET_PLACES``, the columns that say where, when and how big):
    the report reads those of every packet and whole rows of a few, so it never builds the
    table (1,120,000 packets: ~45 MB of places where the table is 159 MB)."""

    __slots__ = ("_part", "_places", "totals")

    def __init__(self, frame: pd.DataFrame | None = None,
                 build: Callable[[], pd.DataFrame] | None = None,
                 totals: PacketTotals | None = None, part: Part | None = None) -> None:
        super().__init__(frame, build)
        if totals is None:
            assert frame is not None
            totals = PacketTotals.of(frame["time"], frame["length"])
        self.totals, self._part = totals, part
        self._places: pd.DataFrame | None = None

    def places(self, names: Collection[str] | None = None) -> pd.DataFrame:
        """The ``PLACES`` columns of every packet (row ``i`` is the table's row ``i``), or only
        ``names`` of them: built for this call, not kept (1,120,000 packets: the report's
        throughput reads 19 MB of time, length and direction, not the 57 MB of places)."""
        wanted = PACKET_PLACES if names is None else PACKET_PLACES & frozenset(names)
        if self._part is None or self._frame is not None:
            table = self.frame()
            return table[[c for c in table.columns if c in wanted]].reset_index(drop=True)
        if self._places is None and names is not None:
            return self._part(0, None, wanted)
        if self._places is None:
            self._places = self._part(0, None, True)
        return self._places[[c for c in self._places.columns if c in wanted]]

    def parts(self, names: Collection[str] | None = None, rows: int = 1 << 16
              ) -> Iterator[tuple[int, pd.DataFrame]]:
        """The table ``rows`` at a time, in order, each part with the table's row number of its
        first row: whole rows, or only ``names`` of the place columns. A held table comes
        whole, from 0; else the parts are built one after another, so that an export or a
        scan that keeps little never holds the whole table or a column of every packet
        (issue 17)."""
        if self._part is None or self._frame is not None:
            yield 0, (self.frame() if names is None else self.places(names))
            return
        only: bool | frozenset[str] = False if names is None else PACKET_PLACES & frozenset(names)
        for start in range(0, max(self.totals.count, 1 if names is None else 0), rows):
            yield start, self._part(start, start + rows, only)

    def place_parts(self, names: Collection[str], rows: int = 1 << 16
                    ) -> Iterator[tuple[int, pd.DataFrame]]:
        """``names`` of the place columns a part at a time (``parts``)."""
        return self.parts(names, rows)

    def first(self) -> pd.DataFrame:
        """The first row, whole (none when there are no packets): only its chunk is read."""
        return self.take([0] if self.totals.count else [])

    def take(self, positions: Sequence[int] | np.ndarray) -> pd.DataFrame:
        """Whole rows at ``positions`` (the table's row numbers), in that order, numbered
        from 0; only the rows between the first and the last position are built."""
        import numpy as np
        at = np.asarray(positions, dtype=np.int64)
        if self._part is None or self._frame is not None:
            return self.frame().iloc[at].reset_index(drop=True)
        if not len(at):
            return self._part(0, 0, False)
        low = int(at.min())
        return self._part(low, int(at.max()) + 1, False).iloc[at - low].reset_index(drop=True)

    def chunks(self, rows: int = 1 << 16) -> Iterator[pd.DataFrame]:
        """Whole rows a part at a time (``parts``): what CSV, JSON Lines and Parquet exports
        write."""
        return (part for _, part in self.parts(None, rows))

    def subset(self, positions: np.ndarray) -> PacketTable:
        """The table of the rows at ``positions`` (one session's), built as this one is."""
        import numpy as np
        at = np.asarray(positions, dtype=np.int64)
        places = self.places().iloc[at].reset_index(drop=True)

        def part(start: int, stop: int | None, only_places: bool | Collection[str]
                 ) -> pd.DataFrame:
            if only_places:
                part = places.iloc[start:stop].reset_index(drop=True)
                return part if only_places is True else part[
                    [c for c in part.columns if c in only_places]]
            return self.take(at[start:stop])

        return PacketTable(build=lambda: part(0, None, False),
                           totals=PacketTotals.of(places["time"], places["length"]),
                           part=part)


# part(start, stop, places): rows start to stop (None: the end) of a packets table (places:
# True, only PACKET_PLACES; a set of names, only those of them)
Part = Callable[[int, "int | None", "bool | Collection[str]"], "pd.DataFrame"]
