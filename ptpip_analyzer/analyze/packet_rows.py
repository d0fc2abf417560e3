"""The packets and events tables' rows as the collector keeps them: one fixed-size record each.

A list per column held a Python object per cell: about 290 bytes a packet and 62 MB for
200,000 packets (issue 12). Here each packet is one ``struct.pack`` appended to a bytearray
(82 bytes, one C call), and ``columns()`` reads them back as numpy columns for the table
builders. ``None`` is a flag bit (transaction id, code) or the wire's own "unknown" value
(data length: 0xFFFFFFFFFFFFFFFF is NA in the table either way); parameters are u32 on the
wire, at most five (ptpip.ksy).

Rows come in chunks of ``CHUNK``: a full chunk is turned into its fields and each field
compressed (zlib, fastest level). Packed rows were still 82 bytes a packet: a 98 MB capture
of 1,120,000 small packets held 92 MB of them before any table (issue 17); a field of
consecutive packets changes little (frame numbers, times, offsets climb; the rest repeat), so
a chunk takes about a twelfth of that, for ~0.5 s of CPU per million rows.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache
from typing import TYPE_CHECKING

from ..decode.data_phases import DataPhase
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
CHUNK = 1 << 16  # rows a chunk holds before it is compressed


class PackedRows:
    """Rows of one fixed layout (name, struct code) in arrival order; only appended to."""

    __slots__ = ("_buf", "_dtype", "_pack", "_sealed", "size")

    def __init__(self, layout: tuple[tuple[str, str], ...]) -> None:
        self._pack = struct.Struct("<" + "".join(code for _, code in layout)).pack
        self._dtype = _dtype(layout)
        self._buf = bytearray()  # the open chunk, row after row
        self._sealed: list[dict[str, bytes]] = []  # full chunks: each field compressed
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def append(self, *values: object) -> None:
        self.size += 1
        self._buf += self._pack(*values)
        if self.size % CHUNK == 0:
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
        first, last = start // CHUNK, (stop - 1) // CHUNK
        parts = [np.frombuffer(zlib.decompress(chunk[name]), dtype)
                 for chunk in self._sealed[first:last + 1]]
        if last >= len(self._sealed) and self._buf:
            view = np.frombuffer(self._buf, dtype=self._dtype)
            parts.append(np.array(view[name]))
            del view  # the bytearray can be resized again
        skip = start - first * CHUNK
        whole = np.concatenate(parts) if len(parts) > 1 else parts[0]
        if len(parts) > 1 and skip == 0 and len(whole) == stop - start:
            return whole  # (already a copy)
        return np.array(whole[skip:skip + stop - start])

    def release(self) -> None:
        """Drop the rows (a capture built for the last time: ``load()``)."""
        self._buf, self._sealed, self.size = bytearray(), [], 0


class PacketRows(PackedRows):
    """Packets (or events), 82 bytes each (``full=False``: frame, time and stream only)."""

    __slots__ = ("full",)

    def __init__(self, full: bool = True) -> None:
        super().__init__(LAYOUT if full else BRIEF)
        self.full = full

    def add(self, p: Packet) -> None:
        if not self.full:
            self.append(p.frame, p.time, p.stream)
            return
        params, tid, code, length = p.params, p.transaction_id, p.code, p.data_length
        n = len(params)
        params = params + _ZEROS[n] if n <= 5 else params[:5]
        flags = (p.direction is Direction.TO_INITIATOR) | (tid is not None) << 1 \
            | (code is not None) << 2
        self.append(
            p.frame, p.time, p.stream, p.offset, p.length, p.ptype, tid or 0, code or 0,
            *params, min(n, 5), flags, UNKNOWN_DATA_LENGTH if length is None else length,
            p.missing)


# data phases: the request's opcode and Start Data's total may be unknown (flags), the decoded
# dataset is a name's index in PhaseRows.datasets (0: none)
PHASE_LAYOUT = (("stream", "I"), ("transaction_id", "I"), ("opcode", "I"),
                ("announced", "Q"), ("size", "q"), ("first_frame", "q"), ("last_frame", "q"),
                ("start", "d"), ("end", "d"), ("dataset", "H"), ("flags", "B"))
HAS_OPCODE, HAS_ANNOUNCED, COMPLETE = 2, 4, 8  # flag bits (TO_HOST as in packets)


class PhaseRows(PackedRows):
    """Finished data phases, 63 bytes each: sizes, frames and times, no payload (the decoded
    datasets the tables need are kept where they are used: StreamFacts.device_info)."""

    __slots__ = ("datasets",)

    def __init__(self) -> None:
        super().__init__(PHASE_LAYOUT)
        self.datasets: dict[str | None, int] = {None: 0}

    def add(self, phase: DataPhase, dataset: str | None) -> None:
        code = self.datasets.setdefault(dataset, len(self.datasets))
        opcode, announced = phase.opcode, phase.announced
        flags = (phase.direction is Direction.TO_INITIATOR) | (opcode is not None) << 1 \
            | (announced is not None) << 2 | phase.complete << 3
        self.append(phase.stream, phase.transaction_id, opcode or 0, announced or 0, phase.size,
                    phase.first_frame, phase.last_frame, phase.start, phase.end, code, flags)

    def dataset_names(self) -> list[str | None]:
        return list(self.datasets)


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
