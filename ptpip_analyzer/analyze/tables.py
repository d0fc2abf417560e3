"""The capture's tables as typed DataFrames, from one collector pass (see schema.py).

Each builder turns the collector's columns (or the validator's objects) into one table of the
schema; nothing here reads the file or decodes bytes.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from ..decode.codes import PacketType, code_name, operation_name, packet_type_name, response_name
from ..decode.params import request_params
from ..model import Direction, Finding, format_address
from ..pipeline import StreamAccounting
from ..protocol import RESPONSE_OK as OK
from ..protocol import UNKNOWN_DATA_LENGTH
from ..validate import Session
from . import columns, tcp_health
from .collect import DIRECTION_NAMES, CaptureCollector, StreamFacts
from .packet_rows import (
    COMPLETE,
    HAS_ANNOUNCED,
    HAS_CODE,
    HAS_OPCODE,
    HAS_TRANSACTION_ID,
    TO_HOST,
    Fields,
)
from .properties import readings
from .schema import PACKET_PLACES, frame, series
from .transactions import Transaction

if TYPE_CHECKING:
    from ..reassembly.flows import FlowTable

SessionOf = Mapping[int, int]  # stream -> session number


def session_map(sessions: Iterable[Session]) -> dict[int, int]:
    out: dict[int, int] = {}
    for s in sessions:
        out[s.command_stream] = s.number
        if s.event_stream is not None:
            out[s.event_stream] = s.number
    return out


def _located(table: str, cols: Mapping[str, Any], session_of: SessionOf,
             t0: float) -> pd.DataFrame:
    """A table whose rows carry frame/time/stream: adds rel_s and session."""
    data: dict[str, Any] = dict(cols)
    data["rel_s"] = [t - t0 for t in cols.get("time", ())]
    data["session"] = [session_of.get(s) if s is not None else None
                       for s in cols.get("stream", ())]
    return frame(table, data)


def _code_names(c: VendorOf, ptypes: np.ndarray, codes: np.ndarray,
                streams: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    """Row codes into the names of codes (-1: none) in the vendor table each session ended up
    with (decode.vendor), one lookup per distinct (stream, packet type, code)."""
    def name(stream: int, ptype: int, code: int) -> str | None:
        return code_name(ptype, code, c.vendor_of(stream)) if code >= 0 else None
    keys = np.stack([streams, ptypes, codes], axis=1).astype(np.int64)
    return columns.mapped_rows(keys, name)


def packets_frame(c: CaptureCollector, session_of: SessionOf, start: int = 0,
                  stop: int | None = None, places: bool | Collection[str] = False
                  ) -> pd.DataFrame:
    """Rows ``start`` on (up to ``stop``) of the packets table (one per PTP/IP packet);
    ``places``: only the ``schema.PACKET_PLACES`` columns (True), or only these of them."""
    if not c.packet_columns:
        raise ValueError("this engine keeps no packets table (EngineOptions(packet_columns="
                         "False)): read packets from its record store")
    fields = c.packets.columns(start, stop)
    if places is not False:
        return _places_frame(c, fields, session_of, PACKET_PLACES if places is True
                             else frozenset(places) & PACKET_PLACES)
    out = _where(fields, session_of, c.t0 or 0.0)
    stream = out["stream"]
    out["role"] = _roles(c, stream)
    flags = fields["flags"]
    out["direction"] = _direction(flags)
    ptype = fields["ptype"]
    out["ptype"] = ptype.astype(np.int64)
    out["type_name"] = columns.category(*columns.mapped(ptype, packet_type_name))
    out["offset"], out["length"] = fields["offset"], fields["length"].astype(np.int64)
    out["transaction_id"] = columns.nullable(fields["transaction_id"],
                                             (flags & HAS_TRANSACTION_ID) == 0, "Int64")
    no_code = (flags & HAS_CODE) == 0
    code = fields["code"].astype(np.int64)
    out["code"] = columns.nullable(code, no_code, "Int64")
    code[no_code] = -1
    out["code_name"] = columns.category(*_code_names(c, ptype, code, stream))
    del flags, ptype, code, no_code
    out.update(_param_columns_of(fields, 5))
    length = fields["data_length"]
    out["data_length"] = columns.nullable(length, length == UNKNOWN_DATA_LENGTH, "UInt64")
    out["missing"] = fields["missing"]
    return frame("packets", out)


def _places_frame(c: CaptureCollector, fields: Fields, session_of: SessionOf,
                  names: frozenset[str]) -> pd.DataFrame:
    """Only ``names`` of the place columns (``packets_frame``'s ``places``), each made only
    when asked for (the session and role lookups sort every stream number)."""
    makers: dict[str, Callable[[], Any]] = {
        "frame": lambda: fields["frame"], "time": lambda: fields["time"],
        "rel_s": lambda: fields["time"] - (c.t0 or 0.0),
        "session": lambda: columns.lookup(fields["stream"].astype(np.int64), session_of),
        "stream": lambda: fields["stream"].astype(np.int64),
        "role": lambda: _roles(c, fields["stream"].astype(np.int64)),
        "direction": lambda: _direction(fields["flags"]),
        "length": lambda: fields["length"].astype(np.int64)}
    return frame("packets", {name: makers[name]() for name in names}, names)


def _roles(c: CaptureCollector, stream: np.ndarray) -> pd.Series:
    # late-resolved: a connection's role may be learnt after its first packets (a mid-stream
    # event connection that starts with a Cancel)
    roles = {n: conn.role.value for n, conn in c.connections.items()}
    return columns.category(*columns.mapped(stream, lambda s: roles.get(s, "unknown")))


def _where(fields: Fields, session_of: SessionOf, t0: float) -> dict[str, Any]:
    """frame, time, rel_s, stream and session of rows that carry frame/time/stream."""
    time = fields["time"]
    stream = fields["stream"].astype(np.int64)
    return {"frame": fields["frame"], "time": time, "rel_s": time - t0,
            "session": columns.lookup(stream, session_of), "stream": stream}


def _param_columns_of(fields: Fields, count: int) -> dict[str, pd.Series]:
    sent = fields["nparams"]
    return {f"param{i}": columns.nullable(fields[f"p{i}"], sent < i, "Int64")
            for i in range(1, count + 1)}


def events_frame(c: CaptureCollector, session_of: SessionOf, start: int = 0) -> pd.DataFrame:
    fields = c.events.columns(start)
    out = _where(fields, session_of, c.t0 or 0.0)
    code = fields["code"].astype(np.int64)
    out["code"] = code
    out["transaction_id"] = columns.nullable(fields["transaction_id"],
                                             (fields["flags"] & HAS_TRANSACTION_ID) == 0,
                                             "Int64")
    ptype = np.full(len(code), int(PacketType.EVENT))
    out["code_name"] = columns.category(*_code_names(c, ptype, code, out["stream"]))
    out.update(_param_columns_of(fields, 3))
    return frame("events", out)


def gaps_frame(c: CaptureCollector, session_of: SessionOf, start: int = 0) -> pd.DataFrame:
    cols = {name: values[start:] for name, values in c.gaps.items()}
    return _located("gaps", cols, session_of, c.t0 or 0.0)


def frame_times(c: CaptureCollector, frames: Iterable[int],
                gaps: bool = True) -> dict[int, float]:
    """The capture time of each of ``frames`` that holds a packet (or a gap: ``gaps``), for
    the findings' times."""
    wanted = set(frames)
    times = {f: t for f, t in zip(c.gaps.get("frame", []), c.gaps.get("time", []),
                                  strict=True) if f in wanted} if gaps else {}
    times.update(_by_frame(c, wanted, "time"))
    return times


def frame_streams(c: CaptureCollector, frames: Iterable[int]) -> dict[int, int]:
    """The TCP stream of the packet each of ``frames`` holds (its last one)."""
    return _by_frame(c, set(frames), "stream")


def _by_frame(c: CaptureCollector, wanted: set[int], name: str) -> dict[int, Any]:
    if not wanted:
        return {}
    frames = c.packets.field("frame")
    hit = np.isin(frames, np.fromiter(wanted, np.int64, len(wanted)))
    return dict(zip(frames[hit].tolist(), c.packets.field(name)[hit].tolist(), strict=True))


def properties_frame(c: CaptureCollector, session_of: SessionOf) -> pd.DataFrame:
    """The property timeline (analyze.properties), one row per observed change."""
    rows = c.properties.rows
    stream_of = frame_streams(c, (r.frame for r in rows))
    cols: dict[str, list[Any]] = {name: [getattr(r, name) for r in rows] for name in (
        "frame", "time", "property", "property_name", "source", "transaction_id")}
    cols["camera"] = [r.session for r in rows]
    cols["stream"] = [stream_of.get(r.frame) for r in rows]
    cols["old_value"] = [_value_text(r.old_value) for r in rows]
    cols["new_value"] = [_value_text(r.new_value) for r in rows]
    cols["old_text"], cols["new_text"] = readings(
        c.properties, [c.vendor_of(s) if s is not None else None for s in cols["stream"]])
    return _located("properties", cols, session_of, c.t0 or 0.0)


def _value_text(value: object) -> str | None:
    return None if value is None else str(value)


def _param_columns(rows: Sequence[tuple[int, ...]], count: int = 5) -> dict[str, list[Any]]:
    return {f"param{i + 1}": [p[i] if i < len(p) else None for p in rows] for i in range(count)}


class VendorOf(Protocol):
    """Who names a stream's codes: the collector, or the engine itself (``transactions``)."""

    def vendor_of(self, stream: int) -> str | None: ...


_TRANSACTION_FIELDS = ("session", "stream", "transaction_id", "opcode", "response_code",
                      "data_bytes", "announced_bytes", "start_frame", "end_frame", "start",
                      "end", "latency_s", "complete", "cancelled", "findings", "wait_s",
                      "transfer_s", "finish_s", "idle_before_s")


BATCH = 4_096  # transactions made into rows at a time (transactions_frame)
_NAMED_COLUMNS = ("data_direction", "status", "wait_side", "opcode_name", "response_name",
                  "vendor")


def transactions_frame(c: VendorOf, rows: Iterable[Transaction], t0: float,
                       tcp: FlowTable | None = None) -> pd.DataFrame:
    """The transactions table: one code path for ``export``, ``transactions`` and load();
    ``tcp``: the engine's flow table, for the TCP health columns (tcp_health). ``rows`` are
    read once, ``BATCH`` at a time, each batch's columns typed at once: 280,000 rows held as
    ``Transaction`` objects took ~190 MB beside a table of 64 MB (issue 17)."""
    codes: dict[str, columns.Codes] = {name: columns.Codes() for name in _NAMED_COLUMNS}
    named: dict[tuple[Any, ...], str] = {}  # each distinct key named once over the batches
    pieces: dict[str, list[pd.Series]] = defaultdict(list)
    batches = iter(rows)
    while True:
        batch = list(itertools.islice(batches, BATCH))
        if not batch and pieces:
            break
        for name, column in _transaction_columns(c, batch, t0, tcp, codes, named).items():
            pieces[name].append(column)
        if len(batch) < BATCH:
            break
    # a column's pieces go as soon as it is joined: the table is not held twice
    out: dict[str, Any] = {name: _joined(pieces.pop(name)) for name in list(pieces)}
    out.update({name: found.column() for name, found in codes.items()})
    return frame("transactions", out)


def _joined(parts: list[pd.Series]) -> pd.Series:
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


def _transaction_columns(c: VendorOf, rows: Sequence[Transaction], t0: float,
                         tcp: FlowTable | None, codes: Mapping[str, columns.Codes],
                         named: dict[tuple[Any, ...], str]) -> dict[str, pd.Series]:
    """One batch's typed columns; the named ones go into ``codes`` (typed at the end)."""
    out: dict[str, pd.Series] = {}

    def put(name: str, values: Sequence[object]) -> None:
        out[name] = series("transactions", name, values)
    for name in _TRANSACTION_FIELDS:
        put(name, [getattr(t, name) for t in rows])
    for name in ("data_direction", "status", "wait_side"):
        codes[name].add(getattr(t, name) for t in rows)
    vendors = [c.vendor_of(t.stream) for t in rows]
    codes["opcode_name"].add(_named(operation_name, (
        (t.opcode, v) for t, v in zip(rows, vendors, strict=True)), cache=named))
    codes["response_name"].add(_named(response_name, (
        (t.response_code, v) for t, v in zip(rows, vendors, strict=True)), none=(None,),
        cache=named))
    for name, values in _param_columns([t.params for t in rows]).items():
        put(name, values)
    put("ok", [None if t.response_code is None else t.response_code == OK for t in rows])
    put("start_rel_s", [t.start - t0 for t in rows])
    codes["vendor"].add(vendors)
    put("named_params", list(_named(named_params_text, (
        (t.opcode, t.params, v) for t, v in zip(rows, vendors, strict=True)), cache=named)))
    for name, values in tcp_health.transaction_columns(tcp, rows).items():
        put(name, values)
    return out


def _named(name_of: Callable[..., str], keys: Iterable[tuple[Any, ...]],
           none: tuple[Any, ...] = (), cache: dict[tuple[Any, ...], str] | None = None
           ) -> Iterator[str | None]:
    """``name_of(*key)`` per key, each distinct key named once (the same string object for
    equal keys); None where the key's first item is in ``none``. ``cache``: shared by calls
    (keys of different ``name_of`` differ in length or in their items' types)."""
    cache = {} if cache is None else cache
    for key in keys:
        if key[0] in none:
            yield None
            continue
        found = cache.get((name_of, *key))
        if found is None:
            found = cache[(name_of, *key)] = name_of(*key)
        yield found


def named_params_text(opcode: int, params: tuple[int, ...], vendor: str | None) -> str:
    return ", ".join(f"{p.name}={p.display}" for p in request_params(opcode, params, vendor))


def data_phases_frame(c: CaptureCollector, session_of: SessionOf,
                      start: int = 0) -> pd.DataFrame:
    """Rows ``start`` on of the data phases table (one per finished data phase)."""
    fields = c.phases.columns(start)
    out: dict[str, Any] = {"stream": fields["stream"].astype(np.int64)}
    stream, flags = out["stream"], fields["flags"]
    out["session"] = columns.lookup(stream, session_of)
    out["transaction_id"] = fields["transaction_id"].astype(np.int64)
    no_opcode = (flags & HAS_OPCODE) == 0
    opcode = fields["opcode"].astype(np.int64)
    out["opcode"] = columns.nullable(opcode, no_opcode, "Int64")
    opcode[no_opcode] = -1
    out["opcode_name"] = columns.category(*columns.mapped_rows(
        np.stack([stream, opcode], axis=1),
        lambda s, op: operation_name(op, c.vendor_of(s)) if op >= 0 else None))
    out["direction"] = _direction(flags)
    out["announced"] = columns.nullable(fields["announced"], (flags & HAS_ANNOUNCED) == 0,
                                        "UInt64")
    size = fields["size"]
    out["size"] = size
    out["complete"] = columns.nullable((flags & COMPLETE) != 0, np.zeros(len(size), bool),
                                       "boolean")
    datasets = c.phases.dataset_names()
    out["dataset"] = columns.category(*columns.mapped(fields["dataset"], datasets.__getitem__))
    out["first_frame"], out["last_frame"] = fields["first_frame"], fields["last_frame"]
    out["start"], out["end"] = begin, end = fields["start"], fields["end"]
    out["duration_s"] = duration = end - begin
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate_Bps"] = np.where(end > begin, size / duration, np.nan)
    return frame("data_phases", out)


def findings_frame(findings: Sequence[Finding], times: Mapping[int, float]) -> pd.DataFrame:
    cols: dict[str, list[Any]] = {name: [getattr(f, name) for f in findings] for name in (
        "rule", "frame", "stream", "session", "transaction_id", "message")}
    cols["severity"] = [f.severity.name.lower() for f in findings]
    cols["time"] = [times.get(f.frame) for f in findings]
    return frame("findings", cols)


@dataclass(frozen=True, slots=True)
class TransactionCounts:
    """Transactions made and failed (a response other than OK) per session number."""

    made: Counter[int | None]  # (0 for a session without any)
    failed: Counter[int | None]

    @classmethod
    def of_rows(cls, transactions: Iterable[Transaction]) -> TransactionCounts:
        made: Counter[int | None] = Counter()
        failed: Counter[int | None] = Counter()
        for t in transactions:
            made[t.session] += 1
            failed[t.session] += t.response_code not in (None, OK)
        return cls(made, failed)

    @classmethod
    def of_table(cls, transactions: pd.DataFrame) -> TransactionCounts:
        """From the transactions table (whose rows need not be made again)."""
        session, code = transactions["session"], transactions["response_code"]
        failed = code.notna() & code.ne(OK).fillna(False)
        return cls(_counts(session), _counts(session[failed]))


def _counts(sessions: pd.Series) -> Counter[int | None]:
    return Counter({int(k): int(n) for k, n in sessions.value_counts().items()})


def sessions_frame(c: CaptureCollector, sessions: Sequence[Session],
                   accounting: Mapping[tuple[int, Direction], StreamAccounting],
                   counts: TransactionCounts) -> pd.DataFrame:
    """One row per session, built column by column (20,000 sessions: no row of dicts each,
    and each count taken in one pass, not one pass per session)."""
    made, failed = counts.made, counts.failed
    found = Counter(f.session for f in c.findings)
    commands = [c.streams.get(s.command_stream) for s in sessions]
    spans = [session_span(c, s) for s in sessions]
    shared: dict[str, str] = {}  # equal strings once (every session of one host)
    text = partial(_shared, shared)
    cols: dict[str, Callable[[], list[Any]]] = {
        "session": lambda: [s.number for s in sessions],
        "initiator": lambda: [text(format_address(s.initiator)) for s in sessions],
        "initiator_guid": lambda: [_hex(f and f.initiator_guid) for f in commands],
        "initiator_name": lambda: [f.initiator_name if f else None for f in commands],
        "camera": lambda: [text(str(f.responder)) if f else None for f in commands],
        "camera_guid": lambda: [_hex(f and f.camera_guid) for f in commands],
        "camera_name": lambda: [f.camera_name if f else None for f in commands],
        "refused": lambda: [f.refused if f else False for f in commands],
        "vendor": lambda: [f.vendor if f else None for f in commands],
        "manufacturer": lambda: [_device(f, "manufacturer") for f in commands],
        "model": lambda: [_device(f, "model") for f in commands],
        "connection_number": lambda: [s.connection_number for s in sessions],
        "command_stream": lambda: [s.command_stream for s in sessions],
        "event_stream": lambda: [s.event_stream for s in sessions],
        "start": lambda: [start for start, _ in spans],
        "end": lambda: [end for _, end in spans],
        "duration_s": lambda: [end - start if start is not None and end is not None else None
                               for start, end in spans],
        "bytes_to_camera": lambda: [_bytes(accounting, _streams(s), Direction.TO_RESPONDER)
                                    for s in sessions],
        "bytes_to_host": lambda: [_bytes(accounting, _streams(s), Direction.TO_INITIATOR)
                                  for s in sessions],
        "transactions": lambda: [made[s.number] for s in sessions],
        "failed": lambda: [failed[s.number] for s in sessions],
        "findings": lambda: [found[s.number] for s in sessions],
        "handshake_seen": lambda: [s.handshake_seen for s in sessions],
    }
    for later in ("announced", "described_name", "described_model", "described_udn"):
        cols[later] = lambda: [None] * len(sessions)  # discovery.with_announced fills them
    return frame("sessions", {name: series("sessions", name, values())
                              for name, values in cols.items()})


def _streams(s: Session) -> list[int]:
    return [s.command_stream] + ([s.event_stream] if s.event_stream is not None else [])


def _direction(flags: Any) -> pd.Series:
    """The direction column from the packed rows' TO_HOST bit."""
    def name(to_host: int) -> str:
        return DIRECTION_NAMES[Direction.TO_INITIATOR if to_host else Direction.TO_RESPONDER]
    return columns.category(*columns.mapped(flags & TO_HOST, name))


def session_span(c: CaptureCollector, s: Session) -> tuple[float | None, float | None]:
    """A session's first and last packet time over its connections."""
    facts = [c.streams[n] for n in _streams(s) if n in c.streams]
    return (min((f.first_time for f in facts), default=None),
            max((f.last_time for f in facts), default=None))


def _hex(guid: bytes | None) -> str | None:
    return guid.hex() if guid else None


def _device(facts: StreamFacts | None, name: str) -> str | None:
    device = facts.device_info if facts else None
    return getattr(device, name, None) or None


def _shared(seen: dict[str, str], value: str) -> str:
    return seen.setdefault(value, value)


def _bytes(accounting: Mapping[tuple[int, Direction], StreamAccounting], streams: list[int],
           direction: Direction) -> int:
    return sum(accounting[(n, direction)].total for n in streams
               if (n, direction) in accounting)
