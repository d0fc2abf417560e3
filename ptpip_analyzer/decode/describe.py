"""One description API for decoded records: summary line, detail tree, JSON-ready dict.

``dissect`` (text, -V, jsonl) uses it now; the TUI's detail pane and the transactions table use
the same functions, so a field is named and formatted in one place. Each function takes an
optional ``Annotation`` (``decode.annotate``): with it, codes are named from the session's
vendor tables, parameters by their meaning (responses too), and the dataset a record
completed is shown decoded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Connection, Gap, Malformed, Packet, Record
from ..terminal_text import escape

if TYPE_CHECKING:  # datasets and annotation load only when a caller passes an annotation
    from .annotate import Annotation
from ..protocol import UNKNOWN_DATA_LENGTH, PacketType
from .codes import INIT_FAIL_REASONS, PARAMS_START, code_name, packet_type_name
from .params import NamedParam, event_params, request_params, response_params
from .tree import Node

DATA_PHASES = {0: "undefined", 1: "no data or responder to initiator",
               2: "initiator to responder"}


__all__ = ["Node", "detail_tree", "essentials", "field_spans", "summary", "to_dict"]


def format_guid(guid: bytes) -> str:
    h = guid.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def type_name(record: Record) -> str:
    if isinstance(record, Gap):
        return "gap"
    if isinstance(record, Malformed):
        return "malformed"
    return packet_type_name(record.ptype)


def _vendor(a: Annotation | None) -> str | None:
    return a.vendor if a is not None else None


def named_params(p: Packet, a: Annotation | None = None) -> list[NamedParam]:
    """The packet's parameters with names (from the annotation, else standard meanings)."""
    if a is not None:
        return list(a.params)
    if p.ptype == PacketType.OPERATION_REQUEST and p.code is not None:
        return request_params(p.code, p.params)
    if p.ptype == PacketType.OPERATION_RESPONSE:  # the operation is not known without annotation: padding still is
        return response_params(None, p.params)
    if p.ptype == PacketType.EVENT and p.code is not None:
        return event_params(p.code, p.params)
    return []


def essentials(p: Packet, annotation: Annotation | None = None,
               vendor: str | None = None) -> str:
    """The decoded essentials of a packet, as in a tshark summary's Info column; codes are
    named from the annotation's vendor table, else from ``vendor``'s."""
    parts: list[str] = []
    if p.code is not None:
        named = vendor if annotation is None else annotation.vendor
        parts.append(_code_text(p.ptype, p.code, named))
    fields = field_text(p)
    if fields:
        parts.append(fields)
    if annotation is not None and annotation.dataset is not None:
        from . import dataset_view
        parts.append("[" + dataset_view.summary(annotation.dataset, annotation.vendor) + "]")
    return " ".join(parts)


def _code_text(ptype: int, code: int, vendor: str | None) -> str:
    return f"{code_name(ptype, code, vendor)} (0x{code:04X})"


def field_text(p: Packet) -> str:
    """The essentials after the code: transaction id, parameters, lengths (not escaped)."""
    parts: list[str] = []
    if p.transaction_id is not None:
        parts.append(f"tid={p.transaction_id}")
    if p.params:
        parts.append("params=[" + ", ".join([f"0x{x:X}" for x in p.params]) + "]")
    if p.connection_number is not None:
        parts.append(f"conn={p.connection_number}")
    if p.name is not None:
        parts.append(f'name="{p.name}"')
    if p.version is not None:
        parts.append(f"version={p.version >> 16}.{p.version & 0xFFFF}")
    if p.reason is not None:
        parts.append(f"reason={INIT_FAIL_REASONS.get(p.reason, 'unknown')} ({p.reason})")
    if p.data_length is not None:
        unknown = p.ptype == PacketType.START_DATA and p.data_length == UNKNOWN_DATA_LENGTH
        parts.append("data=unknown" if unknown else f"data={p.data_length}")
    if p.missing:
        parts.append(f"[{p.missing} bytes missing]")
    return " ".join(parts)


# summary_head's answers by (packet type, code, vendor): a capture has a few dozen; bounded
# because the codes come from the wire (a hostile capture may carry every one); so is
# summary_tail's cache
_HEADS: dict[tuple[int, int | None, str | None], str] = {}
MAX_HEADS = 4096


