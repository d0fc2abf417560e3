"""PTP meaning of each record: vendor in force, named parameters, decoded dataset.

Sans-IO over the ``(Connection, Record)`` stream, in capture order. It assembles data phases
(``DataPhaseAssembler``), decodes each one's dataset by its operation (``datasets``), learns
the vendor per session (``VendorDetector``, fed by the Init Command Ack, DeviceInfo and the
operations used) and each property's DataType from DevicePropDesc, so that later property
values decode typed. ``describe`` shows the result; ``analyze.properties`` builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Connection, Packet, Record
from ..protocol import PacketType
from .data_phases import DataPhase, DataPhaseAssembler
from .dataset_decoder import decode_dataset
from .dataset_types import DeviceInfo, DevicePropDesc
from .datasets import DatasetResult, Decoded
from .params import NamedParam, event_params, request_params, response_params
from .tables import VENDORS
from .vendor import VendorDetector, session_key


@dataclass(frozen=True, slots=True)
class Annotation:
    vendor: str | None
    params: tuple[NamedParam, ...] = ()
    opcode: int | None = None  # the operation a response or data packet belongs to
    data_phase: DataPhase | None = None  # the data phase this record completed
    dataset: DatasetResult | None = None


# Requests remembered per connection: it runs one transaction at a time and queues few
# behind it (validate/command.py MAX_WAITING)
OPCODES_KEPT = 64
_REQUEST = int(PacketType.OPERATION_REQUEST)  # (a plain int: compared on every packet)


class Annotator:
    def __init__(self, vendor: str | None = None) -> None:
        self.vendors = VendorDetector(vendor)
        self.assembler = DataPhaseAssembler()
        self.prop_types: dict[bytes, dict[int, int]] = {}
        # stream -> transaction id -> opcode of its latest requests: the packets that follow
        # a request name its parameters by it. A connection's oldest go past OPCODES_KEPT
        # (one entry per transaction was 30 MB at 280,000 transactions, issue 17).
        self._opcodes: dict[int, dict[int, int]] = {}

    def feed(self, conn: Connection, record: Record) -> Annotation:
        phases = self.assembler.feed(conn, record)
        if not isinstance(record, Packet):
            return Annotation(self.vendors.vendor(conn))
        self.vendors.packet(conn, record)
        if record.ptype == _REQUEST and record.code is not None \
                and record.transaction_id is not None:
            keep_latest(self._opcodes.setdefault(record.stream, {}), record.transaction_id,
                        record.code, OPCODES_KEPT)
        phase, dataset = self._phase(conn, phases)
        vendor = self.vendors.vendor(conn)
        opcodes = self._opcodes.get(record.stream)
        opcode = opcodes.get(record.transaction_id or 0) if opcodes is not None else None
        return Annotation(vendor, tuple(self._params(record, opcode, vendor)), opcode, phase,
                          dataset)

    def close(self) -> list[tuple[DataPhase, DatasetResult | None]]:
        """Data phases still open at the end of the capture (not decoded: incomplete)."""
        return [(phase, None) for phase in self.assembler.close()]

    def _phase(self, conn: Connection,
               phases: list[DataPhase]) -> tuple[DataPhase | None, DatasetResult | None]:
        phase = phases[-1] if phases else None
        if phase is None or phase.payload is None or phase.opcode is None:
            return phase, None
        return phase, self.decode(conn, phase)

    def decode(self, conn: Connection, phase: DataPhase) -> DatasetResult | None:
        assert phase.payload is not None and phase.opcode is not None
        vendor = self.vendors.vendor(conn)
        table = VENDORS.get(vendor) if vendor else None
        mtp = table is None or table.key == "mtp" or table.get("operation", phase.opcode) is None
        types = self.prop_types.setdefault(session_key(conn), {})
        result = decode_dataset(phase.opcode, phase.payload, phase.params, types, mtp, vendor)
        if isinstance(result, Decoded):
            self._learn(conn, result, types)
        return result

    def _learn(self, conn: Connection, result: Decoded, types: dict[int, int]) -> None:
        if isinstance(result.value, DeviceInfo):
            self.vendors.device_info(conn, result.value)
        elif isinstance(result.value, DevicePropDesc):
            types[result.value.code] = result.value.data_type

    def _params(self, p: Packet, opcode: int | None, vendor: str | None) -> list[NamedParam]:
        if p.ptype == 6 and p.code is not None:
            return request_params(p.code, p.params, vendor)
        if p.ptype == 7:
            return response_params(opcode, p.params, vendor)
        if p.ptype == 8 and p.code is not None:
            return event_params(p.code, p.params, vendor)
        return []


def annotate(pairs: Iterable[tuple[Connection, Record]], vendor: str | None = None
             ) -> Iterator[tuple[Connection, Record, Annotation]]:
    """Each record with its annotation, in order."""
    annotator = Annotator(vendor)
    for conn, record in pairs:
        yield conn, record, annotator.feed(conn, record)


def keep_latest(latest: dict[int, Any], key: int, value: Any, limit: int) -> None:
    """``latest[key] = value`` as the newest entry; the oldest goes past ``limit`` entries
    (what a connection remembers of its latest requests stays bounded whatever it sends)."""
    latest.pop(key, None)
    latest[key] = value
    if len(latest) > limit:
        del latest[next(iter(latest))]
