"""Small valid baseline JPEGs in pure Python, for generated camera objects.

Grayscale, one 8x8 block per DC coefficient and no AC energy (every block ends with EOB), so the
entropy coder needs only the ITU T.81 Annex K luminance DC table and a one-code AC table. Each
image draws a pattern from its seed, so every generated object has distinct content; a COM
segment pads it to the wanted size (objects of a few tens of KB, like the issue asks).
"""

from __future__ import annotations

import random
import struct

# ITU T.81 table K.3: luminance DC code lengths (counts per length 1..16) and symbols.
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALUES = tuple(range(12))
# AC table with a single 1-bit code "0" for EOB (0x00): all the blocks need.
_AC_BITS = (1,) + (0,) * 15
_AC_VALUES = (0x00,)
_MAX_SEGMENT = 65533  # segment length field is u16 and counts itself


def _segment(marker: int, body: bytes) -> bytes:
    return struct.pack(">HH", 0xFF00 | marker, len(body) + 2) + body


def _huffman_codes(bits: tuple[int, ...], values: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    """Canonical Huffman codes (T.81 annex C): symbol -> (code, length)."""
    codes: dict[int, tuple[int, int]] = {}
    code, index = 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[index]] = (code, length)
            code, index = code + 1, index + 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS, _DC_VALUES)


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def write(self, value: int, length: int) -> None:
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.count += length
        while self.count >= 8:
            self.count -= 8
            byte = (self.acc >> self.count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0x00)  # byte stuffing, T.81 F.1.2.3

    def flush(self) -> bytes:
        if self.count:
            self.write(0x7F, 8 - self.count)  # pad with 1-bits
        return bytes(self.out)


def _encode_dc(writer: _BitWriter, diff: int) -> None:
    size = abs(diff).bit_length()
    code, length = _DC_CODES[size]
    writer.write(code, length)
    if size:
        writer.write(diff if diff > 0 else diff + (1 << size) - 1, size)
    writer.write(0, 1)  # EOB: no AC coefficients


def _block_levels(seed: int, blocks_x: int, blocks_y: int) -> list[int]:
    """Block means (0..255), a seeded gradient plus noise so each seed looks different."""
    rng = random.Random(seed)
    fx, fy, base = rng.randint(1, 12), rng.randint(1, 12), rng.randint(0, 255)
    return [(base + fx * x + fy * y + rng.randint(0, 24)) % 256
            for y in range(blocks_y) for x in range(blocks_x)]


def _scan(levels: list[int]) -> bytes:
    writer, previous = _BitWriter(), 0
    for level in levels:
        dc = (level - 128) * 8  # DC of the level-shifted block with quantiser 1
        _encode_dc(writer, dc - previous)
        previous = dc
    return writer.flush()


_JFIF = _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


def _headers(width: int, height: int) -> bytes:
    dqt = _segment(0xDB, b"\x00" + b"\x01" * 64)
    sof = _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    dht = _segment(0xC4, b"\x00" + bytes(_DC_BITS) + bytes(_DC_VALUES)
                   + b"\x10" + bytes(_AC_BITS) + bytes(_AC_VALUES))
    sos = _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return dqt + sof + dht + sos


def _padding(seed: int, size: int) -> bytes:
    """COM segments of seeded printable text, ``size`` bytes in all (approximately, >= 0)."""
    rng = random.Random(seed ^ 0x5EED)
    out = bytearray()
    while size > 4:
        body = min(size - 4, _MAX_SEGMENT - 2)
        out += _segment(0xFE, bytes(rng.randint(0x20, 0x7E) for _ in range(body)))
        size -= body + 4
    return bytes(out)


def make_jpeg(seed: int, width: int = 320, height: int = 240, size: int = 0) -> bytes:
    """A baseline grayscale JPEG of ``width`` x ``height`` (multiples of 8); padded to ``size``."""
    if width % 8 or height % 8:
        raise ValueError("width and height must be multiples of 8")
    body = _headers(width, height) + _scan(_block_levels(seed, width // 8, height // 8))
    core = len(body) + len(_JFIF) + 4  # SOI + EOI
    # COM padding after APP0: JFIF wants its APP0 right after SOI.
    return b"\xff\xd8" + _JFIF + _padding(seed, size - core) + body + b"\xff\xd9"
