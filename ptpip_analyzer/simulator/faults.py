"""Faults the simulator injects on request, for realistic bad traffic.

Each fault fires where a real camera's bug would show: handshake faults on the handshake, data
faults on the first object transfer (GetObject / GetPartialObject / GetThumb) of each command
connection, so the rest of the session stays readable around the one anomaly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..decode import encode
from ..protocol import GET_OBJECT, GET_PARTIAL_OBJECT, GET_THUMB

OBJECT_TRANSFERS = frozenset({GET_OBJECT, GET_THUMB, GET_PARTIAL_OBJECT})
SHORT_BY = 100  # bytes left out of the announced length by short-data
LONG_BY = 100  # bytes sent beyond the announced length by long-data


class Fault(enum.Enum):
    REFUSE = "refuse"  # Init Fail (reason 1, rejected initiator) instead of Init Command Ack
    WRONG_TRANSACTION_ID = "wrong-transaction-id"  # response carries the request's id + 1
    SHORT_DATA = "short-data"  # data phase ends SHORT_BY bytes before the announced length
    LONG_DATA = "long-data"  # data phase carries LONG_BY bytes more than announced
    UNKNOWN_LENGTH = "unknown-length"  # Start Data announces 0xFFFFFFFFFFFFFFFF
    SLOW = "slow"  # every reply waits the fault delay before it is sent
    DROP_EVENT = "drop-event"  # event connection closed right after OpenSession
    RESET = "reset-mid-transfer"  # command connection reset (RST) half-way through a transfer
    IGNORE_CANCEL = "ignore-cancel"  # a Cancel changes nothing: data and OK response go on

    @classmethod
    def names(cls) -> list[str]:
        return [fault.value for fault in cls]


DATA_FAULTS = frozenset({Fault.WRONG_TRANSACTION_ID, Fault.SHORT_DATA, Fault.LONG_DATA,
                         Fault.UNKNOWN_LENGTH, Fault.RESET})


@dataclass(frozen=True, slots=True)
class DataPhase:
    """The packets of the camera's data phase; ``reset_at``: abort before this packet index."""

    packets: list[bytes]
    reset_at: int | None = None


def data_phase(tid: int, payload: bytes, chunk_size: int,
               fault: Fault | None = None, last_in_end: bool = True) -> DataPhase:
    """Start Data, Data*, End Data for ``payload``, shaped by one data fault (or none);
    ``last_in_end`` False sends every byte in Data and an empty End Data (Sony)."""
    if fault is Fault.SHORT_DATA:
        packets = encode.data_phase(tid, payload, chunk_size)
        packets[1:] = encode.data_phase(tid, payload[:-SHORT_BY], chunk_size)[1:]
        return DataPhase(packets)
    if fault is Fault.LONG_DATA:
        packets = encode.data_phase(tid, payload + bytes(LONG_BY), chunk_size)
        packets[0] = encode.start_data(tid, len(payload))
        return DataPhase(packets)
    if fault is Fault.RESET:  # small chunks, so that the reset falls inside the data
        packets = encode.data_phase(tid, payload, max(1, len(payload) // 4))
        return DataPhase(packets, reset_at=max(1, len(packets) // 2))
    packets = encode.data_phase(tid, payload, chunk_size, last_in_end)
    if fault is Fault.UNKNOWN_LENGTH:
        packets[0] = encode.start_data(tid, encode.UNKNOWN_DATA_LENGTH)
    return DataPhase(packets)
