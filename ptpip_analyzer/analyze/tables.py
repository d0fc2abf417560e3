"""The capture's tables as typed DataFrames, from one collector pass (see schema.py).

Each builder turns the collector's columns (or the validator's objects) into one table of the
schema; nothing here reads the file or decodes bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from ..decode.codes import code_name, operation_name, response_name
from ..decode.params import request_params
from ..model import Direction, Finding, format_address
from ..pipeline import StreamAccounting
from ..protocol import RESPONSE_OK as OK
from ..validate import Session
from . import tcp_health
from .collect import DIRECTION_NAMES, CaptureCollector, Columns, StreamFacts
from .properties import readings
from .schema import SCHEMAS, frame
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


def _located(table: str, cols: Columns, session_of: SessionOf, t0: float) -> pd.DataFrame:
    """A table whose rows carry frame/time/stream: adds rel_s and session."""
    data: dict[str, Sequence[object]] = dict(cols)
    data["rel_s"] = [t - t0 for t in cols.get("time", ())]
    data["session"] = [session_of.get(s) if s is not None else None
                       for s in cols.get("stream", ())]
    return frame(table, data)


def _code_names(c: CaptureCollector, ptypes: Iterable[int], codes: Iterable[int | None],
                streams: Iterable[int]) -> list[str | None]:
    """Names of codes in the vendor table the session ended up with (decode.vendor)."""
    vendors = {n: c.vendor_of(n) for n in c.streams}
    cache: dict[tuple[int, int, str | None], str] = {}
    out: list[str | None] = []
    for ptype, code, stream in zip(ptypes, codes, streams, strict=True):
        if code is None:
            out.append(None)
            continue
        key = (ptype, code, vendors.get(stream))
        if key not in cache:
            cache[key] = code_name(*key)
        out.append(cache[key])
    return out


def packets_frame(c: CaptureCollector, session_of: SessionOf) -> pd.DataFrame:
    if not c.packet_columns:
        raise ValueError("this engine keeps no packets table (EngineOptions(packet_columns="
                         "False)): read packets from its record store")
    cols = c.packets
    # late-resolved: a connection's role may be learnt after its first packets (a mid-stream
    # event connection that starts with a Cancel)
    roles = {n: conn.role.value for n, conn in c.connections.items()}
    cols["role"] = [roles.get(s, "unknown") for s in cols.get("stream", ())]
    cols["code_name"] = _code_names(c, cols["ptype"], cols["code"], cols["stream"])
    return _located("packets", cols, session_of, c.t0 or 0.0)


def events_frame(c: CaptureCollector, session_of: SessionOf) -> pd.DataFrame:
    cols = c.events
    cols["code_name"] = _code_names(c, [8] * len(cols["code"]), cols["code"], cols["stream"])
    return _located("events", cols, session_of, c.t0 or 0.0)


def gaps_frame(c: CaptureCollector, session_of: SessionOf) -> pd.DataFrame:
    return _located("gaps", c.gaps, session_of, c.t0 or 0.0)


def properties_frame(c: CaptureCollector, session_of: SessionOf) -> pd.DataFrame:
    """The property timeline (analyze.properties), one row per observed change."""
    rows = c.properties.rows
    stream_of = dict(zip(c.packets.get("frame", []), c.packets.get("stream", []), strict=True))
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


def transactions_frame(c: VendorOf, rows: Sequence[Transaction], t0: float,
                       tcp: FlowTable | None = None) -> pd.DataFrame:
    """The transactions table: one code path for ``export``, ``transactions`` and load();
    ``tcp``: the engine's flow table, for the TCP health columns (tcp_health)."""
    cols: dict[str, list[Any]] = {name: [getattr(t, name) for t in rows] for name in (
        "session", "stream", "transaction_id", "opcode", "response_code", "data_direction",
        "data_bytes", "announced_bytes", "start_frame", "end_frame", "start", "end",
        "latency_s", "complete", "cancelled", "findings", "status", "wait_s", "wait_side",
        "transfer_s", "finish_s", "idle_before_s")}
    cols["opcode_name"] = [operation_name(t.opcode, c.vendor_of(t.stream)) for t in rows]
    cols["response_name"] = [response_name(t.response_code, c.vendor_of(t.stream))
                             if t.response_code is not None else None for t in rows]
    cols.update(_param_columns([t.params for t in rows]))
    cols["ok"] = [None if t.response_code is None else t.response_code == OK for t in rows]
    cols["start_rel_s"] = [t.start - t0 for t in rows]
    cols["vendor"] = [c.vendor_of(t.stream) for t in rows]
    cols["named_params"] = [", ".join(f"{p.name}={p.display}" for p in
                                      request_params(t.opcode, t.params, vendor))
                            for t, vendor in zip(rows, cols["vendor"], strict=True)]
    cols.update(tcp_health.transaction_columns(tcp, rows))
    return frame("transactions", cols)


