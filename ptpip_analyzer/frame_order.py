"""Records in frame order, as Wireshark lists them, from the engine's completion order.

The engine hands a record on when its last byte arrives, so a 64 KiB Data packet begun in
frame 100 comes after an Event that arrived whole in frame 130, and a gap after the packets
that revealed it. ``FrameOrder`` holds records in a heap by (frame, record number) and lets one
go once no record still to come can carry an earlier frame: ``Engine.oldest_open_frame`` (a
packet begun but not finished, a segment held for TCP reordering) after each piece of input.

The window is bounded: at most ``MAX_HELD_RECORDS`` records and ``MAX_HELD_BYTES`` bytes of
their packets are held (a packet can take arbitrarily long to finish: a stalled 4 GiB transfer
on one connection while another keeps talking). Past either bound the earliest held record is
let go before its turn; ``forced`` counts those, so a face can say the order was broken.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Engine, Item

MAX_HELD_RECORDS = 50_000  # ~0.5 KB each as decoded: about 25 MB at worst
MAX_HELD_BYTES = 64 << 20  # packet bytes kept with held records (dissect -x keeps payloads)


class FrameOrder:
    """Re-sorts an engine's item batches by frame within a bounded window."""

    def __init__(self, engine: Engine, max_records: int = MAX_HELD_RECORDS,
                 max_bytes: int = MAX_HELD_BYTES) -> None:
        self.engine = engine
        self.max_records, self.max_bytes = max_records, max_bytes
        self.heap: list[tuple[int, int, Item]] = []
        self.held_bytes = 0
        self.forced = 0  # records let go before an earlier one (the window was full)
        self.peak = 0  # most records held at once
        self._last_frame = 0

    def items(self, batches: Iterable[list[Item]]) -> Iterator[Item]:
        heap, push = self.heap, heapq.heappush
        for batch in batches:
            for item in batch:
                push(heap, (item.record.frame, item.index, item))
                self.held_bytes += len(getattr(item.record, "raw", b""))
                if len(heap) > self.max_records or self.held_bytes > self.max_bytes:
                    yield self._pop()
            self.peak = max(self.peak, len(heap))
            limit = self.engine.oldest_open_frame()
            while heap and (limit is None or heap[0][0] <= limit):
                yield self._pop()
        while heap:
            yield self._pop()

    def _pop(self) -> Item:
        frame, _, item = heapq.heappop(self.heap)
        self.held_bytes -= len(getattr(item.record, "raw", b""))
        if frame < self._last_frame:
            self.forced += 1
        else:
            self._last_frame = frame
        return item
