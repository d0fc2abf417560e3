"""Transaction id sequencing within a PTP session (ISO 15740 section 9.3.1).

OpenSession carries id 0; each later transaction of the session uses the previous id plus one,
wrapping from 0xFFFFFFFE to 1 (0 and 0xFFFFFFFF are reserved). Outside a session (before
OpenSession, after CloseSession) ids are not checked: session-less operations such as
GetDeviceInfo use 0, and vendor operations before OpenSession are common (PROTOCOL.md).
"""

from __future__ import annotations

import enum

from ..decode.codes import operation_name
from ..protocol import CLOSE_SESSION, OPEN_SESSION, RESPONSE_OK
from ..protocol import SESSION_ALREADY_OPEN as SESSION_ALREADY_OPENED
from . import rules
from .rules import Rule

GET_DEVICE_INFO = 0x1001
NO_TRANSACTION = 0xFFFFFFFF  # reserved; events use it for "not about a transaction"
LAST_TRANSACTION_ID = 0xFFFFFFFE
MAX_SPANS = 64  # sessions remembered per connection (a hostile capture may open thousands)

Issue = tuple[Rule, str]


def next_transaction_id(transaction_id: int) -> int:
    return 1 if transaction_id >= LAST_TRANSACTION_ID else transaction_id + 1


class SessionPhase(enum.Enum):
    NOT_OPEN = "not open"  # before OpenSession or after CloseSession: ids unchecked
    OPEN = "open"  # ids run +1 per transaction
    UNKNOWN = "unknown"  # capture began mid-session or lost bytes: the next id re-anchors


_NONE_USED: frozenset[int] = frozenset()  # a connection's ids before its first request
_BLOCK_BITS = 10  # ids per bit block: 1,024


class UsedIds:
    """A set of transaction ids as bit blocks of 1,024 ids: ids run +1 per transaction, so
    280,000 of them take ~60 KB (a set of ints took ~30 MB, issue 17); scattered ids cost
    about what a set would."""

    __slots__ = ("_blocks",)

    def __init__(self) -> None:
        self._blocks: dict[int, int] = {}

    def add(self, transaction_id: int) -> None:
        block = transaction_id >> _BLOCK_BITS
        self._blocks[block] = self._blocks.get(block, 0) | \
            (1 << (transaction_id & ((1 << _BLOCK_BITS) - 1)))

    def __contains__(self, transaction_id: object) -> bool:
        if not isinstance(transaction_id, int) or transaction_id < 0:
            return False
        bits = self._blocks.get(transaction_id >> _BLOCK_BITS, 0)
        return bool(bits >> (transaction_id & ((1 << _BLOCK_BITS) - 1)) & 1)


class TransactionIds:
    """The id sequence of one command connection, and the ids it has used (for events)."""

    __slots__ = ('expected', 'handshake_seen', 'open_spans', 'phase', 'used')


    def __init__(self, handshake_seen: bool) -> None:
        self.phase = SessionPhase.NOT_OPEN if handshake_seen else SessionPhase.UNKNOWN
        self.handshake_seen = handshake_seen
        self.expected = 1
        self.used: UsedIds | frozenset[int] = _NONE_USED  # (made at the first request)
        # [first frame, last frame or None] of each session: from its OpenSession request to
        # the CloseSession answered OK (or the OpenSession refused); the latest MAX_SPANS.
        # Without the handshake a session is taken to be open from the start.
        self.open_spans: list[list[int | None]] = [] if handshake_seen else [[0, None]]

    def on_request(self, opcode: int, transaction_id: int, frame: int = 0) -> list[Issue]:
        used = self.used
        if not isinstance(used, UsedIds):
            used = self.used = UsedIds()
        used.add(transaction_id)
        if opcode == OPEN_SESSION:
            if not self.open_spans or self.open_spans[-1][1] is not None:
                self.open_spans = self.open_spans[-MAX_SPANS + 1:] + [[frame, None]]
            return self._open_session(transaction_id)
        if self.phase is SessionPhase.NOT_OPEN:
            return self._outside_session(opcode)
        if self.phase is SessionPhase.UNKNOWN:
            self.phase = SessionPhase.OPEN
        elif transaction_id in (0, NO_TRANSACTION):
            return self._advance(transaction_id, rules.RESERVED_TRANSACTION_ID,
                                 f"transaction id 0x{transaction_id:X} is reserved in a session")
        elif transaction_id != self.expected:
            return self._advance(transaction_id, rules.TRANSACTION_ID_OUT_OF_SEQUENCE,
                                 f"expected transaction id {self.expected}, got {transaction_id}")
        self.expected = next_transaction_id(transaction_id)
        return []

    def _advance(self, transaction_id: int, rule: Rule, message: str) -> list[Issue]:
        # Re-anchor on the id seen, so one slip gives one finding, not one per transaction.
        self.expected = next_transaction_id(transaction_id)
        return [(rule, message)]

    def _open_session(self, transaction_id: int) -> list[Issue]:
        self.phase = SessionPhase.OPEN
        self.expected = next_transaction_id(transaction_id)
        if transaction_id == 0:
            return []
        return [(rules.OPEN_SESSION_ID_NOT_ZERO,
                 f"OpenSession sent with transaction id {transaction_id}, not 0")]

    def _outside_session(self, opcode: int) -> list[Issue]:
        standard = 0x1000 <= opcode < 0x2000
        if self.handshake_seen and standard and opcode != GET_DEVICE_INFO:
            return [(rules.OPERATION_BEFORE_OPEN_SESSION,
                     f"{operation_name(opcode)} (0x{opcode:04X}) sent before OpenSession")]
        return []

    def on_response(self, opcode: int, response_code: int, frame: int = 0) -> None:
        """OpenSession that failed, or CloseSession that succeeded, leaves no session open."""
        open_failed = opcode == OPEN_SESSION and response_code not in (RESPONSE_OK,
                                                                       SESSION_ALREADY_OPENED)
        closed = opcode == CLOSE_SESSION and response_code == RESPONSE_OK
        if open_failed or closed:
            self.phase = SessionPhase.NOT_OPEN
            if self.open_spans and self.open_spans[-1][1] is None:
                self.open_spans[-1][1] = frame

    def open_at(self, frame: int) -> bool:
        """Whether a session was open at ``frame`` (OpenSession sent before it, not closed)."""
        return any(first is not None and first < frame and (last is None or frame < last)
                   for first, last in self.open_spans)

    def lose_sync(self) -> None:
        if self.phase is SessionPhase.OPEN:
            self.phase = SessionPhase.UNKNOWN