def summary_head(ptype: int, code: int | None, vendor: str | None = None) -> str:
    """The start of an unannotated packet's summary: its type and its named code, escaped."""
    key = (ptype, code, vendor)
    head = _HEADS.get(key)
    if head is None:
        head = packet_type_name(ptype)
        if code is not None:
            head = f"{head}  {_code_text(ptype, code, vendor)}"
        if len(_HEADS) >= MAX_HEADS:
            _HEADS.clear()
        head = _HEADS[key] = escape(head)
    return head


# summary_tail's text after the transaction id of the usual packet (no name, version, reason,
# connection number or lost bytes): by what decides it; bounded, as its values come from the wire
_AFTER_TID: dict[tuple[bool, bool, tuple[int, ...], int | None], str] = {}


def summary_tail(p: Packet) -> str:
    """The rest of an unannotated packet's summary (``summary_head`` + this is ``summary``)."""
    tid = p.transaction_id
    if tid is None or p.name is not None or p.version is not None or p.reason is not None \
            or p.connection_number is not None or p.missing:
        return _tail(p)
    key = (p.code is None, p.ptype == PacketType.START_DATA, p.params, p.data_length)
    after = _AFTER_TID.get(key)
    if after is None:  # the text begins with its separator and "tid=N" (field_text)
        text = _tail(p)
        after = text[text.index("tid=") + 4 + len(str(tid)):]
        if len(_AFTER_TID) >= MAX_HEADS:
            _AFTER_TID.clear()
        _AFTER_TID[key] = after
    return f"{' ' if p.code is not None else '  '}tid={tid}{after}"


def _tail(p: Packet) -> str:
    fields = field_text(p)
    if not fields:
        return ""
    return escape((" " if p.code is not None else "  ") + fields)


def summary(record: Record, annotation: Annotation | None = None,
            vendor: str | None = None) -> str:
    """The record's one-line description, safe to print (wire strings escaped); ``vendor``
    names vendor codes when there is no annotation (``session_vendor``)."""
    if isinstance(record, Packet):
        if annotation is None:
            return summary_head(record.ptype, record.code, vendor) + summary_tail(record)
        return escape(f"{type_name(record)}  {essentials(record, annotation, vendor)}".rstrip())
    return f"[{type_name(record)}] {record.length} bytes at stream offset {record.offset}: " \
           f"{escape(record.reason)}"


def detail_tree(record: Record, annotation: Annotation | None = None) -> Node:
    """The record's fields as a tree, safe to print (wire strings escaped)."""
    return _escaped(_tree(record, annotation))


def _escaped(node: Node) -> Node:
    node.label, node.value = escape(node.label), escape(node.value)
    for child in node.children:
        _escaped(child)
    return node


def _tree(record: Record, annotation: Annotation | None) -> Node:
    if not isinstance(record, Packet):
        return Node(type_name(record).capitalize(), summary(record), [
            Node("Stream offset", str(record.offset)), Node("Length", str(record.length)),
            Node("Reason", record.reason)])
    p = record
    at = field_spans(p)
    kids = [Node("Length", str(p.length), span=at.get("length")),
            Node("Packet type", f"{type_name(p)} ({p.ptype})", span=at.get("type"))]
    if p.guid is not None:
        kids.append(Node("GUID", format_guid(p.guid), span=at.get("guid")))
    if p.connection_number is not None:
        kids.append(Node("Connection number", str(p.connection_number),
                         span=at.get("connection_number")))
    if p.name is not None:
        kids.append(Node("Friendly name", p.name, span=at.get("name")))
    if p.version is not None:
        kids.append(Node("Protocol version", f"{p.version >> 16}.{p.version & 0xFFFF}",
                         span=at.get("version")))
    if p.reason is not None:
        kids.append(Node("Reason", f"{INIT_FAIL_REASONS.get(p.reason, 'unknown')} ({p.reason})",
                         span=at.get("reason")))
    if p.data_phase is not None:
        kids.append(Node("Data phase", f"{DATA_PHASES.get(p.data_phase, '?')} ({p.data_phase})",
                         span=at.get("data_phase")))
    if p.code is not None:
        kids.append(Node("Code", f"{code_name(p.ptype, p.code, _vendor(annotation))} "
                                 f"(0x{p.code:04X})", span=at.get("code")))
    if p.transaction_id is not None:
        kids.append(Node("Transaction ID", f"{p.transaction_id} (0x{p.transaction_id:08X})",
                         span=at.get("transaction_id")))
    named = named_params(p, annotation)
    if named:
        kids.extend(Node(f"Parameter {i + 1}: {n.name}", n.display, span=at.get(f"param{i + 1}"))
                    for i, n in enumerate(named))
    else:
        kids.extend(Node(f"Parameter {i + 1}", f"0x{v:08X} ({v})", span=at.get(f"param{i + 1}"))
                    for i, v in enumerate(p.params))
    if p.data_length is not None:
        kids.append(Node("Data length", "unknown" if p.ptype == 9 and
                         p.data_length == UNKNOWN_DATA_LENGTH else str(p.data_length),
                         span=at.get("data_length")))
    if p.missing:
        kids.append(Node("Missing bytes", f"{p.missing} (lost in a capture gap)"))
    if annotation is not None:
        kids.extend(_annotation_nodes(annotation, p.code is not None))
    return Node("PTP/IP", f"{type_name(p)}, stream offset {p.offset}", kids, span=(0, p.length))