def data_phases_frame(c: CaptureCollector, session_of: SessionOf) -> pd.DataFrame:
    phases = c.phases
    ps = [f.phase for f in phases]
    cols: dict[str, list[Any]] = {name: [getattr(p, name) for p in ps] for name in (
        "stream", "transaction_id", "opcode", "announced", "size", "complete", "first_frame",
        "last_frame", "start", "end")}
    cols["session"] = [session_of.get(p.stream) for p in ps]
    cols["opcode_name"] = [operation_name(p.opcode, c.vendor_of(p.stream))
                           if p.opcode is not None else None for p in ps]
    cols["direction"] = [DIRECTION_NAMES[p.direction] for p in ps]
    cols["dataset"] = [f.dataset for f in phases]
    cols["duration_s"] = [p.end - p.start for p in ps]
    cols["rate_Bps"] = [p.size / (p.end - p.start) if p.end > p.start else None for p in ps]
    return frame("data_phases", cols)


def findings_frame(findings: Sequence[Finding], times: Mapping[int, float]) -> pd.DataFrame:
    cols: dict[str, list[Any]] = {name: [getattr(f, name) for f in findings] for name in (
        "rule", "frame", "stream", "session", "transaction_id", "message")}
    cols["severity"] = [f.severity.name.lower() for f in findings]
    cols["time"] = [times.get(f.frame) for f in findings]
    return frame("findings", cols)


def sessions_frame(c: CaptureCollector, sessions: Sequence[Session],
                   accounting: Mapping[tuple[int, Direction], StreamAccounting],
                   transactions: Sequence[Transaction]) -> pd.DataFrame:
    rows = [_session_row(s, c, accounting, transactions) for s in sessions]
    return frame("sessions", {col.name: [row.get(col.name) for row in rows]
                              for col in SCHEMAS["sessions"]})


def _session_row(s: Session, c: CaptureCollector,
                 accounting: Mapping[tuple[int, Direction], StreamAccounting],
                 transactions: Sequence[Transaction]) -> dict[str, Any]:
    streams = [s.command_stream] + ([s.event_stream] if s.event_stream is not None else [])
    facts = [c.streams[n] for n in streams if n in c.streams]
    command = c.streams.get(s.command_stream)
    mine = [t for t in transactions if t.session == s.number]
    start = min((f.first_time for f in facts), default=None)
    end = max((f.last_time for f in facts), default=None)
    device = command.device_info if command else None
    return {
        "session": s.number, "initiator": format_address(s.initiator),
        **_handshake_fields(command),
        "vendor": command.vendor if command else None,
        "manufacturer": getattr(device, "manufacturer", None) or None,
        "model": getattr(device, "model", None) or None,
        "connection_number": s.connection_number, "command_stream": s.command_stream,
        "event_stream": s.event_stream, "start": start, "end": end,
        "duration_s": end - start if start is not None and end is not None else None,
        "bytes_to_camera": _bytes(accounting, streams, Direction.TO_RESPONDER),
        "bytes_to_host": _bytes(accounting, streams, Direction.TO_INITIATOR),
        "transactions": len(mine),
        "failed": sum(t.response_code not in (None, OK) for t in mine),
        "findings": sum(f.session == s.number for f in c.findings),
        "handshake_seen": s.handshake_seen,
    }


def _handshake_fields(facts: StreamFacts | None) -> dict[str, Any]:
    if facts is None:
        return {"refused": False}
    return {
        "initiator_guid": facts.initiator_guid.hex() if facts.initiator_guid else None,
        "initiator_name": facts.initiator_name,
        "camera": str(facts.responder),
        "camera_guid": facts.camera_guid.hex() if facts.camera_guid else None,
        "camera_name": facts.camera_name, "refused": facts.refused,
    }


def _bytes(accounting: Mapping[tuple[int, Direction], StreamAccounting], streams: list[int],
           direction: Direction) -> int:
    return sum(accounting[(n, direction)].total for n in streams
               if (n, direction) in accounting)
