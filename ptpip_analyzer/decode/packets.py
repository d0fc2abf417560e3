"""Typed wrapper over the Kaitai-generated PTP/IP parser: ``Pdu`` in, ``Packet`` or ``Malformed`` out.

The only module that touches ``_generated``. Framing has already cut the packet by its length
header, so Kaitai sees a length-bounded buffer; anything it still can't parse (a body that
doesn't fit the type's layout) becomes a ``Malformed`` record, never an exception.

Two paths, one spec. ``decode_pdu_kaitai`` runs the Kaitai parser (the decoder of record).
``decode_pdu`` first tries the struct layouts that ``scripts/gen_parsers.py`` derives from the
same ``ksy/ptpip.ksy`` (``_generated/ptpip_layouts.py``): one ``unpack_from`` for the fixed
fields and one for the parameters, about a fifth of Kaitai's cost per packet (a BytesIO, a
KaitaiStream, a generated object and four calls per u4). Whatever the layouts can't take whole
(a body too short for them) goes to the Kaitai path, so errors read the same; a differential
test holds the two equal on arbitrary packets and on every shipped capture. Set
``PTPIP_ANALYZER_DECODER=kaitai`` to decode with Kaitai alone.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from io import BytesIO
from typing import Any, NamedTuple

from kaitaistruct import KaitaiStream, KaitaiStructError

from ..model import Malformed, Packet, Pdu
from ._generated.ptpip_layouts import LAYOUTS
from ._generated.ptpip_packet import PtpipPacket
from .codes import DATA_PACKET_TYPES, PARAMS_START, packet_type_name

_U32 = struct.Struct("<I").unpack_from
_new_tuple = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (hot path)


def decode_pdu_kaitai(pdu: Pdu) -> Packet | Malformed:
    if pdu.missing:
        return _incomplete(pdu)
    start = PARAMS_START.get(pdu.ptype)
    if start is not None and (pdu.length < start or (pdu.length - start) % 4):
        return _malformed(pdu, f"{packet_type_name(pdu.ptype)} of {pdu.length} bytes: its "
                               f"parameters are not whole 4-byte words after byte {start}")
    try:
        parsed = PtpipPacket(KaitaiStream(BytesIO(pdu.raw)))
        payload = getattr(parsed, "payload", None)  # types 4, 13, 14 have none
        fields = _FIELDS.get(pdu.ptype, _no_fields)(payload, pdu)
    except (EOFError, KaitaiStructError, ValueError, struct.error) as exc:
        return _malformed(pdu, f"body does not fit the {packet_type_name(pdu.ptype)} layout "
                               f"({exc.__class__.__name__}: {exc})")
    return Packet(pdu.stream, pdu.direction, pdu.offset, pdu.length, pdu.ptype, pdu.frame,
                  pdu.time, missing=0, raw=pdu.raw, **fields)


def _incomplete(pdu: Pdu) -> Packet | Malformed:
    """A packet with bytes lost to a capture gap: Data keeps its identity, others don't."""
    if pdu.ptype in DATA_PACKET_TYPES and len(pdu.raw) >= 12:
        kept = len(pdu.raw) == pdu.length  # zero-filled where pdu.holes are
        return Packet(pdu.stream, pdu.direction, pdu.offset, pdu.length, pdu.ptype, pdu.frame,
                      pdu.time, transaction_id=_U32(pdu.raw, 8)[0],
                      data_length=pdu.length - 12, missing=pdu.missing, raw=pdu.raw,
                      payload=pdu.raw[12:] if kept else None,
                      holes=pdu.holes if kept else ())
    return _malformed(pdu, f"{packet_type_name(pdu.ptype)} incomplete: {pdu.missing} of its "
                           f"{pdu.length} bytes were lost in a capture gap",
                      length=pdu.length - pdu.missing)


def _malformed(pdu: Pdu, reason: str, length: int | None = None) -> Malformed:
    return Malformed(pdu.stream, pdu.direction, pdu.offset,
                     pdu.length if length is None else length, pdu.frame, pdu.time, reason)


def split_name_and_version(blob: bytes) -> tuple[str, int | None]:
    """Friendly name (UTF-16LE or, from some senders, ASCII; NUL-terminated) and version.

    PROTOCOL.md: bound by size, strip the terminator here (kaitai_struct#187); the version
    may be missing.
    """
    if len(blob) >= 2 and blob[0] and blob[1] and blob[0] < 0x80 and blob[1] < 0x80:
        end = blob.find(b"\x00")  # ASCII name
        width = 1
    else:
        end = next((i for i in range(0, len(blob) - 1, 2) if blob[i] == blob[i + 1] == 0), -1)
        width = 2
    if end < 0:
        return _text(blob, width), None
    rest = blob[end + width:]
    return _text(blob[:end], width), (_U32(rest)[0] if len(rest) >= 4 else None)


def _text(raw: bytes, width: int) -> str:
    return raw.decode("utf-16-le" if width == 2 else "latin-1", errors="replace")


def _init_command_request(p: Any, pdu: Pdu) -> dict[str, Any]:
    name, version = split_name_and_version(p.name_and_version)
    return {"guid": p.guid, "name": name, "version": version}


