"""PTP/IP packet encoding: the inverse of decode, the one place that builds wire bytes.

Used by the simulator and by the capture writer; tested by round trip through our decoder.
Layouts: ../shared/PROTOCOL.md (and ksy/ptpip.ksy).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from ..protocol import HEADER
from .codes import PacketType

UNKNOWN_DATA_LENGTH = 0xFFFFFFFFFFFFFFFF
PROTOCOL_VERSION = 0x00010000


def packet(ptype: int, payload: bytes = b"") -> bytes:
    """Frame a payload with the 8-byte length/type header."""
    return HEADER.pack(len(payload) + 8, ptype) + payload


def _params(params: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(params)}I", *params)


def _name(name: str) -> bytes:
    return name.encode("utf-16-le") + b"\x00\x00"


def init_command_request(guid: bytes, name: str, version: int | None = PROTOCOL_VERSION) -> bytes:
    tail = b"" if version is None else struct.pack("<I", version)
    return packet(PacketType.INIT_COMMAND_REQUEST, guid + _name(name) + tail)


def init_command_ack(connection_number: int, guid: bytes, name: str,
                     version: int | None = PROTOCOL_VERSION) -> bytes:
    tail = b"" if version is None else struct.pack("<I", version)
    body = struct.pack("<I", connection_number) + guid + _name(name) + tail
    return packet(PacketType.INIT_COMMAND_ACK, body)


def init_event_request(connection_number: int) -> bytes:
    return packet(PacketType.INIT_EVENT_REQUEST, struct.pack("<I", connection_number))


def init_event_ack() -> bytes:
    return packet(PacketType.INIT_EVENT_ACK)


def init_fail(reason: int) -> bytes:
    return packet(PacketType.INIT_FAIL, struct.pack("<I", reason))


def operation_request(code: int, transaction_id: int, params: Sequence[int] = (),
                      data_phase: int = 1) -> bytes:
    body = struct.pack("<IHI", data_phase, code, transaction_id) + _params(params)
    return packet(PacketType.OPERATION_REQUEST, body)


def operation_response(code: int, transaction_id: int, params: Sequence[int] = ()) -> bytes:
    body = struct.pack("<HI", code, transaction_id) + _params(params)
    return packet(PacketType.OPERATION_RESPONSE, body)


def event(code: int, transaction_id: int, params: Sequence[int] = ()) -> bytes:
    return packet(PacketType.EVENT, struct.pack("<HI", code, transaction_id) + _params(params))


def start_data(transaction_id: int, total_length: int) -> bytes:
    return packet(PacketType.START_DATA, struct.pack("<IQ", transaction_id, total_length))


def data(transaction_id: int, chunk: bytes) -> bytes:
    return packet(PacketType.DATA, struct.pack("<I", transaction_id) + chunk)


def end_data(transaction_id: int, chunk: bytes = b"") -> bytes:
    return packet(PacketType.END_DATA, struct.pack("<I", transaction_id) + chunk)


def cancel(transaction_id: int) -> bytes:
    return packet(PacketType.CANCEL, struct.pack("<I", transaction_id))


def probe_request() -> bytes:
    return packet(PacketType.PROBE_REQUEST)


def probe_response() -> bytes:
    return packet(PacketType.PROBE_RESPONSE)


def data_phase(transaction_id: int, payload: bytes, chunk_size: int = 65536,
               last_in_end: bool = True) -> list[bytes]:
    """Start Data, Data*, End Data for ``payload``.

    ``last_in_end``: the last chunk travels in End Data (gphoto2 style); otherwise all data goes
    in Data packets and End Data is empty (Sony style). See PROTOCOL.md.
    """
    out = [start_data(transaction_id, len(payload))]
    chunks = [payload[i:i + chunk_size] for i in range(0, len(payload), chunk_size)] or [b""]
    tail = chunks.pop() if last_in_end else b""
    out.extend(data(transaction_id, c) for c in chunks)
    out.append(end_data(transaction_id, tail))
    return out
