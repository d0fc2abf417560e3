"""Decoded datasets as a detail tree, a JSON-ready dict and a one-line summary.

Used by ``describe`` (dissect -V, --format jsonl) and meant for the TUI's detail pane: codes
are shown with their names from the session's vendor tables, dates also parsed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .codes import (
    data_type_name,
    event_name,
    format_name,
    object_property_name,
    operation_name,
    property_name,
)
from .dataset_types import (
    DeviceInfo,
    DevicePropDesc,
    DevicePropValue,
    EventDump,
    EventRecord,
    IdList,
    ObjectInfo,
    ObjectPropDesc,
    ObjectPropList,
    PropertyValue,
    Range,
    parse_ptp_date,
)
from .datasets import DatasetResult, Decoded
from .params import event_params
from .tree import Node

_CODE_LISTS = {"operations": operation_name, "events": event_name,
               "properties": property_name, "capture_formats": format_name,
               "image_formats": format_name}
_CODE_FIELDS = {"object_format": format_name, "thumb_format": format_name}
_DATES = ("capture_date", "modification_date")


def summary(result: DatasetResult, vendor: str | None = None) -> str:
    if not isinstance(result, Decoded):
        return f"{result.name} malformed at offset {result.offset}: {result.reason}"
    return f"{result.name} {_brief(result.value, vendor)}".rstrip()


def _brief(v: object, vendor: str | None) -> str:
    if isinstance(v, DeviceInfo):
        return f'"{v.manufacturer}" "{v.model}"'
    if isinstance(v, ObjectInfo):
        return f'"{v.filename}" {v.compressed_size} bytes'
    if isinstance(v, IdList):
        return f"{len(v.values)} {v.kind}"
    if isinstance(v, DevicePropDesc):
        return f"{property_name(v.code, vendor)} = {show_value(v.current)}"
    if isinstance(v, DevicePropValue):
        name = property_name(v.code, vendor) if v.code is not None else "?"
        return f"{name} = {show_value(v.value)}" + (" (type guessed)" if v.guessed else "")
    if isinstance(v, ObjectPropList):
        return f"{len(v.entries)} entries"
    if isinstance(v, EventDump):
        changes = sum(e.property is not None for e in v.events)
        end = "" if v.terminated else ", no end record"
        n = len(v.events)
        return f"{n} event{'s' * (n != 1)}, {changes} property change{'s' * (changes != 1)}{end}"
    return ""


def show_value(value: PropertyValue) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _code(name: str, code: int) -> str:
    return f"{name} (0x{code:04X})"


def _field(key: str, value: Any, vendor: str | None) -> Node:
    label = key.replace("_", " ").capitalize()
    if key in _CODE_LISTS:
        name = _CODE_LISTS[key]
        return Node(label, f"{len(value)}", [Node(_code(name(c, vendor), c)) for c in value])
    if key in _CODE_FIELDS:
        return Node(label, _code(_CODE_FIELDS[key](value, vendor), value))
    if key in _DATES and value:
        parsed = parse_ptp_date(value)
        return Node(label, f'"{value}"' + (f" ({parsed.isoformat()})" if parsed else
                                            " (not a PTP date)"))
    if key == "data_type":
        return Node(label, _code(data_type_name(value), value))
    if key == "code" and isinstance(value, int):
        return Node("Property", _code(property_name(value, vendor), value))
    if isinstance(value, Range):
        return Node(label, f"range {value.minimum}..{value.maximum} step {value.step}")
    if isinstance(value, int) and not isinstance(value, bool):
        return Node(label, f"{value} (0x{value:X})" if value > 9 else str(value))
    return Node(label, show_value(value) if isinstance(value, str | tuple) else str(value))


def tree(result: DatasetResult, vendor: str | None = None) -> Node:
    if not isinstance(result, Decoded):
        return Node(f"{result.name} (malformed)", result.reason, [
            Node("Offset", str(result.offset)), Node("Length", str(result.length))])
    v = result.value
    if isinstance(v, IdList):
        kids = [Node(f"[{i}]", f"0x{x:08X}") for i, x in enumerate(v.values)]
        node = Node(result.name, f"{len(v.values)} {v.kind}", kids)
    elif isinstance(v, EventDump):
        node = Node(result.name, f"{v.source}: {_brief(v, vendor)}",
                    [_event_node(e, vendor) for e in v.events])
    elif isinstance(v, ObjectPropList):
        node = Node(result.name, f"{len(v.entries)} entries", [
            Node(f"0x{e.object_handle:08X}", f"{_code(object_property_name(e.code), e.code)} = "
                 f"{show_value(e.value)} ({data_type_name(e.data_type)})") for e in v.entries])
    else:
        node = Node(result.name, summary(result, vendor).removeprefix(result.name).strip(), [
            _field(f.name, getattr(v, f.name), vendor) for f in dataclasses.fields(v)])
        if isinstance(v, ObjectPropDesc):
            node.children[0] = Node("Property", _code(object_property_name(v.code), v.code))
    if result.trailing:
        node.children.append(Node("Trailing bytes", str(result.trailing)))
    return node


def _event_node(e: EventRecord, vendor: str | None) -> Node:
    """One event of a dump: its name, what changed, and its fields or named parameters."""
    label = f"{_code(event_name(e.code, vendor), e.code)} at offset {e.offset}"
    named = event_params(e.code, e.params, vendor)
    kids = [Node(n.name if n.name.startswith("Parameter") else f"Parameter {i + 1}: {n.name}",
                 n.display) for i, n in enumerate(named)]
    kids += [_event_field(name, value, vendor) for name, value in e.fields]
    if e.note:
        kids.append(Node("Note", e.note))
    if e.property is None:
        return Node(label, "", kids)
    prop = _code(property_name(e.property, vendor), e.property)
    if e.value is None:
        return Node(label, f"{prop} changed (value not given)", kids)
    typed = "" if e.data_type is None else \
        f" ({data_type_name(e.data_type)}{', guessed' if e.type_guessed else ''})"
    return Node(label, f"{prop} = {show_value(e.value)}{typed}", kids)


def _event_field(name: str, value: PropertyValue, vendor: str | None) -> Node:
    label = name.capitalize()
    if name == "property" and isinstance(value, int):
        return Node(label, _code(property_name(value, vendor), value))
    if name == "object format" and isinstance(value, int):
        return Node(label, _code(format_name(value, vendor), value))
    if isinstance(value, int):
        return Node(label, f"{value} (0x{value:X})" if value > 9 else str(value))
    return Node(label, show_value(value))


def to_dict(result: DatasetResult) -> dict[str, Any]:
    """JSON-ready: the dataset's fields (ranges and entries as nested objects)."""
    if not isinstance(result, Decoded):
        return {"name": result.name, "malformed": True, "offset": result.offset,
                "reason": result.reason}
    fields = dataclasses.asdict(result.value)
    out: dict[str, Any] = {"name": result.name, **_jsonable(fields)}
    if result.trailing:
        out["trailing"] = result.trailing
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
