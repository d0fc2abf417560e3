"""The record store: random access by record number to what the engine decoded.

A view (the TUI's packet list, a detail pane) asks for record ``n`` and gets its connection,
the record with its decoded fields and the annotation it had, without re-reading the capture.
Memory stays bounded by what framing keeps: a bulk Data packet holds its header and
transaction id only (``keep_payload``); ``payload_source`` can re-read its bytes from a
seekable capture on demand (``bytes_of``). Annotations are kept only where they carry more
than names (a finished data phase and its dataset); the rest is recomputed on demand from the
record and the vendor in force, which can only improve as the capture goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from .model import Connection, Packet, Record

if TYPE_CHECKING:
    from .decode.annotate import Annotation


class StoredRecord(NamedTuple):
    index: int
    conn: Connection
    record: Record
    annotation: Annotation | None


class RecordStore:
    def __init__(self) -> None:
        self._records: list[Record] = []
        self._streams: dict[int, Connection] = {}
        self._notes: dict[int, Annotation] = {}  # records that completed a data phase

    def add(self, conn: Connection, record: Record, note: Annotation | None) -> None:
        if note is not None and (note.data_phase is not None or note.dataset is not None):
            self._notes[len(self._records)] = note
        self._streams.setdefault(conn.stream, conn)
        self._records.append(record)

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index: int) -> StoredRecord:
        record = self._records[index]
        index = index if index >= 0 else len(self._records) + index
        return StoredRecord(index, self._streams[record.stream], record, self._notes.get(index))

    def __iter__(self) -> Iterator[StoredRecord]:
        return (self[i] for i in range(len(self._records)))

    def record(self, index: int) -> Record:
        return self._records[index]

    def connection(self, stream: int) -> Connection:
        return self._streams[stream]

    def packets(self) -> Iterator[Packet]:
        return (r for r in self._records if isinstance(r, Packet))
