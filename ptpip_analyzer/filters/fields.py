"""What a filter can name: each table's fields and their types, the code-name tables that
stand for numbers, and ``FilterError``."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..decode.codes import PACKET_TYPE_NAMES
from ..terminal_text import escape

Row = Mapping[str, object]
Test = Callable[[Row], bool]

# Field types: how literals are read and which operators apply.
INT, NUM, TIME, STR, BOOL, SEVERITY = "integer", "number", "time", "string", "boolean", "severity"
INTS, STRS, PARAMS, OBJECT = "integer list", "string list", "parameter list", "dataset"
ANY = "number or string"
_NUMERIC = (INT, NUM, TIME, INTS)

_WHERE = {"frame": INT, "time": TIME, "stream": INT, "session": INT, "transaction_id": INT}
FIELDS: dict[str, dict[str, str]] = {
    "packets": {
        **_WHERE, "src": STR, "dst": STR, "role": STR, "variant": STR, "offset": INT,
        "length": INT, "type": INT, "type_name": STR, "reason": ANY, "code": INT,
        "code_name": STR, "params": INTS, "data_length": INT, "data_phase": INT,
        "connection_number": INT, "name": STR, "version": INT, "guid": STR, "missing": INT,
        "vendor": STR, "named_params": PARAMS, "dataset": OBJECT, "capture": STR,
    },
    "transactions": {
        "session": INT, "stream": INT, "transaction_id": INT, "opcode": INT,
        "opcode_name": STR, "params": INTS, "response_code": INT, "response_name": STR,
        "response_params": INTS, "data_direction": STR, "data_bytes": INT,
        "announced_bytes": INT, "start_frame": INT, "end_frame": INT, "start": TIME,
        "end": TIME, "start_rel_s": NUM, "latency_s": NUM, "complete": BOOL, "cancelled": BOOL,
        "ok": BOOL, "findings": INT, "status": STR, "wait_s": NUM, "wait_side": STR,
        "transfer_s": NUM, "finish_s": NUM, "idle_before_s": NUM, "retransmissions": INT,
        "stall_s": NUM, "vendor": STR,
        "named_params": STRS, "capture": STR,
        **{f"param{i}": INT for i in range(1, 6)},
    },
    "findings": {**_WHERE, "rule": STR, "severity": SEVERITY, "message": STR, "capture": STR},
}
SEVERITIES = ("note", "warning", "error")
# Which code table names a coded field's values; packets' ``code`` depends on the row's type.
_CODED: dict[tuple[str, str], tuple[str, ...]] = {
    ("packets", "code"): ("operation", "response", "event"),
    ("transactions", "opcode"): ("operation",),
    ("transactions", "response_code"): ("response",),
}
_KIND_OF_TYPE = {6: "operation", 7: "response", 8: "event"}
_TYPE_NUMBERS = {name.replace(" ", "").lower(): n for n, name in PACKET_TYPE_NAMES.items()}


class FilterError(Exception):
    """A filter that can't be compiled: ``message`` about the character at ``position``."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position

    def render(self, text: str, prefix: str = "") -> str:
        """The message, then the filter with a caret under the offending character (three
        lines, no trailing newline); control characters in ``text`` are shown escaped."""
        shown = escape(text)
        column = len(escape(text[:self.position]))
        return f"{prefix}{self.message}\n    {shown}\n    {' ' * column}^"
