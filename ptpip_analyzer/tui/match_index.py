"""Which rows a filter keeps, found lazily: the first screenful at once, the rest in a worker.

A display filter over 500,000 packets costs seconds in Python (a row dict and a test each), so
the list does not wait for all of them: ``MatchIndex.scan`` tests rows in order, appending
matching source indices to ``matches`` (an array: appends and reads are safe across the
worker and the UI thread), and the table shows ``matches`` as it grows. The app scans the first
rows on the event loop until a page is found or ``FIRST_PAGE_S`` has passed, then hands the
rest to a thread worker; a new filter cancels the old scan (``cancelled``).
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable

FIRST_PAGE_S = 0.05  # spent on the event loop for the first screenful, at most
BATCH = 256  # rows tested between looks at the clock and at cancellation (~10 ms)


class MatchIndex:
    """The source indices for which ``test`` holds, in source order, found from 0 upwards."""

    def __init__(self, test: Callable[[int], bool]) -> None:
        self.test = test
        self.matches: array[int] = array("q")
        self.scanned = 0  # rows tested so far
        self.cancelled = False
        self.error: str | None = None  # a row the test could not read stops the scan

    def __len__(self) -> int:
        return len(self.matches)

    def __getitem__(self, i: int) -> int:
        return self.matches[i]

    def scan(self, total: int, want: int | None = None, budget_s: float | None = None) -> bool:
        """Test rows up to ``total``; stop early once ``want`` matches are known or after
        ``budget_s``. True when every row up to ``total`` has been tested."""
        deadline = None if budget_s is None else time.perf_counter() + budget_s
        test, append = self.test, self.matches.append
        while self.scanned < total and not self.cancelled:
            stop = min(total, self.scanned + BATCH)
            try:
                for i in range(self.scanned, stop):
                    if test(i):
                        append(i)
            except Exception as exc:  # noqa: BLE001  a row the filter can't read: say so
                self.error = f"{exc.__class__.__name__}: {exc}"
                self.cancelled = True
                break
            self.scanned = stop
            if want is not None and len(self.matches) >= want:
                return False
            if deadline is not None and time.perf_counter() > deadline:
                return False
        return self.scanned >= total

    def next_after(self, row: int, total: int, backwards: bool = False) -> int | None:
        """The next source row after (or before) ``row`` that passes, testing as needed
        (for n / N: the matches need not be scanned that far yet)."""
        step = -1 if backwards else 1
        i = row + step
        while 0 <= i < total:
            if self.test(i):
                return i
            i += step
        return None
