"""One pass over the record stream, collecting the rows of the capture's tables as columns.

Sans-IO like the stages upstream: the engine feeds ``feed(conn, record, annotation)`` for every
record, with the annotator and the findings it owns, so a file is read once however many
tables are built. Packets and events are packed records (``packet_rows``), gaps column lists;
all only grow (no payload bytes): a table view takes the rows past its last look. Session numbers and vendor-aware names are resolved when a table
is built (``refresh()``), so they can change while a capture is read without rewriting rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..decode.annotate import Annotation, Annotator
from ..decode.codes import PacketType
from ..decode.data_phases import DataPhase
from ..decode.datasets import DatasetResult, Decoded
from ..export.objects import ObjectReassembler, ObjectTransfer
from ..model import Connection, Direction, Endpoint, Finding, Gap, Packet, Record
from .packet_rows import PacketRows, PhaseRows
from .properties import PropertyTimeline

Columns = dict[str, list[Any]]
DIRECTION_NAMES = {Direction.TO_RESPONDER: "to_camera", Direction.TO_INITIATOR: "to_host"}


@dataclass(slots=True)
class StreamFacts:
    """What a connection's handshake and timing told about it."""

    responder: Endpoint
    first_time: float
    last_time: float
    initiator_guid: bytes | None = None
    initiator_name: str | None = None
    camera_guid: bytes | None = None
    camera_name: str | None = None
    refused: bool = False
    device_info: Any = None  # decode.dataset_types.DeviceInfo, when a GetDeviceInfo was seen
    vendor: str | None = None  # the vendor table in force (decode.vendor), at the end


@dataclass(slots=True)
class CaptureCollector:
    annotator: Annotator  # the engine's: data phases, datasets, vendor
    packets: PacketRows = field(default_factory=PacketRows)
    events: PacketRows = field(default_factory=PacketRows)
    gaps: Columns = field(default_factory=lambda: defaultdict(list))
    streams: dict[int, StreamFacts] = field(default_factory=dict)
    phases: PhaseRows = field(default_factory=PhaseRows)
    findings: list[Finding] = field(default_factory=list)  # the engine's list, shared
    properties: PropertyTimeline = field(default_factory=PropertyTimeline)
    connections: dict[int, Connection] = field(default_factory=dict)
    t0: float | None = None
    # the one object reassembler (export-objects runs it too), every ObjectInfo kept: the
    # objects table has a row for each
    objects: ObjectReassembler = field(default_factory=lambda: ObjectReassembler(max_infos=None))
    object_transfers: list[ObjectTransfer] = field(default_factory=list)
    packet_columns: bool = True  # False: only frame, time and stream (EngineOptions)

    def __post_init__(self) -> None:
        if not self.packet_columns and self.packets.full and not self.packets:
            self.packets = PacketRows(full=False)

    def feed(self, conn: Connection, record: Record, note: Annotation) -> None:
        self.object_transfers += self.objects.feed(conn, record)
        if note.data_phase is not None:
            self._on_phase(note.data_phase, note.dataset)
        self.properties.feed(conn, record, note)
        if self.t0 is None:
            self.t0 = record.time
        self._facts(conn, record.time)
        if isinstance(record, Packet):
            self._on_packet(conn, record)
        else:
            self._on_lost(record)

    def close_phases(self) -> None:
        """End of capture: data phases still open come out (incomplete, not decoded), and the
        objects still being put together."""
        self.object_transfers += self.objects.close()
        for phase, dataset in self.annotator.close():
            self._on_phase(phase, dataset)

    def refresh(self) -> None:
        """Resolve the late columns (each connection's vendor as detected so far)."""
        for stream, conn in self.connections.items():
            self.streams[stream].vendor = self.annotator.vendors.vendor(conn)

    def vendor_of(self, stream: int) -> str | None:
        facts = self.streams.get(stream)
        return facts.vendor if facts is not None else None

    def _facts(self, conn: Connection, time: float) -> StreamFacts:
        facts = self.streams.get(conn.stream)
        if facts is None:
            facts = self.streams[conn.stream] = StreamFacts(conn.responder, time, time)
            self.connections[conn.stream] = conn
        facts.last_time = max(facts.last_time, time)
        return facts

    def _on_packet(self, conn: Connection, p: Packet) -> None:
        self.packets.add(p)
        if p.ptype == PacketType.EVENT:
            self.events.add(p)
        elif p.ptype <= PacketType.INIT_FAIL:
            self._on_handshake(p)

    def _on_handshake(self, p: Packet) -> None:
        facts = self.streams[p.stream]
        if p.ptype == PacketType.INIT_COMMAND_REQUEST:
            facts.initiator_guid, facts.initiator_name = p.guid, p.name
        elif p.ptype == PacketType.INIT_COMMAND_ACK:
            facts.camera_guid, facts.camera_name = p.guid, p.name
        elif p.ptype == PacketType.INIT_FAIL:
            facts.refused = True

    def _on_lost(self, r: Record) -> None:
        cols = self.gaps
        cols["kind"].append("gap" if isinstance(r, Gap) else "malformed")
        for name in ("frame", "time", "stream", "offset", "length", "reason"):
            cols[name].append(getattr(r, name))
        cols["direction"].append(DIRECTION_NAMES[r.direction])

    def _on_phase(self, phase: DataPhase, dataset: DatasetResult | None) -> None:
        name, value = (dataset.name, dataset.value) if isinstance(dataset, Decoded) \
            else (None, None)
        # the bytes are dropped here: tables hold sizes and the dataset's name only (object
        # digests come from the object reassembler, DeviceInfo goes to its stream's facts)
        self.phases.add(phase, name)
        if name == "DeviceInfo" and phase.stream in self.streams:
            self.streams[phase.stream].device_info = value

