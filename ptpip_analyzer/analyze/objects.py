"""The objects table: one row per (session, object handle), from ObjectInfo and object data.

ISO 15740 section 10.5: GetObjectInfo (0x1008) names its handle in parameter 1 and returns
ObjectInfo; GetObject (0x1009), GetThumb (0x100A) and GetPartialObject (0x101B) name the handle
in parameter 1; SendObjectInfo (0x100C) sends ObjectInfo and learns the new handle from the
response's third parameter, and the SendObject (0x100D) that follows carries that object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..decode.data_phases import DataPhase
from .collect import PhaseFacts
from .ptp_dates import ptp_date
from .schema import SCHEMAS, frame
from .transactions import Transaction

GET_OBJECT_INFO, GET_OBJECT, GET_THUMB = 0x1008, 0x1009, 0x100A
SEND_OBJECT_INFO, SEND_OBJECT, GET_PARTIAL_OBJECT = 0x100C, 0x100D, 0x101B


@dataclass(slots=True)
class _Object:
    session: int | None
    handle: int
    info: Any = None  # decode.dataset_types.ObjectInfo
    transfer: str | None = None
    phases: list[PhaseFacts] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    requests: list[Transaction] = field(default_factory=list)
    thumb_bytes: int = 0


class ObjectTable:
    def __init__(self, transactions: Sequence[Transaction], session_of: Mapping[int, int]):
        self._tx = {(t.stream, t.transaction_id): t for t in transactions}
        self._session_of = session_of
        self._objects: dict[tuple[int | None, int], _Object] = {}
        self._upload: dict[int, int] = {}  # stream -> handle announced by SendObjectInfo

    def add(self, fact: PhaseFacts) -> None:
        phase = fact.phase
        op, params = phase.opcode, phase.params
        tx = self._tx.get((phase.stream, phase.transaction_id))
        if op == GET_OBJECT_INFO and fact.dataset == "ObjectInfo" and params:
            self._object(phase.stream, params[0]).info = fact.value
        elif op == SEND_OBJECT_INFO and fact.dataset == "ObjectInfo" and tx is not None \
                and len(tx.response_params) >= 3:
            self._upload[phase.stream] = tx.response_params[2]
            self._object(phase.stream, tx.response_params[2]).info = fact.value
        elif op in (GET_OBJECT, GET_PARTIAL_OBJECT) and params:
            self._data(self._object(phase.stream, params[0]), fact, tx, "download")
        elif op == SEND_OBJECT and phase.stream in self._upload:
            self._data(self._object(phase.stream, self._upload.pop(phase.stream)), fact, tx,
                       "upload")
        elif op == GET_THUMB and params:
            self._object(phase.stream, params[0]).thumb_bytes += phase.size

    def _object(self, stream: int, handle: int) -> _Object:
        session = self._session_of.get(stream)
        obj = self._objects.get((session, handle))
        if obj is None:
            obj = self._objects[(session, handle)] = _Object(session, handle)
        return obj

    @staticmethod
    def _data(obj: _Object, fact: PhaseFacts, tx: Transaction | None, transfer: str) -> None:
        obj.transfer = transfer
        obj.phases.append(fact)
        if tx is not None:
            obj.requests.append(tx)
            if tx.latency_s is not None:
                obj.latencies.append(tx.latency_s)

    def frame(self) -> pd.DataFrame:
        rows = [_row(o) for o in self._objects.values()]
        return frame("objects", {c.name: [r.get(c.name) for r in rows]
                                 for c in SCHEMAS["objects"]})


def _row(o: _Object) -> dict[str, Any]:
    info = o.info
    size = info.compressed_size if info is not None else None
    moved = sum(f.phase.size for f in o.phases)
    whole = bool(o.phases) and all(_phase_whole(f.phase) for f in o.phases)
    transfer_s = sum(o.latencies) if o.latencies else None
    return {
        "session": o.session, "handle": o.handle, "transfer": o.transfer,
        "filename": getattr(info, "filename", None),
        "format": getattr(info, "object_format", None), "size": size,
        "capture_date": ptp_date(getattr(info, "capture_date", None)),
        "modification_date": ptp_date(getattr(info, "modification_date", None)),
        "storage_id": getattr(info, "storage_id", None),
        "parent": getattr(info, "parent_object", None),
        "transactions": len(o.phases), "bytes": moved, "thumb_bytes": o.thumb_bytes,
        "complete": whole and (size is None or moved == size),
        "sha256": o.phases[0].sha256 if len(o.phases) == 1 else None,
        "first_frame": o.phases[0].phase.first_frame if o.phases else None,
        "start": min((t.start for t in o.requests), default=None),
        "end": max((t.end for t in o.requests if t.end is not None), default=None),
        "transfer_s": transfer_s,
        "rate_Bps": moved / transfer_s if transfer_s else None,
    }


def _phase_whole(phase: DataPhase) -> bool:
    """Ended by End Data, nothing lost by the capture, and as long as Start Data announced."""
    announced_ok = phase.announced is None or phase.announced == phase.size
    return phase.complete and not phase.lost and announced_ok
