"""How records are printed, tshark-style: time formats (-t), field lists (-T fields -e -E),
whole-document JSON (-T json) and colour (--color, NO_COLOR). Printing only; every value
printed from the wire goes through ``terminal_text.escape``."""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from ..terminal_text import escape

TIME_FORMATS = {"r": "seconds since the capture's first frame (default, as Wireshark)",
                "a": "absolute local time of day", "ad": "absolute local date and time",
                "d": "seconds since the previous record shown", "e": "seconds since the epoch"}


class UsageError(Exception):
    """A bad option or filter: the CLI prints the message (``error: ...``) and exits 2."""


class TimeFormat:
    """``-t``: a record's time as text, relative to ``origin`` (the first frame) for r."""

    def __init__(self, mode: str, origin: float | None) -> None:
        self.mode, self.origin = mode, origin
        self.previous: float | None = None

    def __call__(self, t: float) -> str:
        mode = self.mode
        if mode == "e":
            return f"{t:.6f}"
        if mode in ("a", "ad"):
            stamp = datetime.datetime.fromtimestamp(t)  # local time, as tshark -t a
            return stamp.strftime("%H:%M:%S.%f" if mode == "a" else "%Y-%m-%d %H:%M:%S.%f")
        if mode == "d":
            delta = 0.0 if self.previous is None else t - self.previous
            self.previous = t
            return f"{delta:11.6f}"
        origin = t if self.origin is None else self.origin
        return f"{t - origin:11.6f}"


# -- -T fields ---------------------------------------------------------------------------------
_SEPARATORS = {"/t": "\t", "/s": " ", "/n": "\n"}


class FieldWriter:
    """``-T fields -e F ... -E header=y,separator=,,quote=d,aggregator=;``: one line per row
    with the chosen fields (missing: empty; lists joined by the aggregator)."""

    def __init__(self, fields: Sequence[str], known: Iterable[str],
                 options: Sequence[str] = ()) -> None:
        unknown = [f for f in fields if f not in set(known)]
        if not fields:
            raise UsageError("-T fields needs at least one -e FIELD")
        if unknown:
            raise UsageError(f"-e: unknown field {unknown[0]!r}; fields: {', '.join(known)}")
        self.fields = list(fields)
        self.header, self.separator, self.quote, self.aggregator = False, "\t", "", ","
        self.occurrence = "a"  # of a list field: a (all, joined), f (first), l (last)
        for option in options:
            for part in _split_options(option):
                self._option(part)

    def _option(self, part: str) -> None:
        key, eq, value = part.partition("=")
        if not eq:
            raise UsageError(f"-E {part!r}: write KEY=VALUE (header, separator, quote, "
                             "aggregator)")
        if key == "header":
            if value not in ("y", "n"):
                raise UsageError("-E header= takes y or n")
            self.header = value == "y"
        elif key == "separator":
            self.separator = _SEPARATORS.get(value, value)
        elif key == "aggregator":
            self.aggregator = _SEPARATORS.get(value, value)
        elif key == "occurrence":
            if value not in ("a", "f", "l"):
                raise UsageError("-E occurrence= takes a (all), f (first) or l (last)")
            self.occurrence = value
        elif key == "quote":
            if value not in ("d", "s", "n"):
                raise UsageError("-E quote= takes d (double), s (single) or n (none)")
            self.quote = {"d": '"', "s": "'", "n": ""}[value]
        else:
            raise UsageError(f"-E: unknown option {key!r} (header, separator, quote, "
                             "aggregator, occurrence)")

    def start(self, out: TextIO) -> None:
        if self.header:
            out.write(self.separator.join(self.fields) + "\n")

    def write(self, row: Mapping[str, Any], out: TextIO) -> None:
        q = self.quote
        out.write(self.separator.join(f"{q}{self.text(row.get(f))}{q}" for f in self.fields)
                  + "\n")

    def text(self, value: Any) -> str:
        if _missing(value):
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, tuple)):
            if self.occurrence != "a" and value:
                value = [value[0] if self.occurrence == "f" else value[-1]]
            return self.aggregator.join(self.text(v) for v in value)
        if isinstance(value, Mapping):
            if "name" in value and "display" in value:  # a named parameter
                return escape(f"{value['name']}={value['display']}")
            return escape(json.dumps(value))
        if hasattr(value, "isoformat"):  # a DataFrame row's Timestamp
            return str(value.isoformat())
        return escape(str(value))


def _split_options(option: str) -> list[str]:
    """``header=y,separator=,`` -> [header=y, separator=,]: a comma right after = is a value."""
    parts: list[str] = []
    for piece in option.split(","):
        if parts and (parts[-1].endswith("=") or "=" not in piece):
            parts[-1] += "," + piece if not parts[-1].endswith("=") else ","
            continue
        parts.append(piece)
    return [p for p in parts if p]


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # noqa: PLR0124  NaN, NaT
    except (TypeError, ValueError):  # pandas NA
        return True


# -- -T json ---------------------------------------------------------------------------------
class JsonDocument:
    """``-T json``: one JSON array for the whole output, written as rows come."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.count = out, 0
        out.write("[")

    def write(self, row: Mapping[str, Any]) -> None:
        self.out.write(("," if self.count else "") + "\n  " + json.dumps(row, default=str))
        self.count += 1

    def end(self) -> None:
        self.out.write("\n]\n" if self.count else "]\n")


# -- colour ----------------------------------------------------------------------------------
_CODES = {"red": "31", "yellow": "33", "dim": "2", "bold_red": "1;31"}


class Palette:
    """ANSI colours when on, plain text when off (a pipe, ``--color never``, NO_COLOR)."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def paint(self, colour: str, text: str) -> str:
        return f"\x1b[{_CODES[colour]}m{text}\x1b[0m" if self.on else text


def colour_wanted(choice: str, stream: TextIO) -> bool:
    """``--color always|never|auto``: auto is on for a terminal unless NO_COLOR is set (and
    not empty) or TERM is dumb; always wins over NO_COLOR (no-color.org)."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
