"""The documented schemas of ``Capture``'s tables: column names, dtypes and meanings, as data.

Every table is built through ``frame()`` from plain column lists, so the dtypes a user sees are
the ones written here (tidy tables: one row per observation, typed columns, no payload bytes or
object blobs). ``describe(table)`` gives the schema as a DataFrame for notebooks and docs.
Times are UTC datetimes (``datetime64[ns, UTC]``); ``rel_s`` columns are seconds since the
capture's first PTP/IP record, handy for plots.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported when a table is built, not with the schema: the CLI reads column names
# before a run, and pandas' ~90 MB should not sit under the engine's peak (issue 17).
SEVERITY_LEVELS = ("note", "warning", "error")
DATETIME = "datetime64[ns, UTC]"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    # int64 | Int64 | UInt64 | float64 | boolean | category | severity | string | datetime.
    # UInt64 where the wire sends a u64 (Start Data's total): 2^63 and more must fit.
    dtype: str
    doc: str


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


_WHERE = (("frame", "int64", "capture frame holding the first byte"),
          ("time", "datetime", "capture time of that frame (UTC)"),
          ("rel_s", "float64", "seconds since the capture's first PTP/IP record"))
_P5 = tuple((f"param{i}", "Int64", f"parameter {i} (NA: not sent)") for i in range(1, 6))

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "packets": _cols(
        *_WHERE,
        ("session", "Int64", "PTP/IP session number (command + event connection), from 1"),
        ("stream", "int64", "TCP stream number (Wireshark's tcp.stream)"),
        ("role", "category", "command | event | unknown connection"),
        ("direction", "category", "to_camera (initiator to responder) | to_host"),
        ("ptype", "int64", "PTP/IP packet type (1-14)"),
        ("type_name", "category", "packet type name"),
        ("offset", "int64", "stream offset of the packet's first byte"),
        ("length", "int64", "packet length including its 8-byte header"),
        ("transaction_id", "Int64", "transaction id, where the type has one"),
        ("code", "Int64", "operation / response / event code"),
        ("code_name", "category", "name of that code"),
        *_P5,
        ("data_length", "UInt64",
         ("Start Data: announced total (NA: 0xFFFFFFFFFFFFFFFF, unknown); Data/End Data: "
          "payload bytes")),
        ("missing", "int64", "bytes of this packet lost to capture gaps"),
    ),
    "transactions": _cols(
        ("session", "Int64", "session number"),
        ("stream", "int64", "command connection's TCP stream"),
        ("transaction_id", "int64", "PTP transaction id"),
        ("opcode", "int64", "operation code"),
        ("opcode_name", "category", "operation name"),
        *_P5,
        ("response_code", "Int64", "response code (NA: no response captured)"),
        ("response_name", "category", "response name"),
        ("ok", "boolean", "response was OK (0x2001); NA without response"),
        ("data_direction", "category", "in (camera to host) | out (host to camera) | NA"),
        ("data_bytes", "int64", "data bytes seen in the data phase"),
        ("announced_bytes", "UInt64", "Start Data's announced length (NA: none or unknown)"),
        ("start_frame", "int64", "frame of the Operation Request"),
        ("end_frame", "Int64", "frame of the Operation Response"),
        ("start", "datetime", "request time"),
        ("end", "datetime", "response time (NaT: none)"),
        ("start_rel_s", "float64", "request time, seconds since capture start"),
        ("latency_s", "float64", "response time minus request time (NaN: no response)"),
        ("complete", "boolean", "the response was captured"),
        ("cancelled", "boolean", "a Cancel was sent"),
        ("findings", "int64",
         "validator findings naming this transaction (any connection of its session)"),
        ("status", "category",
         ("ok | failed (response not OK) | cancelled | unanswered (no response captured) | "
         "damaged (capture lost bytes while it ran) | invalid (an error finding on it: it "
         "broke the protocol, by either side)")),
        ("wait_s", "float64",
         ("request -> first reply: Start Data, or the response when there is no data phase "
         "(NaN: neither captured)")),
        ("wait_side", "category",
         "whose delay wait_s is: camera | host (data-out operations: the host's own Start Data)"),
        ("transfer_s", "float64",
         ("Start Data -> the frame holding the last data byte (0: no data phase; NaN: "
          "unanswered, no data)")),
        ("finish_s", "float64",
         ("the last data byte -> the response (0: no data phase; NaN: no response); "
         "wait_s + transfer_s + finish_s = latency_s")),
        ("idle_before_s", "float64",
         ("the previous response on the connection -> this request: host think time "
         "(NaN: first request)")),
        ("vendor", "category",
         "vendor table the names come from (detected per session, or --vendor)"),
        ("named_params", "string",
         "the request's parameters by name, e.g. StorageID=0x00010001 (decode.params)"),
        ("retransmissions", "Int64",
         ("TCP retransmissions on the connection from request to response (all kinds, as "
          "tshark's tcp.analysis.retransmission)")),
        ("stall_s", "float64",
         ("seconds the connection stalled from request to response: retransmission timeouts "
          "and zero windows (the tcp table)")),
    ),
    "data_phases": _cols(
        ("session", "Int64", "session number"),
        ("stream", "int64", "TCP stream"),
        ("transaction_id", "int64", "transaction id of Start Data"),
        ("opcode", "Int64", "operation of the request (NA: request not captured)"),
        ("opcode_name", "category", "operation name"),
        ("direction", "category", "to_camera | to_host: who sent the data"),
        ("announced", "UInt64", "Start Data's total length (NA: unknown or not captured)"),
        ("size", "int64", "data bytes seen (Data + End Data payloads)"),
        ("complete", "boolean", "ended by End Data"),
        ("dataset", "category", "dataset decoded from the bytes (ObjectInfo, ...), if any"),
        ("first_frame", "int64", "frame of Start Data"),
        ("last_frame", "int64", "frame of the last data packet"),
        ("start", "datetime", "Start Data time"),
        ("end", "datetime", "last data packet time"),
        ("duration_s", "float64", "end - start"),
        ("rate_Bps", "float64", "size / duration (NaN for a one-packet phase)"),
    ),
    "events": _cols(
        *_WHERE,
        ("session", "Int64", "session number"),
        ("stream", "int64", "event connection's TCP stream"),
        ("code", "int64", "event code"),
        ("code_name", "category", "event name"),
        ("transaction_id", "Int64", "transaction id the event names (0xFFFFFFFF: none)"),
        *_P5[:3],
    ),
    "objects": _cols(
        ("session", "Int64", "session number"),
        ("handle", "int64", "object handle"),
        ("filename", "string", "ObjectInfo filename"),
        ("format", "Int64", "ObjectInfo object format code"),
        ("size", "Int64", "ObjectInfo compressed size (bytes)"),
        ("capture_date", "datetime", "ObjectInfo capture date (NaT: empty or unparsable)"),
        ("modification_date", "datetime", "ObjectInfo modification date"),
        ("storage_id", "Int64", "ObjectInfo storage id"),
        ("parent", "Int64", "ObjectInfo parent handle"),
        ("transfer", "category", "download | upload | NA: only its ObjectInfo was seen"),
        ("transactions", "int64", "object data phases (GetObject, GetPartialObject, SendObject)"),
        ("bytes", "int64", "object data bytes transferred (sum of those data phases)"),
        ("thumb_bytes", "int64", "GetThumb data bytes"),
        ("complete", "boolean", "bytes == size (or Start Data's length), none lost by the capture, every data phase ended by End Data"),
        ("sha256", "string", "SHA-256 of the object bytes when all were captured and kept"),
        ("first_frame", "Int64", "first frame of the object's data"),
        ("start", "datetime", "first object request"),
        ("end", "datetime", "last object response"),
        ("transfer_s", "float64", "sum of the object data transactions' latencies"),
        ("rate_Bps", "float64", "bytes / transfer_s"),
    ),
    "sessions": _cols(
        ("session", "int64", "session number, from 1 in order of the command connection"),
        ("initiator", "string", "initiator (host) IP address"),
        ("initiator_guid", "string", "GUID in Init Command Request (hex)"),
        ("initiator_name", "string", "friendly name in Init Command Request"),
        ("camera", "string", "responder (camera) IP address and port"),
        ("camera_guid", "string", "GUID in Init Command Ack (hex)"),
        ("camera_name", "string", "friendly name in Init Command Ack"),
        ("refused", "boolean", "the camera answered Init Fail"),
        ("vendor", "category", "vendor, from DeviceInfo (NA: not seen)"),
        ("manufacturer", "string", "DeviceInfo Manufacturer"),
        ("model", "string", "DeviceInfo Model"),
        ("connection_number", "Int64", "connection number from Init Command Ack"),
        ("command_stream", "int64", "command connection's TCP stream"),
        ("event_stream", "Int64", "event connection's TCP stream (NA: none seen)"),
        ("start", "datetime", "first packet of the session"),
        ("end", "datetime", "last packet of the session"),
        ("duration_s", "float64", "end - start"),
        ("bytes_to_camera", "int64", "PTP/IP stream bytes initiator to camera (both connections)"),
        ("bytes_to_host", "int64", "PTP/IP stream bytes camera to initiator (both connections)"),
        ("transactions", "int64", "transactions"),
        ("failed", "int64", "transactions answered with another response than OK"),
        ("findings", "int64", "validator findings"),
        ("handshake_seen", "boolean", "the command handshake is in the capture"),
        ("announced", "string",
         ("how the camera announced itself (the discovery table's protocols linked to this "
          "session: ssdp, upnp-description, mdns; NA: none seen)")),
        ("described_name", "string",
         "friendlyName of the UPnP device description linked to this session (NA: none seen)"),
        ("described_model", "string", "manufacturer and modelName of that description"),
        ("described_udn", "string", "UDN of that description (its uuid, 8-4-4-4-12)"),
    ),
    "findings": _cols(
        ("rule", "category", "stable rule id (docs/rules.md)"),
        ("severity", "severity", "note < warning < error (ordered)"),
        *_WHERE[:2],
        ("session", "Int64", "session number"),
        ("stream", "int64", "TCP stream"),
        ("transaction_id", "Int64", "transaction the finding names"),
        ("message", "string", "what is wrong"),
    ),
    "properties": _cols(
        *_WHERE,
        ("session", "Int64", "session number"),
        ("camera", "string", "camera address (analyze.properties tells sessions apart by it)"),
        ("property", "int64", "device property code"),
        ("property_name", "category", "property name (in the session's vendor table)"),
        ("old_value", "string", "value before (NA: not known)"),
        ("new_value", "string", "value after (NA: DevicePropChanged, not read yet)"),
        ("old_text", "string", "old_value for humans (f/5.6, 1/250 s, ...; NA: no reading)"),
        ("new_text", "string",
         "new_value for humans (analyze.property_values; NA: no reading known)"),
        ("source", "category", "the operation or event that showed the change"),
        ("transaction_id", "Int64", "transaction that showed the change"),
    ),
    "gaps": _cols(
        ("kind", "category", "gap (bytes not captured) | malformed (bytes not PTP/IP)"),
        *_WHERE,
        ("session", "Int64", "session number"),
        ("stream", "int64", "TCP stream"),
        ("direction", "category", "to_camera | to_host"),
        ("offset", "int64", "stream offset"),
        ("length", "int64", "bytes"),
        ("reason", "string", "why"),
    ),
    "device_info": _cols(
        ("session", "Int64", "session number"),
        ("stream", "int64", "command connection's TCP stream (the GetDeviceInfo data phase)"),
        ("kind", "category",
         "operation | event | property | capture_format | playback_format"),
        ("code", "int64", "the code DeviceInfo lists"),
        ("name", "string", "its name in the session's vendor table"),
        ("vendor", "category", "vendor table the names come from"),
        ("value", "string", "property: last value the capture showed (NA: not read)"),
        ("value_text", "string",
         ("property: that value for humans, e.g. f/5.6, 1/250 s, ISO 800, Daylight "
          "(analyze.property_values; NA: no reading known)")),
        ("writable", "boolean", "property: DevicePropDesc says settable (NA: not read)"),
    ),
}

SCHEMAS["tcp"] = _cols(  # analyze/tcp_health.py; counted as Wireshark's tcp.analysis
    ("session", "Int64", "session number"),
    ("stream", "int64", "TCP stream"),
    ("role", "category", "command | event | unknown connection"),
    ("direction", "category", "to_camera | to_host: which direction's segments"),
    ("sender", "string", "address:port that sent them"),
    ("initial_rtt_s", "float64", "SYN -> the first ACK without SYN (NaN: handshake not captured)"),
    ("fin_frame", "Int64", "first FIN of this direction"),
    ("rst_frame", "Int64", "first RST of this direction"),
    ("retransmissions", "int64", "retransmitted segments, all kinds (tcp.analysis.retransmission)"),
    ("fast_retransmissions", "int64", "of which fast retransmissions (after duplicate ACKs)"),
    ("spurious_retransmissions", "int64", "of which spurious (bytes the peer had acknowledged)"),
    ("out_of_order", "int64", "out-of-order segments (tcp.analysis.out_of_order)"),
    ("dup_acks", "int64", "duplicate ACKs (tcp.analysis.duplicate_ack)"),
    ("zero_windows", "int64", "segments advertising a zero window (tcp.analysis.zero_window)"),
    ("stall_s", "float64",
     ("seconds stalled: waits before retransmission timeouts, and this direction's zero "
      "windows (the peer could not send); overlaps counted once")),
    ("max_wait_s", "float64", "the longest single wait (PTPIP-TCP-002/003 from 0.2 s)"),
)

SCHEMAS["discovery"] = _cols(  # analyze/discovery.py; ptpip_analyzer/discovery decodes them
    ("frame", "int64", "capture frame of the message"),
    ("time", "datetime", "capture time of that frame (UTC)"),
    ("protocol", "category", "ssdp | mdns | upnp-description"),
    ("kind", "category",
     ("notify, byebye, search, response (SSDP); announcement, query (mDNS); document "
      "(description); malformed")),
    ("src", "string", "sender address:port"),
    ("dst", "string", "destination address:port"),
    ("camera", "string", "address of the device announcing itself (NA: a search or query)"),
    ("uuid", "string", "UPnP USN/UDN or DNS-SD TXT guid, 8-4-4-4-12"),
    ("service", "string", "SSDP NT/ST, DNS-SD service types, or description service types"),
    ("name", "string", "friendly name (description) or DNS-SD instance name"),
    ("location", "string", "SSDP LOCATION: the device description's URL"),
    ("port", "Int64", "DNS-SD SRV port (the PTP/IP port)"),
    ("manufacturer", "string", "description manufacturer"),
    ("model", "string", "description modelName"),
    ("server", "string", "SSDP SERVER header"),
    ("txt", "string", "DNS-SD TXT pairs, key=value; separated"),
    ("problem", "string", "why the message could not be decoded (NA: it could)"),
    ("session", "Int64", "PTP/IP session the message leads to (NA: none in the capture)"),
    ("link", "category", "uuid (UUID = the Ack's camera GUID) | address (same camera address)"),
)

TABLES = tuple(SCHEMAS)
_COLUMNS = {table: {c.name: c for c in cols} for table, cols in SCHEMAS.items()}


@cache
def _severity() -> pd.CategoricalDtype:
    import pandas as pd
    return pd.CategoricalDtype(list(SEVERITY_LEVELS), ordered=True)


def describe(table: str) -> pd.DataFrame:
    """The schema of ``table``: one row per column with its dtype and meaning."""
    import pandas as pd
    return pd.DataFrame([{"column": c.name, "dtype": c.dtype, "doc": c.doc}
                         for c in SCHEMAS[table]])


# the packets table's columns that say where and when a packet was, and its size: what the
# report reads of every packet (throughput, times of frames), ~40 of the table's ~150 bytes
PACKET_PLACES = frozenset({"frame", "time", "rel_s", "session", "stream", "role", "direction",
                           "length"})


def frame(table: str, columns: Mapping[str, Sequence[object]],
          names: Collection[str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``table``'s schema from plain column lists, numpy arrays or Series built
    typed (analyze.columns) (missing columns: empty). The columns are not copied again.
    ``names``: only those of the schema's columns, in the schema's order."""
    import pandas as pd
    data = {c.name: _series(c, columns.get(c.name, ())) for c in SCHEMAS[table]
            if names is None or c.name in names}
    n = max((len(s) for s in data.values()), default=0)
    if any(len(s) != n for s in data.values()):
        raise ValueError(f"{table}: columns of different lengths")
    return pd.DataFrame(data, copy=False)