# Where each field of a standard PTP/IP packet lies (PTP/IP spec section 2.3; the same layout
# as ksy/ptpip_packet.ksy), from the packet's first byte: header, then per type.
_HEADER_SPANS = {"length": (0, 4), "type": (4, 8)}
_BODY_SPANS: dict[int, dict[str, tuple[int, int]]] = {
    2: {"connection_number": (8, 12), "guid": (12, 28)},
    1: {"guid": (8, 24)},
    3: {"connection_number": (8, 12)},
    5: {"reason": (8, 12)},
    6: {"data_phase": (8, 12), "code": (12, 14), "transaction_id": (14, 18)},
    7: {"code": (8, 10), "transaction_id": (10, 14)},
    8: {"code": (8, 10), "transaction_id": (10, 14)},
    9: {"transaction_id": (8, 12), "data_length": (12, 20)},
    10: {"transaction_id": (8, 12)},
    11: {"transaction_id": (8, 12)},
    12: {"transaction_id": (8, 12)},
}


def field_spans(p: Packet) -> dict[str, tuple[int, int]]:
    """Byte ranges [start, end) of a standard PTP/IP packet's fields, by field name (the
    ``Packet`` attribute, ``param1``..; ``payload`` for Data and End Data). A packet framed
    from another variant (Fujifilm's PTP containers) has a different layout: its spans say
    only what the tree can't get wrong, none."""
    if len(p.raw) < 8 or int.from_bytes(p.raw[:4], "little") != p.length \
            or int.from_bytes(p.raw[4:8], "little") != p.ptype:
        return {}  # not a PTP/IP header: another variant's framing
    spans = dict(_HEADER_SPANS)
    spans.update(_BODY_SPANS.get(p.ptype, {}))
    start = PARAMS_START.get(p.ptype)
    if start is not None:
        spans.update((f"param{i + 1}", (start + 4 * i, start + 4 * i + 4))
                     for i in range(len(p.params)))
    if p.ptype in (1, 2) and p.length >= 4:
        spans["name"] = (spans["guid"][1], p.length - 4)
        spans["version"] = (p.length - 4, p.length)
    if p.ptype in (10, 12):
        spans["payload"] = (12, p.length)
    return spans


def _annotation_nodes(a: Annotation, coded: bool) -> list[Node]:
    kids = [Node("Vendor tables", a.vendor or "none (vendor not known yet)")] if coded else []
    if a.dataset is not None:
        from . import dataset_view
        kids.append(dataset_view.tree(a.dataset, a.vendor))
    elif a.data_phase is not None and a.data_phase.opcode is not None:
        kept = "not kept" if a.data_phase.payload is None else "no dataset for this operation"
        kids.append(Node("Data phase", f"{a.data_phase.size} bytes ({kept})"))
    return kids


