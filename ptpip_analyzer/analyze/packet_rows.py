"""The packets and events tables' rows as the collector keeps them: one fixed-size record each.

A list per column held a Python object per cell: about 290 bytes a packet and 62 MB for
200,000 packets (issue 12). Here each packet is one ``struct.pack`` appended to a bytearray
(82 bytes, one C call), and ``columns()`` reads them back as numpy columns for the table
builders. ``None`` is a flag bit (transaction id, code) or the wire's own "unknown" value
(data length: 0xFFFFFFFFFFFFFFFF is NA in the table either way); parameters are u32 on the
wire, at most five (ptpip.ksy).
"""

from __future__ import annotations

import struct
from functools import cache
from typing import TYPE_CHECKING

from ..model import Direction, Packet
from ..protocol import UNKNOWN_DATA_LENGTH

if TYPE_CHECKING:
    import numpy as np

# name, struct code: frame, time, stream, offset, length, ptype, transaction id, code, five
# parameters, how many were sent, flags, data length, missing bytes
LAYOUT = (("frame", "q"), ("time", "d"), ("stream", "I"), ("offset", "q"), ("length", "I"),
          ("ptype", "I"), ("transaction_id", "I"), ("code", "I"), ("p1", "I"), ("p2", "I"),
          ("p3", "I"), ("p4", "I"), ("p5", "I"), ("nparams", "B"), ("flags", "B"),
          ("data_length", "Q"), ("missing", "q"))
BRIEF = LAYOUT[:3]  # EngineOptions(packet_columns=False): frame, time and stream only
TO_HOST, HAS_TRANSACTION_ID, HAS_CODE = 1, 2, 4  # flag bits
_ZEROS = tuple((0,) * (5 - n) for n in range(6))


class PacketRows:
    """Packets (or events) in arrival order, each a packed record; only ever appended to."""

    __slots__ = ("_buf", "_pack", "full", "size")

    def __init__(self, full: bool = True) -> None:
        self.full = full
        self._pack = struct.Struct("<" + "".join(code for _, code in _layout(full))).pack
        self._buf = bytearray()
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(self, p: Packet) -> None:
        self.size += 1
        if not self.full:
            self._buf += self._pack(p.frame, p.time, p.stream)
            return
        params, tid, code, length = p.params, p.transaction_id, p.code, p.data_length
        n = len(params)
        params = params + _ZEROS[n] if n <= 5 else params[:5]
        flags = (p.direction is Direction.TO_INITIATOR) | (tid is not None) << 1 \
            | (code is not None) << 2
        self._buf += self._pack(
            p.frame, p.time, p.stream, p.offset, p.length, p.ptype, tid or 0, code or 0,
            *params, min(n, 5), flags, UNKNOWN_DATA_LENGTH if length is None else length,
            p.missing)

    def columns(self, start: int = 0) -> Fields:
        """Rows ``start`` on, field by field (``Fields``)."""
        return Fields(self, start)

    def field(self, name: str, start: int = 0) -> np.ndarray:
        """One field of rows ``start`` on, as an aligned numpy array (a copy: the rows can go
        on growing, and ``release()`` can drop them)."""
        import numpy as np
        dtype = _dtype(self.full)
        if start >= self.size:
            return np.zeros(0, dtype[name])
        view = np.frombuffer(self._buf, dtype=dtype, offset=start * dtype.itemsize)
        try:
            return np.array(view[name])
        finally:
            del view  # the bytearray can be resized again

    def release(self) -> None:
        """Drop the rows (a capture built for the last time: ``load()``)."""
        self._buf, self.size = bytearray(), 0


class Fields:
    """The fields of ``PacketRows`` from row ``start`` on; each field is read (copied) when
    first asked for, so a table builder holds one copy at a time beside the rows."""

    __slots__ = ("_rows", "_start")

    def __init__(self, rows: PacketRows, start: int) -> None:
        self._rows, self._start = rows, start

    def __getitem__(self, name: str) -> np.ndarray:
        return self._rows.field(name, self._start)

    def __len__(self) -> int:
        return max(0, self._rows.size - self._start)


def _layout(full: bool) -> tuple[tuple[str, str], ...]:
    return LAYOUT if full else BRIEF


@cache
def _dtype(full: bool) -> np.dtype:
    import numpy as np
    return np.dtype([(name, "<" + code) for name, code in _layout(full)])
