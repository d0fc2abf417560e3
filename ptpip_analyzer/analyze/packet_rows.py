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

from ..decode.data_phases import DataPhase
from ..model import Direction, Packet
from ..packed import CHUNK, Fields, PackedRows
from ..protocol import UNKNOWN_DATA_LENGTH

__all__ = ["CHUNK", "Fields", "PackedRows", "PacketRows", "PhaseRows"]

# name, struct code: frame, time, stream, offset, length, ptype, transaction id, code, five
# parameters, how many were sent, flags, data length, missing bytes
LAYOUT = (("frame", "q"), ("time", "d"), ("stream", "I"), ("offset", "q"), ("length", "I"),
          ("ptype", "I"), ("transaction_id", "I"), ("code", "I"), ("p1", "I"), ("p2", "I"),
          ("p3", "I"), ("p4", "I"), ("p5", "I"), ("nparams", "B"), ("flags", "B"),
          ("data_length", "Q"), ("missing", "q"))
BRIEF = LAYOUT[:3]  # EngineOptions(packet_columns=False): frame, time and stream only
TO_HOST, HAS_TRANSACTION_ID, HAS_CODE = 1, 2, 4  # flag bits
_ZEROS = tuple((0,) * (5 - n) for n in range(6))


class PacketRows(PackedRows):
    """Packets (or events), 82 bytes each (``full=False``: frame, time and stream only)."""

    __slots__ = ("full",)

    def __init__(self, full: bool = True, chunk: int = CHUNK) -> None:
        super().__init__(LAYOUT if full else BRIEF, chunk)
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
