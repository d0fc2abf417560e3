"""One row per transaction, built from the validator's transaction state (no second machine).

``validation_of(engine)`` gives an engine's findings, sessions and transactions together: the
API behind ``ptpip-analyzer validate`` and ``transactions``; ``engine.validate_records`` runs
an engine over records already decoded (transcript tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..decode.codes import operation_name, response_name
from ..decode.params import request_params
from ..model import Connection, Finding, Record, Severity
from ..protocol import RESPONSE_OK
from ..validate import Session, TransactionState
from ..validate.data_direction import DataDirection
from ..validate.transaction_store import MadeWhenRead

if TYPE_CHECKING:
    from ..engine import Engine

Pairs = Iterable[tuple[Connection, Record]]


@dataclass(frozen=True, slots=True)
class Transaction:
    session: int | None
    stream: int
    transaction_id: int
    opcode: int
    opcode_name: str
    params: tuple[int, ...]
    response_code: int | None
    response_name: str | None
    response_params: tuple[int, ...]
    data_direction: str | None  # "in" (camera to host), "out" (host to camera), None: no data
    data_bytes: int
    announced_bytes: int | None  # None: no Start Data, or its length was "unknown"
    start_frame: int
    end_frame: int | None
    start: float
    end: float | None
    latency_s: float | None
    complete: bool  # the response was captured
    cancelled: bool
    findings: int
    status: str  # ok | failed | cancelled | unanswered | damaged | invalid (transaction_status)
    # The time breakdown: wait_s + transfer_s + finish_s == latency_s (breakdown_of)
    wait_s: float | None
    wait_side: str | None  # camera | host: whose delay wait_s is
    transfer_s: float | None
    finish_s: float | None
    idle_before_s: float | None  # the previous response on the connection -> this request

    @classmethod
    def from_state(cls, state: TransactionState, findings: int,
                   status: str | None = None) -> Transaction:
        answered = state.response_code is not None
        latency = None if state.end_time is None else state.end_time - state.start_time
        return cls(
            state.session, state.stream, state.transaction_id, state.opcode,
            operation_name(state.opcode), state.params, state.response_code,
            response_name(state.response_code) if state.response_code is not None else None,
            state.response_params,
            state.data_direction.value if state.data_direction is not None else None,
            state.data_bytes, state.announced_bytes, state.start_frame, state.end_frame,
            state.start_time, state.end_time, latency, answered, state.cancelled, findings,
            status or transaction_status(state, False), *breakdown_of(state))


def transaction_status(state: TransactionState, error_found: bool) -> str:
    """What became of a transaction, the worst first: unanswered (no response captured),
    damaged (the capture lost bytes while it ran: what it did is not all known), invalid (it
    broke the protocol: an error finding on it, by either side, e.g. a response with a wrong
    id, a data phase longer than announced, or a host's request sent while the one before
    still waits, as libgphoto2 does after SIGINT in captures/real/gphoto2-interrupted; the
    findings say who), cancelled (a Cancel was sent), failed (a response other than OK), ok."""
    if state.response_code is None:
        return "unanswered"
    if state.uncertain:
        return "damaged"
    if error_found:
        return "invalid"
    if state.cancelled:
        return "cancelled"
    return "ok" if state.response_code == RESPONSE_OK else "failed"


Breakdown = tuple[float | None, str | None, float | None, float | None, float | None]


def breakdown_of(state: TransactionState) -> Breakdown:
    """``(wait_s, wait_side, transfer_s, finish_s, idle_before_s)``.

    wait: request -> the first reply (Start Data, or the response when there is no data
    phase). For a data-out operation the first reply is the host's own Start Data, so the
    wait is the host's delay (libgphoto2 waits for the camera's delayed ACK of the request,
    about 40 ms: PROTOCOL.md) and ``wait_side`` says host. transfer: Start Data -> the frame
    holding the last data byte (validate.command.Clock; records fed without frames: the last
    data packet's first frame). finish: that -> the response (for data-out, the camera's
    time to take the data). wait + transfer + finish is the latency."""
    start, end, first, last = (state.start_time, state.end_time, state.data_start_time,
                               state.data_end_time)
    previous = state.previous_end_time
    idle = None if previous is None else max(0.0, start - previous)
    if first is None or last is None:
        return (None if end is None else end - start), "camera", \
            (None if end is None else 0.0), (None if end is None else 0.0), idle
    side = "host" if state.data_direction is DataDirection.OUT else "camera"
    return first - start, side, last - first, (None if end is None else end - last), idle


@dataclass(frozen=True, slots=True)
class ValidationResult:
    findings: tuple[Finding, ...]  # by frame
    sessions: tuple[Session, ...]
    transactions: Sequence[Transaction]  # by start frame (empty when not asked for)
    transaction_count: int  # how many there are, rows asked for or not


class TransactionRows(MadeWhenRead[Transaction]):
    """The rows of some transaction states, each made when read and not kept: 280,000 rows
    held at once were ~110 MB (issue 17)."""

    __slots__ = ("_found", "_states")

    def __init__(self, states: Sequence[TransactionState], findings: Iterable[Finding]) -> None:
        self._states, self._found = states, FindingsByTransaction(findings)

    def __len__(self) -> int:
        return len(self._states)

    def _at(self, index: int) -> Transaction:
        return _row(self._states[index], self._found)


def validation_of(engine: Engine, rows: bool = True) -> ValidationResult:
    """The engine's findings, sessions and transaction rows as they stand (rows made when
    read); ``rows=False`` gives no rows, only their count (``validate``)."""
    assert engine.validator is not None
    findings = sorted(engine.findings, key=lambda f: f.frame)
    states = engine.transactions()
    made: Sequence[Transaction] = TransactionRows(states, findings) if rows else ()
    return ValidationResult(tuple(findings), tuple(engine.validator.session_list()), made,
                            len(states))


class FindingsByTransaction:
    """Findings by the transaction they count for: the one whose id they name in the same
    session (any of its connections: Data sent on the event connection names the command
    connection's transaction), between the transaction's first and last frame."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self._found: dict[tuple[object, int], list[tuple[int, bool]]] = defaultdict(list)
        for finding in findings:
            if finding.transaction_id is not None:
                self._found[_where(finding.session, finding.stream),
                            finding.transaction_id].append(
                    (finding.frame, finding.severity is Severity.ERROR))

    def __bool__(self) -> bool:
        return bool(self._found)

    def named(self, transaction_ids: Any) -> Any:
        """Which of ``transaction_ids`` (a numpy array) some finding names: the rows whose
        ``hits_at`` can be non-empty."""
        import numpy as np
        named = np.fromiter({tid for _, tid in self._found}, np.int64)
        return np.isin(transaction_ids, named)

    def hits(self, state: TransactionState) -> list[bool]:
        """Whether each finding that counts for ``state`` is an error."""
        return self.hits_at(state.session, state.stream, state.transaction_id,
                            state.start_frame, state.end_frame)

    def hits_at(self, session: int | None, stream: int, transaction_id: int,
                start_frame: int, end_frame: int | None) -> list[bool]:
        """``hits`` of the transaction with these keys (``TransactionStore.keys``)."""
        last = end_frame if end_frame is not None else float("inf")
        return [error for frame, error in
                self._found.get((_where(session, stream), transaction_id), ())
                if start_frame <= frame <= last]


def transactions_of(states: Iterable[TransactionState],
                    findings: Iterable[Finding]) -> Iterator[Transaction]:
    """Rows for the given states, each with the findings that count for it
    (``FindingsByTransaction``)."""
    found = FindingsByTransaction(findings)
    return (_row(state, found) for state in states)


def _row(state: TransactionState, found: FindingsByTransaction) -> Transaction:
    hits = found.hits(state)
    return Transaction.from_state(state, len(hits), transaction_status(state, any(hits)))


def _where(session: int | None, stream: int) -> object:
    """A finding's or transaction's place: its session when known, else its stream."""
    return ("session", session) if session is not None else ("stream", stream)


def transaction_to_dict(row: Transaction, vendor: str | None = None) -> dict[str, object]:
    """Flat dict for JSON lines / CSV; parameter tuples become lists. With the session's
    ``vendor`` (decode.vendor), vendor codes get their names and parameters their meaning."""
    out: dict[str, object] = {
        "session": row.session, "stream": row.stream, "transaction_id": row.transaction_id,
        "opcode": row.opcode, "opcode_name": operation_name(row.opcode, vendor),
        "params": list(row.params),
        "response_code": row.response_code,
        "response_name": None if row.response_code is None
        else response_name(row.response_code, vendor),
        "response_params": list(row.response_params), "data_direction": row.data_direction,
        "data_bytes": row.data_bytes, "announced_bytes": row.announced_bytes,
        "start_frame": row.start_frame, "end_frame": row.end_frame, "start": row.start,
        "end": row.end, "latency_s": row.latency_s, "complete": row.complete,
        "cancelled": row.cancelled, "findings": row.findings, "status": row.status,
        "wait_s": row.wait_s, "wait_side": row.wait_side, "transfer_s": row.transfer_s,
        "finish_s": row.finish_s, "idle_before_s": row.idle_before_s,
    }
    if vendor is not None:
        out["vendor"] = vendor
    out["named_params"] = [f"{p.name}={p.display}"
                           for p in request_params(row.opcode, row.params, vendor)]
    return out
