"""Records in frame order, as Wireshark lists them, from the engine's completion order.

The engine hands a record on when its last byte arrives, so a 64 KiB Data packet begun in
frame 100 comes after an Event that arrived whole in frame 130, and a gap after the packets
that revealed it. ``FrameOrder`` holds records by (frame, record number) and lets one
go once no record still to come can carry an earlier frame: ``Engine.oldest_open_frame`` (a
packet begun but not finished, a segment held for TCP reordering) after each piece of input.

The window is bounded: at most ``MAX_HELD_RECORDS`` records and ``MAX_HELD_BYTES`` bytes of
their packets are held (a packet can take arbitrarily long to finish: a stalled 4 GiB transfer
on one connection while another keeps talking). Past either bound the earliest held record is
let go before its turn; ``forced`` counts those, so a face can say the order was broken.
Measured (benchmarks/frame_order_bench.py): on a 160,004-record generated capture the window
peaks at one input piece's records (11,984) and peak RSS and time are those of completion order
within noise (39.6 against 39.8 MB, 4.50 against 4.49 s).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Engine, Item

MAX_HELD_RECORDS = 50_000  # ~0.5 KB each as decoded: about 25 MB at worst
MAX_HELD_BYTES = 64 << 20  # packet bytes kept with held records (dissect -x keeps payloads)


_frame: Callable[[Item], int] = attrgetter("record.frame")  # the sort key (in C: per record)


class FrameOrder:
    """Re-sorts an engine's item batches by frame within a bounded window.

    Per batch (one piece of input): sort it (Timsort: linear when, as usual, it is nearly in
    order), merge it with what is held, let go of everything up to the engine's oldest open
    frame. The per-record cost is a sort key and a list slot, not a heap operation."""

    def __init__(self, engine: Engine, max_records: int = MAX_HELD_RECORDS,
                 max_bytes: int = MAX_HELD_BYTES) -> None:
        self.engine = engine
        self.max_records, self.max_bytes = max_records, max_bytes
        self.held: list[Item] = []  # sorted by frame, then record number
        self.held_bytes = 0
        self.forced = 0  # records let go after a later frame (the window was full)
        self.peak = 0  # most records held at once
        self._last_frame = 0

    def items(self, batches: Iterable[list[Item]]) -> Iterator[Item]:
        for ready in self.batches(batches):
            yield from ready

    def batches(self, batches: Iterable[list[Item]]) -> Iterator[list[Item]]:
        """As ``items``, a list per input piece (its records that are due; maybe none)."""
        for batch in batches:
            if not batch:
                continue
            batch.sort(key=_frame)  # stable: equal frames stay in record order
            held = self.held + batch if self.held else batch
            if self.held and _frame(self.held[-1]) > _frame(batch[0]):
                held.sort(key=_frame)  # two sorted runs: one linear merge
            limit = self.engine.oldest_open_frame()
            cut = len(held) if limit is None else bisect.bisect_right(held, limit, key=_frame)
            cut = max(cut, self._overflow(held, cut))
            self.peak = max(self.peak, len(held))
            yield self._let_go(held[:cut])
            self.held = held[cut:]
        yield self._let_go(self.held)
        self.held = []
        self.held_bytes = 0

    def _overflow(self, held: list[Item], cut: int) -> int:
        """How many records must go for the rest to fit the bounds."""
        over = len(held) - cut - self.max_records
        if self.max_bytes is not None:
            sizes = [len(getattr(i.record, "raw", b"")) for i in held[cut:]]
            total = sum(sizes)
            self.held_bytes = total
            n = 0
            while total > self.max_bytes and n < len(sizes):
                total -= sizes[n]
                n += 1
            self.held_bytes = total
            over = max(over, n)
        return cut + max(over, 0)

    def _let_go(self, items: list[Item]) -> list[Item]:
        if items:
            first = _frame(items[0])
            if first < self._last_frame:  # the window was full before: out of turn
                self.forced += bisect.bisect_left(items, self._last_frame, key=_frame)
            self._last_frame = max(self._last_frame, _frame(items[-1]))
        return items