def _init_command_ack(p: Any, pdu: Pdu) -> dict[str, Any]:
    name, version = split_name_and_version(p.name_and_version)
    return {"connection_number": p.connection_number, "guid": p.guid, "name": name,
            "version": version}


def _init_event_request(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"connection_number": p.connection_number}


def _init_fail(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"reason": int(p.reason)}


def _operation_request(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"data_phase": p.data_phase, "code": p.operation_code,
            "transaction_id": p.transaction_id, "params": tuple(p.params)}


def _operation_response(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"code": p.response_code, "transaction_id": p.transaction_id,
            "params": tuple(p.params)}


def _event(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"code": p.event_code, "transaction_id": p.transaction_id, "params": tuple(p.params)}


def _start_data(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"transaction_id": p.transaction_id, "data_length": p.total_length}


def _data(p: Any, pdu: Pdu) -> dict[str, Any]:
    kept = len(pdu.raw) == pdu.length
    return {"transaction_id": p.transaction_id, "data_length": pdu.length - 12,
            "payload": p.data if kept else None}


def _cancel(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {"transaction_id": p.transaction_id}


def _no_fields(p: Any, pdu: Pdu) -> dict[str, Any]:
    return {}


_FIELDS: dict[int, Callable[[Any, Pdu], dict[str, Any]]] = {
    1: _init_command_request, 2: _init_command_ack, 3: _init_event_request, 5: _init_fail,
    6: _operation_request, 7: _operation_response, 8: _event, 9: _start_data, 10: _data,
    11: _cancel, 12: _data,
}


# -- the fast path: struct layouts derived from the spec ----------------------------------------
# ksy field ids that Packet names otherwise (the same mapping as the _FIELDS functions above)
_PACKET_NAME = {"operation_code": "code", "response_code": "code", "event_code": "code",
                "total_length": "data_length"}
_AT = {name: i for i, name in enumerate(Packet._fields)}
_TEMPLATE = tuple(Packet._field_defaults.get(name) for name in Packet._fields)
_PARAMS_AT, _RAW_AT, _MISSING_AT = _AT["params"], _AT["raw"], _AT["missing"]


class _Fast(NamedTuple):
    unpack: Callable[[bytes, int], tuple[Any, ...]]
    end: int  # where the fixed fields end in the packet
    positions: tuple[int, ...]  # Packet field index of each fixed field
    params_at: int | None  # packet offset of the u4 parameter array
    finish: Callable[[list[Any], bytes, Pdu], None] | None  # type-specific fields (tails)


def _names_and_version(row: list[Any], raw: bytes, pdu: Pdu) -> None:
    row[_AT["name"]], row[_AT["version"]] = split_name_and_version(raw)


def _data_tail(row: list[Any], raw: bytes, pdu: Pdu) -> None:
    row[_AT["data_length"]] = pdu.length - 12
    row[_AT["payload"]] = raw if len(pdu.raw) == pdu.length else None


_FINISH = {"name_and_version": _names_and_version, "data": _data_tail}


def _fast_layouts() -> dict[int, _Fast]:
    out = {}
    for ptype, layout in LAYOUTS.items():
        if layout is None:
            continue
        fmt, names, params, tail = layout
        compiled = struct.Struct(fmt)
        positions = tuple(_AT[_PACKET_NAME.get(n, n)] for n in names)
        assert params is None or params[1] == PARAMS_START[ptype]  # one fact, two writings
        out[ptype] = _Fast(compiled.unpack_from, 8 + compiled.size, positions,
                           params[1] if params else None,
                           _FINISH[tail] if tail is not None else None)
    return out


_FAST = _fast_layouts()


_PARAM_WORDS = tuple(struct.Struct(f"<{n}I").unpack_from for n in range(6))  # 0-5 params


def decode_pdu(pdu: Pdu) -> Packet | Malformed:
    """``decode_pdu_kaitai``'s result, by the layouts when they take the packet whole."""
    fast = _FAST.get(pdu.ptype)
    raw = pdu.raw
    if fast is None or pdu.missing:
        return decode_pdu_kaitai(pdu)
    unpack, end, positions, start, finish = fast
    if len(raw) < end:
        return decode_pdu_kaitai(pdu)
    row = list(_TEMPLATE)
    row[:7] = pdu.stream, pdu.direction, pdu.offset, pdu.length, pdu.ptype, pdu.frame, pdu.time
    for position, value in zip(positions, unpack(raw, 8)):  # (lengths equal by construction)
        row[position] = value
    if start is not None:
        length = pdu.length
        words, odd = divmod(length - start, 4)
        if odd or length < start or len(raw) < length or words >= len(_PARAM_WORDS):
            return decode_pdu_kaitai(pdu)  # (LENGTH_BOUNDS allow 5 parameters at most)
        row[_PARAMS_AT] = _PARAM_WORDS[words](raw, start)
    if finish is not None:
        finish(row, raw[end:], pdu)
    row[_RAW_AT], row[_MISSING_AT] = raw, 0
    return _new_tuple(Packet, row)


if os.environ.get("PTPIP_ANALYZER_DECODER") == "kaitai":
    decode_pdu = decode_pdu_kaitai
