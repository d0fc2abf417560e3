"""Generated JPEGs: well-formed marker structure, distinct per seed, padded to size, and the
entropy-coded DC values decode back to the block levels (a DC-only decoder written here)."""

from __future__ import annotations

import struct

from ptpip_analyzer.simulator import jpeg


def segments(data: bytes) -> list[tuple[int, bytes]]:
    assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9"
    pos, out = 2, []
    while data[pos + 1] != 0xDA:
        marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
        out.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    out.append((0xDA, data[pos + 4:-2]))  # SOS header + scan
    return out


def decode_dc(scan: bytes, blocks: int) -> list[int]:
    bits = "".join(f"{b:08b}" for b in scan.replace(b"\xff\x00", b"\xff"))
    codes = {f"{code:0{length}b}": size for size, (code, length) in jpeg._DC_CODES.items()}
    pos, previous, levels = 0, 0, []
    for _ in range(blocks):
        word = ""
        while word not in codes:
            word, pos = word + bits[pos], pos + 1
        size = codes[word]
        raw = int(bits[pos:pos + size] or "0", 2)
        pos += size
        diff = raw if size == 0 or raw >> (size - 1) else raw - (1 << size) + 1
        previous += diff
        levels.append(previous // 8 + 128)
        assert bits[pos] == "0"  # EOB
        pos += 1
    return levels


def test_structure_and_dc_decode() -> None:
    data = jpeg.make_jpeg(seed=3, width=64, height=32)
    markers = [m for m, _ in segments(data)]
    assert markers == [0xE0, 0xDB, 0xC0, 0xC4, 0xDA]
    scan = segments(data)[-1][1][6:]
    assert decode_dc(scan, 8 * 4) == jpeg._block_levels(3, 8, 4)


def test_padded_and_distinct() -> None:
    a, b = jpeg.make_jpeg(1, size=30_000), jpeg.make_jpeg(2, size=30_000)
    assert len(a) == len(b) == 30_000 and a != b
    assert 0xFE in [m for m, _ in segments(a)]
