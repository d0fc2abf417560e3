"""Rows of one fixed layout, packed and compressed a chunk at a time (``PackedRows``).

A list per column holds a Python object per cell (~290 bytes a packet, issue 12); a packed row
is one ``struct.pack`` appended to a bytearray. Rows come in chunks: a full chunk is turned
into its fields and each field compressed (zlib, fastest level). A field of consecutive rows
changes little (frame numbers, times, offsets climb; the rest repeat), so a chunk takes about
a twelfth of its packed size (issue 17), for ~0.5 s of CPU per million rows. Fields are read
back as numpy columns (the table builders); a row, as a tuple (``row``), from the few chunks
read last. Used by the collector's packets, events and data phases (analyze.packet_rows) and
the validator's finished transactions (validate.transaction_store).
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

CHUNK = 1 << 16  # rows a chunk holds before it is compressed (the default)
_DECODED = 4  # chunks kept decoded for ``row`` (reads by start frame stay near each other)


class PackedRows:
    """Rows of one fixed layout (name, struct code) in arrival order; only appended to."""

    __slots__ = ("_buf", "_chunk", "_decoded", "_dtype", "_pack", "_sealed", "_struct", "size")

    def __init__(self, layout: tuple[tuple[str, str], ...], chunk: int = CHUNK) -> None:
        self._struct = struct.Struct("<" + "".join(code for _, code in layout))
        self._pack = self._struct.pack
        self._dtype = _dtype(layout)
        self._chunk = chunk
        self._buf = bytearray()  # the open chunk, row after row
        self._sealed: list[dict[str, bytes]] = []  # full chunks: each field compressed
        self._decoded: OrderedDict[int, Any] = OrderedDict()  # chunk -> its rows (``row``)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def append(self, *values: object) -> None:
        """Appends a row (struct.error or OverflowError when a value does not fit its field:
        nothing is appended then)."""
        self._buf += self._pack(*values)
        self.size += 1
        if self.size % self._chunk == 0:
            self._seal()

    def _seal(self) -> None:
        import numpy as np
        rows = np.frombuffer(self._buf, dtype=self._dtype)
        self._sealed.append({name: zlib.compress(np.ascontiguousarray(rows[name]).tobytes(), 1)
                             for name in self._dtype.names or ()})
        del rows  # the bytearray can be let go
        self._buf = bytearray()

    def columns(self, start: int = 0, stop: int | None = None) -> Fields:
        """Rows ``start`` on (up to ``stop``), field by field (``Fields``)."""
        return Fields(self, start, stop)

    def field(self, name: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """One field of rows ``start`` on (up to ``stop``), as an aligned numpy array (a copy:
        the rows can go on growing, and ``release()`` can drop them). Only the chunks that
        hold those rows are read."""
        import numpy as np
        dtype = self._dtype[name]
        stop = self.size if stop is None else min(stop, self.size)
        if start >= stop:
            return np.zeros(0, dtype)
        chunk = self._chunk
        first, last = start // chunk, (stop - 1) // chunk
        parts = [np.frombuffer(zlib.decompress(chunk[name]), dtype)
                 for chunk in self._sealed[first:last + 1]]
        if last >= len(self._sealed) and self._buf:
            view = np.frombuffer(self._buf, dtype=self._dtype)
            parts.append(np.array(view[name]))
            del view  # the bytearray can be resized again
        skip = start - first * chunk
        whole = np.concatenate(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1 and skip == 0 and len(whole) == stop - start:
            return whole  # (already a copy)
        return np.array(whole[skip:skip + stop - start])

    def row(self, index: int) -> tuple[Any, ...]:
        """Row ``index`` (0 <= index < size) as the tuple of its values."""
        chunk, at = divmod(index, self._chunk)
        if chunk >= len(self._sealed):
            return self._struct.unpack_from(self._buf, at * self._struct.size)
        rows = self._decoded.get(chunk)
        if rows is None:
            rows = self._decoded[chunk] = self._decode(chunk)
            if len(self._decoded) > _DECODED:
                self._decoded.popitem(last=False)
        else:
            self._decoded.move_to_end(chunk)
        found: tuple[Any, ...] = rows[at]
        return found

    def _decode(self, chunk: int) -> list[tuple[Any, ...]]:
        import numpy as np
        fields = self._sealed[chunk]
        rows = np.zeros(self._chunk, self._dtype)
        for name, data in fields.items():
            rows[name] = np.frombuffer(zlib.decompress(data), self._dtype[name])
        return rows.tolist()

    def release(self) -> None:
        """Drop the rows (a capture built for the last time: ``load()``)."""
        self._buf, self._sealed, self.size = bytearray(), [], 0
        self._decoded.clear()




class Fields:
    """The fields of ``PacketRows`` from row ``start`` on (up to ``stop``); each field is read
    (copied) when first asked for, so a table builder holds one copy at a time beside the
    rows."""

    __slots__ = ("_rows", "_start", "_stop")

    def __init__(self, rows: PackedRows, start: int, stop: int | None = None) -> None:
        self._rows, self._start, self._stop = rows, start, stop

    def __getitem__(self, name: str) -> np.ndarray:
        return self._rows.field(name, self._start, self._stop)

    def __len__(self) -> int:
        stop = self._rows.size if self._stop is None else min(self._stop, self._rows.size)
        return max(0, stop - self._start)


@cache
def _dtype(layout: tuple[tuple[str, str], ...]) -> np.dtype:
    import numpy as np
    return np.dtype([(name, "<" + code) for name, code in layout])
