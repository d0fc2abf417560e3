"""Typed wrapper over the Kaitai-generated PTP/IP parser: ``Pdu`` in, ``Packet`` or ``Malformed`` out.

The only module that touches ``_generated.ptpip_packet``. Framing has already cut the packet by
its length header, so Kaitai sees a length-bounded buffer; anything it still can't parse (a
body that doesn't fit the type's layout) becomes a ``Malformed`` record, never an exception.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from io import BytesIO
from typing import Any

from kaitaistruct import KaitaiStream, KaitaiStructError

from ..model import Malformed, Packet, Pdu
from ._generated.ptpip_packet import PtpipPacket
from .codes import DATA_PACKET_TYPES, PARAMS_START, packet_type_name

_U32 = struct.Struct("<I").unpack_from


def decode_pdu(pdu: Pdu) -> Packet | Malformed:
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
