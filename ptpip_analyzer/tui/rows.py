"""What the tables show: rows of the record store and of the engine's tables, as text.

``PacketRows`` reads the record store (every record: packets, gaps and malformed regions);
``FrameRows`` a growing pandas table (transactions, findings) from the loader. Each gives a
row's cells, already safe for the terminal (``terminal_text.escape`` on every wire string),
and its kind (the colour class). Nothing here decodes: it formats what the engine decoded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..decode import describe
from ..decode.annotate import Annotation
from ..model import Gap, Malformed, Packet
from ..protocol import RESPONSE_OK
from ..terminal_text import escape
from .line_table import Column, Row

if TYPE_CHECKING:
    import pandas as pd

    from ..store import RecordStore

_SEVERITY_KIND = {0: "note", 1: "warning", 2: "error"}
_ANNOTATED = frozenset({"named_params", "dataset"})  # need the annotation rebuilt
_NAMED = frozenset({"vendor", "code", "code_name"})  # need the vendor (names stand for codes)


class PacketRows:
    """The record store as packet-list rows: No., time, source, destination, stream, type,
    info. A record with findings is coloured by its worst one; gaps and malformed regions by
    their kind; a response other than OK as failed."""

    columns = (Column("No.", 7), Column("Time", 11), Column("Source", 21),
               Column("Destination", 21), Column("Str", 3), Column("Type", 20),
               Column("Info", 0))

    def __init__(self, store: RecordStore, vendor_of: Callable[[int], str | None],
                 session_of: Callable[[int], int | None] = lambda stream: None) -> None:
        self.store, self.vendor_of, self.session_of = store, vendor_of, session_of
        self.count = 0  # records the loader has told of (the store may be a little ahead)
        self.t0: float | None = None
        self.severity: dict[int, int] = {}  # frame -> worst finding severity there

    def __len__(self) -> int:
        return self.count

    def row(self, index: int) -> Row:
        stored = self.store[index]
        record, conn = stored.record, stored.conn
        if self.t0 is None:
            self.t0 = self.store.record(0).time
        src, dst = conn.endpoints(record.direction)
        cells = (str(record.frame), f"{record.time - self.t0:.6f}", str(src), str(dst),
                 str(record.stream), describe.type_name(record), self.info(index))
        return Row(cells, self._kind(record))

    def info(self, index: int) -> str:
        stored = self.store[index]
        record = stored.record
        if not isinstance(record, Packet):
            return describe.summary(record)
        note = stored.annotation or Annotation(self.vendor_of(record.stream))
        return escape(describe.essentials(record, note))

    def _kind(self, record: Packet | Gap | Malformed) -> str:
        if isinstance(record, Gap):
            return "gap"
        if isinstance(record, Malformed):
            return "malformed"
        severity = self.severity.get(record.frame)
        if severity is not None:
            return _SEVERITY_KIND.get(severity, "warning")
        if record.ptype == 7 and record.code not in (None, RESPONSE_OK):
            return "failed"
        return ""

    def packet_row(self, index: int) -> Mapping[str, Any]:
        """The row a display filter sees, built only as far as the filter reads it."""
        return PacketRow(self, index)

    def packet_dict(self, index: int, fields: frozenset[str] | None = None) -> dict[str, Any]:
        """The row a display filter sees: ``describe.to_dict`` with the vendor known now, and
        the session, as the CLI's ``-Y`` sees it. ``fields``: only these are read, so the
        costly ones (named parameters, datasets: the annotation; the session) are built
        only when the filter reads them."""
        stored = self.store[index]
        record = stored.record
        note = stored.annotation
        if note is None and (fields is None or fields & _ANNOTATED):
            note = self.store.annotation(index, self.vendor_of(record.stream))
        elif note is None and fields is not None and fields & _NAMED:
            note = Annotation(self.vendor_of(record.stream))
        row = describe.to_dict(stored.conn, record, note)
        if fields is None or "session" in fields:
            row["session"] = self.session_of(record.stream)
        return row


class PacketRow(Mapping[str, Any]):
    """``PacketRows.packet_dict`` as a lazy mapping: the keys a filter reads most come
    straight from the record (a filter reads one or two keys of ~15: 500,000 rows took ~40 s
    through the whole dict); any other key builds the whole row once."""

    __slots__ = ("_full", "_index", "_record", "_rows")

    def __init__(self, rows: PacketRows, index: int) -> None:
        self._rows, self._index = rows, index
        self._record = rows.store.record(index)
        self._full: dict[str, Any] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        record = self._record
        if isinstance(record, Packet):
            attribute = _DIRECT.get(key)
            if attribute is not None:
                value = getattr(record, attribute)
                return default if value is None else value
            if key == "type":
                return record.ptype
            if key == "vendor":
                kept = self._rows.store[self._index].annotation
                return kept.vendor if kept is not None else self._rows.vendor_of(record.stream)
        if key == "session":
            return self._rows.session_of(record.stream)
        return self._whole().get(key, default)

    def __getitem__(self, key: str) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def _whole(self) -> dict[str, Any]:
        if self._full is None:
            self._full = self._rows.packet_dict(self._index)
        return self._full


_MISSING = object()
_DIRECT = {"frame": "frame", "time": "time", "stream": "stream", "offset": "offset",
           "length": "length", "code": "code", "transaction_id": "transaction_id"}


class FrameRows:
    """A pandas table that grows (``extend``), has rows given again (``update``) or is
    replaced (``replace``), shown through ``format_row``; ``dicts`` gives the rows a filter
    reads."""

    BLOCK = 1024  # rows turned into dicts together (pandas' per-row access costs ~50 us)

    def __init__(self, columns: Sequence[Column],
                 format_row: Callable[[Mapping[str, Any]], Row]) -> None:
        self.columns = columns
        self.format_row = format_row
        # New rows are kept as they came and joined when first read: joining on every
        # update copied the whole table twice a second (125,000 transactions: ~30 MB each).
        self._parts: list[pd.DataFrame] = []
        self._frame: pd.DataFrame | None = None
        self._count = 0
        self._block: tuple[int, list[dict[str, Any]]] = (-1, [])
        self._joining = threading.Lock()  # a filter's worker reads it too

    def __len__(self) -> int:
        return self._count

    @property
    def frame(self) -> pd.DataFrame | None:
        with self._joining:
            return self._joined()

    def _joined(self) -> pd.DataFrame | None:
        if self._parts:
            import pandas as pd
            parts = ([self._frame] if self._frame is not None else []) + self._parts
            self._frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 \
                else parts[0].reset_index(drop=True)
            self._parts = []
        return self._frame

    def extend(self, rows: pd.DataFrame) -> None:
        with self._joining:
            self._parts.append(rows)
            self._count += len(rows)

    def replace(self, rows: pd.DataFrame) -> None:
        with self._joining:
            self._block = (-1, [])
            self._frame, self._parts, self._count = rows.reset_index(drop=True), [], len(rows)

    def update(self, rows: pd.DataFrame) -> None:
        """Rows given again (``rows.index``: their positions, all below ``len(self)``) take
        the place of the old ones: a transaction whose findings came after it was shown."""
        import pandas as pd
        with self._joining:
            frame = self._joined()
            assert frame is not None and rows.index.max() < len(frame)
            kept = frame.drop(index=rows.index)
            self._frame = pd.concat([kept, rows]).sort_index()
            self._frame.index.name = None
            self._block = (-1, [])

    def record(self, index: int) -> dict[str, Any]:
        """Row ``index`` as plain Python values (None for missing), as a filter reads it."""
        start = index - index % self.BLOCK
        if self._block[0] != start:
            self._block = (start, self.dicts(start, start + self.BLOCK))
        return self._block[1][index - start]

    def row(self, index: int) -> Row:
        return self.format_row(self.record(index))

    def dicts(self, start: int, stop: int) -> list[dict[str, Any]]:
        frame = self.frame
        assert frame is not None
        part = frame.iloc[start:stop]
        return [{k: _plain(v) for k, v in row.items()} for row in part.to_dict("records")]


def _plain(value: Any) -> Any:
    """pandas' missing values (NA, NaT, NaN) as None, numpy scalars as Python's."""
    try:
        import pandas as pd
        if value is None or pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def _num(value: Any, fmt: str = "{}") -> str:
    return "" if value is None else fmt.format(value)


def transaction_row(t: Mapping[str, Any]) -> Row:
    params = [t.get(f"param{i}") for i in range(1, 6)]
    shown = ", ".join(f"0x{p:X}" for p in params if p is not None)
    response = escape(str(t.get("response_name") or "")) if t.get("response_code") is not None \
        else "(no response)"
    latency = t.get("latency_s")
    cells = (_num(t.get("session")), str(t.get("transaction_id")),
             escape(str(t.get("opcode_name"))), shown, response, _num(t.get("data_bytes")),
             "" if latency is None else f"{latency * 1000:.1f}", _num(t.get("start_frame")),
             _status(t), _num(t.get("findings")))
    return Row(cells, _transaction_kind(t))


TRANSACTION_COLUMNS = (Column("Ses", 3), Column("TID", 6), Column("Operation", 24),
                       Column("Parameters", 22), Column("Response", 22), Column("Bytes", 10),
                       Column("ms", 8), Column("Frame", 7), Column("Status", 10),
                       Column("Findings", 0))


def _status(t: Mapping[str, Any]) -> str:
    """The transactions table's status (ok, failed, cancelled, unanswered, damaged,
    invalid)."""
    return str(t.get("status") or "")


def _transaction_kind(t: Mapping[str, Any]) -> str:
    status = _status(t)
    if status == "ok":
        return "warning" if t.get("findings") else ""
    return {"cancelled": "cancelled", "unanswered": "open"}.get(status, "failed")


FINDING_COLUMNS = (Column("Severity", 8), Column("Rule", 14), Column("Frame", 7),
                   Column("Ses", 3), Column("TID", 6), Column("Message", 0))


def finding_row(f: Mapping[str, Any]) -> Row:
    severity = str(f.get("severity"))
    cells = (severity, str(f.get("rule")), _num(f.get("frame")), _num(f.get("session")),
             _num(f.get("transaction_id")), escape(str(f.get("message"))))
    return Row(cells, severity if severity in ("note", "warning", "error") else "")
