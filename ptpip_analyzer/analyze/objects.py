"""The objects table: one row per (session, object handle), from ObjectInfo and object data.

ISO 15740 section 10.5: GetObjectInfo (0x1008) names its handle in parameter 1 and returns
ObjectInfo; GetObject (0x1009), GetThumb (0x100A) and GetPartialObject (0x101B) name the handle
in parameter 1; SendObjectInfo (0x100C) sends ObjectInfo and learns the new handle from the
response's third parameter, and the SendObject (0x100D) that follows carries that object.

The rows come from ``export.objects.ObjectReassembler``, the one streaming reassembler (that
export-objects writes files with): ``from_transfers`` over its transfers and its ObjectInfo by
(stream, handle), so the table and the files can't disagree on what "complete" means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..decode.dataset_types import ObjectInfo
from ..export.objects import ObjectTransfer
from .ptp_dates import ptp_date
from .schema import SCHEMAS, frame
from .transactions import Transaction


@dataclass(slots=True)
class _Object:
    session: int | None
    handle: int
    info: Any = None  # decode.dataset_types.ObjectInfo
    transfer: str | None = None
    latencies: list[float] = field(default_factory=list)
    requests: list[Transaction] = field(default_factory=list)
    thumb_bytes: int = 0
    # what the object reassembler said of its transfers
    moved: int = 0
    count: int = 0
    complete: bool | None = None
    sha256: str | None = None
    first_frame: int | None = None


class ObjectTable:
    def __init__(self, transactions: Sequence[Transaction], session_of: Mapping[int, int]):
        self._tx = {(t.stream, t.transaction_id): t for t in transactions}
        self._session_of = session_of
        self._objects: dict[tuple[int | None, int], _Object] = {}

    def _object(self, stream: int, handle: int) -> _Object:
        session = self._session_of.get(stream)
        obj = self._objects.get((session, handle))
        if obj is None:
            obj = self._objects[(session, handle)] = _Object(session, handle)
        return obj

    @classmethod
    def from_transfers(cls, transfers: Sequence[ObjectTransfer],
                       infos: Mapping[tuple[int, int], ObjectInfo],
                       transactions: Sequence[Transaction], session_of: Mapping[int, int]
                       ) -> ObjectTable:
        """The table of an ``ObjectReassembler`` run (``close()`` done): every ObjectInfo seen,
        then each transfer on the object of its handle."""
        table = cls(transactions, session_of)
        for (stream, handle), info in infos.items():
            table._object(stream, handle).info = info
        for t in transfers:
            if t.handle is not None:
                table._transfer(t)
        return table

    def _transfer(self, t: ObjectTransfer) -> None:
        assert t.handle is not None
        obj = self._object(t.stream, t.handle)
        if t.info is not None and obj.info is None:
            obj.info = t.info
        if t.kind == "thumb":
            obj.thumb_bytes += t.moved
            return
        obj.transfer = "upload" if t.kind == "sent" else "download"
        obj.moved += t.moved
        obj.count += len(t.transaction_ids)
        obj.complete = obj.complete is not False and t.complete
        obj.sha256 = t.sha256 if obj.count == 1 else None
        obj.first_frame = t.first_frame if obj.first_frame is None else obj.first_frame
        for tid in t.transaction_ids:
            tx = self._tx.get((t.stream, tid))
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
    moved, whole = o.moved, bool(o.complete)
    transfer_s = sum(o.latencies) if o.latencies else None
    return {
        "session": o.session, "handle": o.handle, "transfer": o.transfer,
        "filename": getattr(info, "filename", None),
        "format": getattr(info, "object_format", None), "size": size,
        "capture_date": ptp_date(getattr(info, "capture_date", None)),
        "modification_date": ptp_date(getattr(info, "modification_date", None)),
        "storage_id": getattr(info, "storage_id", None),
        "parent": getattr(info, "parent_object", None),
        "transactions": o.count, "bytes": moved, "thumb_bytes": o.thumb_bytes,
        "complete": whole and (size is None or moved == size),
        "sha256": o.sha256, "first_frame": o.first_frame,
        "start": min((t.start for t in o.requests), default=None),
        "end": max((t.end for t in o.requests if t.end is not None), default=None),
        "transfer_s": transfer_s,
        "rate_Bps": moved / transfer_s if transfer_s else None,
    }
