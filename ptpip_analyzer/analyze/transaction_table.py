"""The transactions table from the validator's packed records, a column at a time.

``tables.transactions_frame`` makes a ``Transaction`` per row and each column from them: on a
packet-heavy capture of 280,000 transactions that was ~10 s and ~150 MB on top of a table of
~70 MB (issue 17; issue 12's ``load()``). The finished transactions are already records of fixed
layout (``validate.transaction_store``), so every column here is numpy arithmetic on the record
fields; the names are made once per distinct key. The table is the same, cell for cell and
dtype for dtype (tests/analyze/test_transaction_table.py checks it on every shipped capture);
when a state does not fit a record the rows are made as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ..decode.codes import operation_name, response_name
from ..protocol import RESPONSE_OK
from ..validate.transaction_store import DIRECTION_NAMES, FLAGS, RecordFields
from . import columns, tcp_health
from .schema import frame, series
from .tables import VendorOf, named_params_text, transactions_frame
from .transactions import FindingsByTransaction, transactions_of

if TYPE_CHECKING:
    import pandas as pd

    from ..model import Finding
    from ..reassembly.flows import FlowTable
    from ..validate import TransactionState

_OUT = DIRECTION_NAMES.index("out")
T = TypeVar("T")


def transactions_table(c: VendorOf, states: Sequence[TransactionState],
                       findings: Sequence[Finding], t0: float,
                       tcp: FlowTable | None = None) -> pd.DataFrame:
    """The transactions table of ``states`` (by start frame) with the findings that count
    for each (``FindingsByTransaction``); ``tcp``: the flow table, for the TCP columns."""
    fields = getattr(states, "fields", None)
    found = fields() if fields is not None else None
    if found is None:  # a state no record holds (or plain states): a row object each
        return transactions_frame(c, transactions_of(states, findings), t0, tcp)
    return frame("transactions", _columns(c, found, findings, t0, tcp))


def states_of(states: Sequence[TransactionState], wanted: set[tuple[int, int]]
              ) -> list[TransactionState]:
    """The states whose (stream, transaction id) is in ``wanted``, in order; found from the
    record fields when there are, so that only those states are made."""
    fields = getattr(states, "fields", None)
    found = fields() if fields is not None else None
    if found is None:
        return [s for s in states if (s.stream, s.transaction_id) in wanted]
    keys = found["stream"].astype(np.uint64) << np.uint64(32) | found["transaction_id"]
    named = np.fromiter((s << 32 | t for s, t in wanted if 0 <= s < 1 << 32 and 0 <= t < 1 << 32),
                        np.uint64)
    return [states[i] for i in np.flatnonzero(np.isin(keys, named)).tolist()]


def _columns(c: VendorOf, r: RecordFields, findings: Sequence[Finding], t0: float,
             tcp: FlowTable | None) -> dict[str, Any]:
    flags = r["flags"]

    def no(name: str) -> np.ndarray:
        return (flags & FLAGS[name]) != 0

    answered = ~no("no_response")
    # the steps that need the most scratch memory first, while the table holds little
    out: dict[str, Any] = _names(c, r)
    out.update(_status(r, answered, no, findings))
    out.update(_times(r, no, t0))
    out.update({
        "session": columns.nullable(r["session"], no("no_session"), "Int64"),
        "stream": r["stream"].astype(np.int64),
        "transaction_id": r["transaction_id"].astype(np.int64),
        "opcode": r["opcode"].astype(np.int64),
        "response_code": columns.nullable(r["response_code"], ~answered, "Int64"),
        "ok": columns.nullable(r["response_code"] == RESPONSE_OK, ~answered, "boolean"),
        "data_bytes": r["data_bytes"].astype(np.int64),
        "announced_bytes": columns.nullable(r["announced"], no("no_announced"), "UInt64"),
        "start_frame": r["start_frame"].astype(np.int64),
        "end_frame": columns.nullable(r["end_frame"], no("no_end_frame"), "Int64"),
        "complete": answered,
        "cancelled": no("cancelled"),
    })
    out.update(_params(r))
    out.update(tcp_health.span_columns(tcp, out["stream"], out["start_frame"],
                                       r["end_frame"].astype(np.int64), no("no_end_frame")))
    return out


def _params(r: RecordFields) -> dict[str, pd.Series]:
    count = r["param_count"]
    return {f"param{i}": columns.nullable(r[f"p{i}"], count < i, "Int64") for i in _PARAMS}


_PARAMS = range(1, 6)


def _times(r: RecordFields, no: Any, t0: float) -> dict[str, Any]:
    """The times and the time breakdown (``transactions.breakdown_of``, per column)."""
    start = r["start_time"]
    end = np.where(no("no_end_time"), np.nan, r["end_time"])
    first = np.where(no("no_data_start"), np.nan, r["data_start"])
    last = np.where(no("no_data_end"), np.nan, r["data_end"])
    previous = np.where(no("no_previous"), np.nan, r["previous"])
    phase = ~(np.isnan(first) | np.isnan(last))
    answered = ~np.isnan(end)
    latency = end - start
    no_phase = np.where(answered, 0.0, np.nan)
    with np.errstate(invalid="ignore"):
        idle = np.where(np.isnan(previous), np.nan, np.maximum(0.0, start - previous))
    host = phase & (r["direction"] == _OUT)
    return {
        # (typed now: the conversion's scratch is not on top of the whole table)
        "start": series("transactions", "start", start),
        "end": series("transactions", "end", end), "start_rel_s": start - t0,
        "latency_s": latency,
        "wait_s": np.where(phase, first - start, latency),
        "wait_side": columns.category(*_used(host.astype(np.intp), ["camera", "host"])),
        "transfer_s": np.where(phase, last - first, no_phase),
        "finish_s": np.where(phase, end - last, no_phase),
        "idle_before_s": idle,
    }


def _names(c: VendorOf, r: RecordFields) -> dict[str, pd.Series]:
    """The named columns: each distinct (stream, code) named once. The vendor is the
    stream's (``vendor_of``), so keys hold the stream."""
    answered = (r["flags"] & FLAGS["no_response"]) == 0
    count = r["param_count"]
    params = {f"p{i}": np.where(count >= i, r[f"p{i}"], 0) for i in _PARAMS}

    def opcode(k: np.void) -> str:
        return operation_name(int(k["opcode"]), c.vendor_of(int(k["stream"])))

    def response(k: np.void) -> str | None:
        return response_name(int(k["code"]), c.vendor_of(int(k["stream"]))) \
            if k["answered"] else None

    def request(k: np.void) -> str:
        values = tuple(int(k[f"p{i}"]) for i in _PARAMS)[:k["count"]]
        return named_params_text(int(k["opcode"]), values, c.vendor_of(int(k["stream"])))
    return {
        "opcode_name": columns.category(*_distinct(
            opcode, stream=r["stream"], opcode=r["opcode"])),
        "response_name": columns.category(*_distinct(
            response, stream=r["stream"], answered=answered,
            code=np.where(answered, r["response_code"], 0))),
        "data_direction": columns.category(*columns.mapped(
            r["direction"], DIRECTION_NAMES.__getitem__)),
        "vendor": columns.category(*columns.mapped(r["stream"], c.vendor_of)),
        "named_params": _strings(*_distinct(
            request, stream=r["stream"], opcode=r["opcode"], count=count, **params)),
    }