def to_dict(conn: Connection, record: Record,
            annotation: Annotation | None = None) -> dict[str, Any]:
    """JSON-ready view of a record (the ``dissect --format jsonl`` object)."""
    src, dst = conn.endpoints(record.direction)
    out: dict[str, Any] = {
        "frame": record.frame, "time": record.time, "stream": record.stream,
        "src": str(src), "dst": str(dst), "role": conn.role.value, "variant": conn.variant,
        "offset": record.offset, "length": record.length,
    }
    if not isinstance(record, Packet):
        out.update(type=0, type_name=type_name(record), reason=record.reason)
        return out
    out.update(type=record.ptype, type_name=type_name(record))
    if record.transaction_id is not None:
        out["transaction_id"] = record.transaction_id
    if record.code is not None:
        out.update(code=record.code,
                   code_name=code_name(record.ptype, record.code, _vendor(annotation)))
    if record.ptype in (6, 7, 8):
        out["params"] = list(record.params)
    optional = {"data_length": record.data_length, "data_phase": record.data_phase,
                "connection_number": record.connection_number, "name": record.name,
                "version": record.version, "reason": record.reason}
    out.update({k: v for k, v in optional.items() if v is not None})
    if record.guid is not None:
        out["guid"] = format_guid(record.guid)
    if record.missing:
        out["missing"] = record.missing
    if annotation is not None:
        _annotate_dict(out, annotation)
    return out


def _annotate_dict(out: dict[str, Any], a: Annotation) -> None:
    out["vendor"] = a.vendor
    if a.params:
        out["named_params"] = [{"name": n.name, "value": n.value, "display": n.display}
                               for n in a.params]
    if a.dataset is not None:
        from . import dataset_view
        out["dataset"] = dataset_view.to_dict(a.dataset)


class PacketRow:
    """``to_dict``'s fields computed only when asked (``get``): what a display filter reads per
    record, at a fraction of building the whole dict. ``session`` is added by the caller."""

    __slots__ = ("annotation", "conn", "record", "session")

    def __init__(self, conn: Connection, record: Record, annotation: Annotation | None = None,
                 session: int | None = None) -> None:
        self.conn, self.record, self.annotation, self.session = conn, record, annotation, session

    def get(self, name: str, default: Any = None) -> Any:
        getter = _ROW_FIELDS.get(name)
        value = getter(self) if getter is not None else None
        return default if value is None else value

    def __getitem__(self, name: str) -> Any:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value


def _packet_attr(name: str) -> Any:
    return lambda row: getattr(row.record, name, None) if isinstance(row.record, Packet) else None


def _row_code_name(row: PacketRow) -> str | None:
    r = row.record
    if not isinstance(r, Packet) or r.code is None:
        return None
    return code_name(r.ptype, r.code, _vendor(row.annotation))


def _row_params(row: PacketRow) -> list[int] | None:
    r = row.record
    return list(r.params) if isinstance(r, Packet) and r.ptype in (6, 7, 8) else None


def _row_reason(row: PacketRow) -> object:
    return row.record.reason


def _row_named(row: PacketRow) -> list[dict[str, Any]] | None:
    a = row.annotation
    if a is None or not a.params or not isinstance(row.record, Packet):
        return None
    return [{"name": n.name, "value": n.value, "display": n.display} for n in a.params]


_ROW_FIELDS: dict[str, Any] = {
    "frame": lambda row: row.record.frame, "time": lambda row: row.record.time,
    "stream": lambda row: row.record.stream, "session": lambda row: row.session,
    "src": lambda row: str(row.conn.endpoints(row.record.direction)[0]),
    "dst": lambda row: str(row.conn.endpoints(row.record.direction)[1]),
    "role": lambda row: row.conn.role.value, "variant": lambda row: row.conn.variant,
    "offset": lambda row: row.record.offset, "length": lambda row: row.record.length,
    "type": lambda row: row.record.ptype if isinstance(row.record, Packet) else 0,
    "type_name": lambda row: type_name(row.record), "reason": _row_reason,
    "code": _packet_attr("code"), "code_name": _row_code_name, "params": _row_params,
    "transaction_id": _packet_attr("transaction_id"), "data_length": _packet_attr("data_length"),
    "data_phase": _packet_attr("data_phase"),
    "connection_number": _packet_attr("connection_number"), "name": _packet_attr("name"),
    "version": _packet_attr("version"),
    "guid": lambda row: format_guid(row.record.guid) if isinstance(row.record, Packet)
    and row.record.guid is not None else None,
    "missing": lambda row: row.record.missing or None if isinstance(row.record, Packet) else None,
    "vendor": lambda row: _vendor(row.annotation),
    "named_params": _row_named,
    "dataset": lambda row: _row_dataset(row),
}


def _row_dataset(row: PacketRow) -> dict[str, Any] | None:
    a = row.annotation
    if a is None or a.dataset is None:
        return None
    from . import dataset_view
    return dataset_view.to_dict(a.dataset)
