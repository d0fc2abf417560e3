"""Stream accounting invariants, shared by the capture-corpus test and the fuzz harnesses.

Every byte of each stream direction is in exactly one of packet, gap or malformed, and the
records' byte ranges tile the direction: packets, malformed regions and the gaps outside any
packet follow each other without overlap from offset 0 to the stream's total. A gap inside a
packet (a packet that lost bytes) nests in it, and those nested gaps add up to the packet's
``missing`` count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ptpip_analyzer.model import Connection, Direction, Gap, Packet, Record
from ptpip_analyzer.pipeline import StreamAccounting

Key = tuple[int, Direction]


def check_records(pairs: Iterable[tuple[Connection, Record]],
                  accounting: dict[Key, StreamAccounting]) -> None:
    """Raise AssertionError naming the first stream direction whose records don't tile."""
    by_key: dict[Key, list[Record]] = defaultdict(list)
    for _, record in pairs:
        by_key[(record.stream, record.direction)].append(record)
    for key, books in accounting.items():
        assert books.balanced, f"{key}: {books}"
        check_tiling(key, by_key.pop(key, []), books.total)
    assert not by_key, f"records of streams without accounting: {sorted(by_key)}"


def check_tiling(key: Key, records: list[Record], total: int) -> None:
    packets = sorted((r for r in records if isinstance(r, Packet)), key=lambda r: r.offset)
    gaps = sorted((r for r in records if isinstance(r, Gap)), key=lambda r: r.offset)
    nested, top = _nest(key, packets, gaps)
    tops = sorted([*top, *(r for r in records if not isinstance(r, Packet | Gap)), *packets],
                  key=lambda r: r.offset)
    pos = 0
    for r in tops:
        assert r.length > 0, f"{key}: empty record {r!r}"
        assert r.offset == pos, f"{key}: record at {r.offset} where {pos} was expected: {r!r}"
        pos += r.length
    assert pos == total, f"{key}: records end at {pos}, stream total {total}"
    for p in packets:
        assert nested.get(p.offset, 0) == p.missing, \
            f"{key}: packet at {p.offset} misses {p.missing} bytes, gaps inside hold " \
            f"{nested.get(p.offset, 0)}"


def _nest(key: Key, packets: list[Packet], gaps: list[Gap]) -> tuple[dict[int, int], list[Gap]]:
    """Gaps inside a packet (by packet offset: bytes), and the gaps outside every packet."""
    nested: dict[int, int] = defaultdict(int)
    top: list[Gap] = []
    i = 0
    for g in gaps:
        while i < len(packets) and packets[i].offset + packets[i].length <= g.offset:
            i += 1
        if i < len(packets) and packets[i].offset <= g.offset:
            p = packets[i]
            assert g.offset + g.length <= p.offset + p.length, \
                f"{key}: gap {g.offset}+{g.length} straddles the end of packet {p.offset}" \
                f"+{p.length}"
            nested[p.offset] += g.length
        else:
            top.append(g)
    return nested, top