def _distinct(name: Callable[[np.void], T], **fields: np.ndarray) -> tuple[np.ndarray, list[T]]:
    """Row codes into ``name(key)`` for each distinct key of ``fields`` (packed into one
    record a row and sorted as bytes: no wide integer array per column)."""
    keys = np.zeros(len(next(iter(fields.values()))), [
        (k, v.dtype, v.shape[1:]) for k, v in fields.items()])
    for k, v in fields.items():
        keys[k] = v
    distinct, inverse = np.unique(keys.view(f"V{keys.itemsize}"), return_inverse=True)
    return inverse.reshape(-1), [name(k) for k in distinct.view(keys.dtype)]


def _strings(inverse: np.ndarray, names: Sequence[str]) -> pd.Series:
    """A ``string`` column of ``names[i]`` for each row code (each distinct string once)."""
    return series("transactions", "named_params", np.array(names, dtype=object)[inverse])


def _status(r: RecordFields, answered: np.ndarray, no: Any,
            findings: Sequence[Finding]) -> dict[str, Any]:
    """``findings`` and ``status`` (``transactions.transaction_status``)."""
    count, error = _hits(r, FindingsByTransaction(findings))
    choices = [~answered, no("uncertain"), error, no("cancelled"),
               r["response_code"] == RESPONSE_OK]
    names = ["unanswered", "damaged", "invalid", "cancelled", "ok", "failed"]
    status = np.select(choices, np.arange(5), 5)
    return {"findings": count,
            "status": columns.category(*_used(status, names))}


def _hits(r: RecordFields, found: FindingsByTransaction) -> tuple[np.ndarray, np.ndarray]:
    """How many findings count for each row, and whether one of them is an error."""
    count, error = np.zeros(len(r), np.int64), np.zeros(len(r), bool)
    if not found:
        return count, error
    flags, session, stream, tid = r["flags"], r["session"], r["stream"], r["transaction_id"]
    start, end = r["start_frame"], r["end_frame"]
    for i in np.flatnonzero(found.named(tid)).tolist():
        hits = found.hits_at(None if flags[i] & FLAGS["no_session"] else int(session[i]),
                             int(stream[i]), int(tid[i]), int(start[i]),
                             None if flags[i] & FLAGS["no_end_frame"] else int(end[i]))
        count[i], error[i] = len(hits), any(hits)
    return count, error


def _used(codes: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Row codes into only the names that occur (``columns.category`` wants each used)."""
    used, inverse = np.unique(codes, return_inverse=True)
    return inverse.reshape(-1), [names[i] for i in used.tolist()]
