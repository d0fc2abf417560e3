"""The finished transactions of a run, packed and compressed: ~30 bytes each, not ~750.

A packet-heavy capture of 98 MB holds 280,000 transactions; as ``TransactionState`` objects
(with the floats, ints and tuples they keep alive) that was ~210 MB of the validator's state
before any table, and packed as 137-byte records 38 MB (issue 17). A finished transaction no
longer changes (``CommandChannel`` only touches the running and waiting ones), so it is packed
when it ends, a chunk of them is compressed field by field (``packed.PackedRows``), and it is
made again, an equal object, when read. Every field round-trips exactly (floats as doubles,
None as a flag bit). A state that does not fit the record (a value out of its field's range,
more than five parameters) is kept as it is, so nothing is lost or altered. The tables read
the fields as numpy columns (``TransactionsByStart.fields``), never a row object each.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar, overload

from ..packed import PackedRows
from .command import TransactionState
from .data_direction import DataDirection

MAX_PARAMS = 5  # PTP operations and responses carry at most five (LENGTH_BOUNDS)
CHUNK = 4_096  # transactions a compressed chunk holds (a row read decodes one: ~1 ms)

# session, stream, transaction id, opcode, count + 5 params, data phase, start frame, start
# time, announced, data bytes, response code, count + 5 params, end frame, end time, data
# start, data end, previous end, the None/bool flags, the data direction
LAYOUT = (("session", "q"), ("stream", "I"), ("transaction_id", "I"), ("opcode", "I"),
          ("param_count", "B"), *((f"p{i}", "I") for i in range(1, 6)), ("data_phase", "I"),
          ("start_frame", "I"), ("start_time", "d"), ("announced", "Q"), ("data_bytes", "Q"),
          ("response_code", "I"), ("answer_count", "B"), *((f"r{i}", "I") for i in range(1, 6)),
          ("end_frame", "I"), ("end_time", "d"), ("data_start", "d"), ("data_end", "d"),
          ("previous", "d"), ("flags", "H"), ("direction", "B"))
_RECORD = struct.Struct("<" + "".join(code for _, code in LAYOUT))
_FIELD = {name: i for i, (name, _) in enumerate(LAYOUT)}
_STREAM, _SESSION, _TID = _FIELD["stream"], _FIELD["session"], _FIELD["transaction_id"]
_START_FRAME, _END_FRAME, _FLAGS = _FIELD["start_frame"], _FIELD["end_frame"], _FIELD["flags"]

# flag bits: which optional field is None, and the two booleans
_NO_SESSION, _NO_PHASE, _NO_ANNOUNCED, _NO_RESPONSE = 1, 2, 4, 8
_NO_END_FRAME, _NO_END_TIME, _NO_DATA_START, _NO_DATA_END, _NO_PREVIOUS = 16, 32, 64, 128, 256
_CANCELLED, _UNCERTAIN = 512, 1024
_DIRECTIONS: tuple[DataDirection | None, ...] = (None, *DataDirection)
_DIRECTION_CODE = {d: i for i, d in enumerate(_DIRECTIONS)}
_ZEROS = (0,) * MAX_PARAMS
_BLANK = _RECORD.unpack(bytes(_RECORD.size))
# the names of the direction codes, and the flag bits a reader of ``fields`` needs
DIRECTION_NAMES = tuple(None if d is None else d.value for d in _DIRECTIONS)
FLAGS = {"no_session": _NO_SESSION, "no_announced": _NO_ANNOUNCED,
         "no_response": _NO_RESPONSE, "no_end_frame": _NO_END_FRAME, "no_end_time": _NO_END_TIME,
         "no_data_start": _NO_DATA_START, "no_data_end": _NO_DATA_END,
         "no_previous": _NO_PREVIOUS, "cancelled": _CANCELLED, "uncertain": _UNCERTAIN}


def _values(t: TransactionState) -> tuple[Any, ...]:
    """``t`` as the record's values (OverflowError: more parameters than it holds; whether
    each value fits its field is packing's to say). A field that is None is 0 with its flag
    bit set (``x or 0``: the same 0)."""
    params, answer = t.params, t.response_params
    if len(params) > MAX_PARAMS or len(answer) > MAX_PARAMS:
        raise OverflowError("more parameters than a record holds")
    session, phase, announced, response = (t.session, t.data_phase, t.announced_bytes,
                                           t.response_code)
    end_frame, end_time, data_start, data_end, previous = (
        t.end_frame, t.end_time, t.data_start_time, t.data_end_time, t.previous_end_time)
    flags = ((session is None) * _NO_SESSION + (phase is None) * _NO_PHASE
             + (announced is None) * _NO_ANNOUNCED + (response is None) * _NO_RESPONSE
             + (end_frame is None) * _NO_END_FRAME + (end_time is None) * _NO_END_TIME
             + (data_start is None) * _NO_DATA_START + (data_end is None) * _NO_DATA_END
             + (previous is None) * _NO_PREVIOUS + t.cancelled * _CANCELLED
             + t.uncertain * _UNCERTAIN)
    values = (session or 0, t.stream, t.transaction_id, t.opcode, len(params),
              *(params + _ZEROS)[:MAX_PARAMS], phase or 0, t.start_frame, t.start_time,
              announced or 0, t.data_bytes, response or 0, len(answer),
              *(answer + _ZEROS)[:MAX_PARAMS], end_frame or 0, end_time or 0.0,
              data_start or 0.0, data_end or 0.0, previous or 0.0, flags,
              _DIRECTION_CODE[t.data_direction])
    return values


def _state(record: tuple[Any, ...]) -> TransactionState:
    (session, stream, tid, opcode, count, p1, p2, p3, p4, p5, phase, start_frame, start_time,
     announced, data_bytes, response, answers, r1, r2, r3, r4, r5, end_frame, end_time,
     data_start, data_end, previous, flags, direction) = record
    return TransactionState(
        None if flags & _NO_SESSION else session, stream, tid, opcode,
        (p1, p2, p3, p4, p5)[:count], None if flags & _NO_PHASE else phase, start_frame,
        start_time, _DIRECTIONS[direction], None if flags & _NO_ANNOUNCED else announced,
        data_bytes, None if flags & _NO_RESPONSE else response, (r1, r2, r3, r4, r5)[:answers],
        None if flags & _NO_END_FRAME else end_frame, None if flags & _NO_END_TIME else end_time,
        bool(flags & _CANCELLED), bool(flags & _UNCERTAIN),
        None if flags & _NO_DATA_START else data_start,
        None if flags & _NO_DATA_END else data_end,
        None if flags & _NO_PREVIOUS else previous)


T = TypeVar("T")


class MadeWhenRead(Sequence[T]):
    """A sequence whose items are made when read (``_at``) and not kept; a slice is a list
    of made items."""

    __slots__ = ()

    def _at(self, index: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("index out of range")
        return self._at(index)

    def __iter__(self) -> Iterator[T]:
        return (self._at(i) for i in range(len(self)))


class TransactionStore(MadeWhenRead[TransactionState]):
    """Finished transactions in the order they ended (append only). Reading one makes a new,
    equal ``TransactionState``: change nothing through it."""

    __slots__ = ("_odd", "_rows")

    def __init__(self) -> None:
        self._rows = PackedRows(LAYOUT, CHUNK)
        self._odd: dict[int, TransactionState] = {}  # by position: states no record holds

    def append(self, state: TransactionState) -> None:
        try:
            self._rows.append(*_values(state))  # (appends nothing when it does not fit)
        except (struct.error, OverflowError, TypeError):
            self._odd[len(self._rows)] = state
            self._rows.append(*_BLANK)

    def extend(self, states: Iterable[TransactionState]) -> None:
        for state in states:
            self.append(state)

    def __len__(self) -> int:
        return len(self._rows)

    def _at(self, index: int) -> TransactionState:
        odd = self._odd.get(index) if self._odd else None
        return odd if odd is not None else _state(self._rows.row(index))

    def stream(self, index: int) -> int:
        """The stream of the transaction at ``index``, without making it."""
        odd = self._odd.get(index) if self._odd else None
        return odd.stream if odd is not None else int(self._rows.row(index)[_STREAM])

    def keys(self, index: int) -> tuple[int | None, int, int, int, int | None]:
        """``(session, stream, transaction id, start frame, end frame)`` of the transaction
        at ``index``, without making it (what findings are matched to it by)."""
        odd = self._odd.get(index) if self._odd else None
        if odd is not None:
            return odd.session, odd.stream, odd.transaction_id, odd.start_frame, odd.end_frame
        record = self._rows.row(index)
        flags = record[_FLAGS]
        return (None if flags & _NO_SESSION else record[_SESSION], record[_STREAM],
                record[_TID], record[_START_FRAME],
                None if flags & _NO_END_FRAME else record[_END_FRAME])

    def field(self, name: str) -> Any:
        """One field of every record, a numpy array in the order they ended (a copy); None
        when a state is kept whole (no record holds it)."""
        return None if self._odd else self._rows.field(name)

    def by_start(self) -> TransactionsByStart:
        """The same transactions by start frame (the order tables and faces show them)."""
        import numpy as np
        starts = self.field("start_frame")
        if starts is None:
            starts = np.fromiter((self._at(i).start_frame for i in range(len(self))),
                                 np.int64, len(self))
        if bool(np.all(starts[1:] >= starts[:-1])):
            return TransactionsByStart(self, None)
        order = array("L", np.argsort(starts, kind="stable").astype(np.uint64).tobytes())
        return TransactionsByStart(self, order)


class TransactionsByStart(MadeWhenRead[TransactionState]):
    """A view of a store by start frame (stable: equal starts keep the order they ended in),
    then ``tail`` (the transactions still open, already in start order)."""

    __slots__ = ("_count", "_order", "_store", "_tail")

    def __init__(self, store: TransactionStore, order: array[int] | None,
                 tail: Sequence[TransactionState] = ()) -> None:
        self._store, self._order, self._tail = store, order, tail
        self._count = len(store) if order is None else len(order)

    def then(self, tail: Sequence[TransactionState]) -> TransactionsByStart:
        """This view followed by ``tail``."""
        return TransactionsByStart(self._store, self._order, list(self._tail) + list(tail))

    def __len__(self) -> int:
        return self._count + len(self._tail)

    def _at(self, index: int) -> TransactionState:
        if index >= self._count:
            return self._tail[index - self._count]
        return self._store._at(index if self._order is None else self._order[index])

    def fields(self) -> RecordFields | None:
        """These transactions' record fields as numpy columns in this order, or None when one
        of them does not fit a record: the rows are made then (``MadeWhenRead``)."""
        try:
            tail = [_values(state) for state in self._tail]
            for values in tail:
                _RECORD.pack(*values)  # (each fits its field)
        except (struct.error, OverflowError, TypeError):
            return None
        if self._store._odd:
            return None
        return RecordFields(self._store, self._order, tail)


class RecordFields:
    """``TransactionsByStart``'s transactions field by field (``LAYOUT``'s names): each field
    read when asked for, a numpy array (the store's chunks are decompressed one field at a
    time, so a table builder never holds every record at once)."""

    __slots__ = ("_order", "_store", "_tail")

    def __init__(self, store: TransactionStore, order: array[int] | None,
                 tail: list[tuple[Any, ...]]) -> None:
        self._store, self._order, self._tail = store, order, tail

    def __len__(self) -> int:
        return len(self._store) + len(self._tail)

    def __getitem__(self, name: str) -> Any:
        import numpy as np
        done = self._store._rows.field(name)
        if self._order is not None:
            done = done[np.frombuffer(self._order, f"u{self._order.itemsize}")]
        if not self._tail:
            return done
        at = _FIELD[name]
        return np.concatenate([done, np.array([v[at] for v in self._tail], done.dtype)])