def series(table: str, name: str, values: Sequence[object]) -> pd.Series:
    """One column of ``table``, typed by its schema (a builder converts each column as soon
    as it has it, and holds one list of Python values at a time)."""
    return _series(_COLUMNS[table][name], values)


def _series(column: Column, values: Sequence[object]) -> pd.Series:
    import numpy as np
    import pandas as pd
    dtype = column.dtype
    if isinstance(values, pd.Series):
        if _dtype_name(values) != dtype:
            raise TypeError(f"{column.name}: {values.dtype} for a {dtype} column")
        return values
    if dtype == "datetime":
        seconds = pd.Series(values, dtype="float64")
        return pd.to_datetime(seconds, unit="s", utc=True).astype(DATETIME)
    if dtype == "severity":
        return pd.Series(values, dtype=_severity())
    if dtype == "category":
        return pd.Series(list(values), dtype="str").astype("category")
    if dtype in ("Int64", "UInt64", "boolean") and isinstance(values, np.ndarray) \
            and values.dtype.kind in "iub":  # no NA: no Python object per cell on the way
        return pd.Series(values, dtype=dtype, copy=False)
    if dtype in ("Int64", "UInt64", "boolean", "string"):
        return pd.Series(list(values), dtype=dtype)
    if isinstance(values, np.ndarray):
        return pd.Series(values, dtype=dtype, copy=False)
    return pd.Series(values, dtype=dtype)


def _dtype_name(series: pd.Series) -> str:
    """The schema's name of a built column's dtype."""
    name = str(series.dtype)
    if name == "category":
        return "severity" if series.dtype == _severity() else "category"
    return "datetime" if name == DATETIME else name
