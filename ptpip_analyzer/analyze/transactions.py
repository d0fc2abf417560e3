"""One row per transaction, built from the validator's transaction state (no second machine).

``validation_of(engine)`` gives an engine's findings, sessions and transactions together: the
API behind ``ptpip-analyzer validate`` and ``transactions``; ``engine.validate_records`` runs
an engine over records already decoded (transcript tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..decode.codes import operation_name, response_name
from ..decode.params import request_params
from ..model import Connection, Finding, Record
from ..validate import Session, TransactionState

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

    @classmethod
    def from_state(cls, state: TransactionState, findings: int) -> Transaction:
        answered = state.response_code is not None
        latency = None if state.end_time is None else state.end_time - state.start_time
        return cls(
            state.session, state.stream, state.transaction_id, state.opcode,
            operation_name(state.opcode), state.params, state.response_code,
            response_name(state.response_code) if state.response_code is not None else None,
            state.response_params,
            state.data_direction.value if state.data_direction is not None else None,
            state.data_bytes, state.announced_bytes, state.start_frame, state.end_frame,
            state.start_time, state.end_time, latency, answered, state.cancelled, findings)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    findings: tuple[Finding, ...]  # by frame
    sessions: tuple[Session, ...]
    transactions: tuple[Transaction, ...]  # by start frame


def validation_of(engine: Engine) -> ValidationResult:
    """The engine's findings, sessions and transaction rows as they stand."""
    assert engine.validator is not None
    findings = sorted(engine.findings, key=lambda f: f.frame)
    rows = tuple(transactions_of(engine.transactions(), findings))
    return ValidationResult(tuple(findings), tuple(engine.validator.session_list()), rows)


def transactions_of(states: Iterable[TransactionState],
                    findings: Iterable[Finding]) -> Iterator[Transaction]:
    """Rows for the given states; a finding counts for the transaction whose id it names on the
    same stream, between the transaction's first and last frame."""
    frames: dict[tuple[int, int], list[int]] = defaultdict(list)
    for finding in findings:
        if finding.transaction_id is not None:
            frames[finding.stream, finding.transaction_id].append(finding.frame)
    for state in states:
        last = state.end_frame if state.end_frame is not None else float("inf")
        hits = frames.get((state.stream, state.transaction_id), ())
        yield Transaction.from_state(state, sum(state.start_frame <= f <= last for f in hits))


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
        "cancelled": row.cancelled, "findings": row.findings,
    }
    if vendor is not None:
        out["vendor"] = vendor
    out["named_params"] = [f"{p.name}={p.display}"
                           for p in request_params(row.opcode, row.params, vendor)]
    return out
