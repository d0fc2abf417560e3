"""The finished transactions of a run, packed: 137 bytes each instead of ~750 as objects.

A packet-heavy capture of 98 MB holds 280,000 transactions; as ``TransactionState`` objects
(with the floats, ints and tuples they keep alive) that was ~210 MB of the validator's state
before any table (issue 17). A finished transaction no longer changes (``CommandChannel``
only touches the running and waiting ones), so it is packed when it ends and made again, an
equal object, when read. Every field round-trips exactly (floats as doubles, None as a flag
bit). A state that does not fit the record (a value out of its field's range, more than five
parameters) is kept as it is, so nothing is lost or altered.
"""

from __future__ import annotations

import itertools
import struct
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar, overload

from .command import TransactionState
from .data_direction import DataDirection

MAX_PARAMS = 5  # PTP operations and responses carry at most five (LENGTH_BOUNDS)

# session, stream, transaction id, opcode, count + 5 params, data phase, start frame, start
# time, announced, data bytes, response code, count + 5 params, end frame, end time, data
# start, data end, previous end, the None/bool flags, the data direction
_RECORD = struct.Struct("<qIIIB5IIIdQQIB5IIddddHB")
SIZE = _RECORD.size
_pack_into, _unpack_from = _RECORD.pack_into, _RECORD.unpack_from
_BLANK = bytes(SIZE)
# byte offsets in a record of the stream and the start frame (read without unpacking it all)
_STREAM_AT, _START_FRAME_AT = struct.calcsize("<q"), struct.calcsize("<qIIIB5II")
_u32 = struct.Struct("<I").unpack_from

# flag bits: which optional field is None, and the two booleans
_NO_SESSION, _NO_PHASE, _NO_ANNOUNCED, _NO_RESPONSE = 1, 2, 4, 8
_NO_END_FRAME, _NO_END_TIME, _NO_DATA_START, _NO_DATA_END, _NO_PREVIOUS = 16, 32, 64, 128, 256
_CANCELLED, _UNCERTAIN = 512, 1024
_DIRECTIONS: tuple[DataDirection | None, ...] = (None, *DataDirection)
_DIRECTION_CODE = {d: i for i, d in enumerate(_DIRECTIONS)}
_ZEROS = (0,) * MAX_PARAMS


def _pack(buffer: bytearray, at: int, t: TransactionState) -> None:
    """Writes ``t`` at ``at`` (struct.error or OverflowError: it does not fit the record).
    A field that is None is written as 0 with its flag bit set (``x or 0``: the same 0)."""
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
    _pack_into(buffer, at, session or 0, t.stream, t.transaction_id, t.opcode, len(params),
               *(params + _ZEROS)[:MAX_PARAMS], phase or 0, t.start_frame, t.start_time,
               announced or 0, t.data_bytes, response or 0, len(answer),
               *(answer + _ZEROS)[:MAX_PARAMS], end_frame or 0, end_time or 0.0,
               data_start or 0.0, data_end or 0.0, previous or 0.0, flags,
               _DIRECTION_CODE[t.data_direction])


def _unpack(buffer: bytearray, at: int) -> TransactionState:
    (session, stream, tid, opcode, count, p1, p2, p3, p4, p5, phase, start_frame, start_time,
     announced, data_bytes, response, answers, r1, r2, r3, r4, r5, end_frame, end_time,
     data_start, data_end, previous, flags, direction) = _unpack_from(buffer, at)
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

    __slots__ = ("_count", "_odd", "_packed")

    def __init__(self) -> None:
        self._packed = bytearray()
        self._odd: dict[int, TransactionState] = {}  # by position: states no record holds
        self._count = 0

    def append(self, state: TransactionState) -> None:
        at = len(self._packed)
        self._packed += _BLANK
        try:
            _pack(self._packed, at, state)
        except (struct.error, OverflowError, TypeError):
            self._odd[self._count] = state
        self._count += 1

    def extend(self, states: Iterable[TransactionState]) -> None:
        for state in states:
            self.append(state)

    def __len__(self) -> int:
        return self._count

    def _at(self, index: int) -> TransactionState:
        odd = self._odd.get(index) if self._odd else None
        return odd if odd is not None else _unpack(self._packed, index * SIZE)

    def stream(self, index: int) -> int:
        """The stream of the transaction at ``index``, without making it."""
        odd = self._odd.get(index) if self._odd else None
        return odd.stream if odd is not None else _u32(self._packed, index * SIZE + _STREAM_AT)[0]

    def keys(self, index: int) -> tuple[int | None, int, int, int, int | None]:
        """``(session, stream, transaction id, start frame, end frame)`` of the transaction
        at ``index``, without making it (what findings are matched to it by)."""
        odd = self._odd.get(index) if self._odd else None
        if odd is not None:
            return odd.session, odd.stream, odd.transaction_id, odd.start_frame, odd.end_frame
        record = _unpack_from(self._packed, index * SIZE)
        flags = record[-2]
        return (None if flags & _NO_SESSION else record[0], record[1], record[2], record[11],
                None if flags & _NO_END_FRAME else record[22])

    def by_start(self) -> TransactionsByStart:
        """The same transactions by start frame (the order tables and faces show them)."""
        if not self._odd:  # the usual case: one pass over the packed start frames
            starts = memoryview(self._packed)[_START_FRAME_AT:]
            keys = [_u32(starts, i * SIZE)[0] for i in range(self._count)]
        else:
            keys = [self._at(i).start_frame for i in range(self._count)]
        if all(a <= b for a, b in itertools.pairwise(keys)):
            return TransactionsByStart(self, None)
        order = array("L", sorted(range(self._count), key=keys.__getitem__))
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
