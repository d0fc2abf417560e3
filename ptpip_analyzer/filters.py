"""Display filters: one small expression language for packets, transactions and findings.

    >>> f = compile_filter('code == GetObject and transaction_id in {12..15}', "packets")
    >>> f.matches(describe.to_dict(conn, record, annotation))

The CLI's ``-Y`` and the TUI's filter bar both compile through here (docs/filters.md is the
user's reference; every example there runs in tests/test_filters_doc.py). Fields are the keys
of a table's rows (``FIELDS``): a packet row is ``describe.to_dict``, a transaction row
``transaction_to_dict`` or a row of the transactions DataFrame, a finding row
``finding_to_dict``. Semantics follow Wireshark's where they apply:

- a field missing from a row (or None/NaN/NA) makes every comparison false except ``!=``, which
  is ``not ==`` (Wireshark 3.6 and later); a bare field tests presence (a boolean: truth);
- a comparison on a list field (``params``) is true when any element satisfies it;
- code names stand for numbers (``code == GetObject``, ``response_code == OK``), resolved in the
  vendor table of the row's ``vendor``, as the names in the output are.

Compiling checks everything it can (unknown fields, type mismatches, unknown code names, bad
regular expressions) and raises ``FilterError`` with the 0-based position of the offending
character; ``FilterError.render`` shows it with a caret. The compiled filter is a tree of
closures, so a row costs a dict lookup and a comparison per term.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .decode.codes import PACKET_TYPE_NAMES, lookup
from .decode.tables import MTP, STANDARD, VENDORS
from .terminal_text import escape

__all__ = ["FIELDS", "MATCH_LIMIT", "Filter", "FilterError", "compile_filter"]

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
        "ok": BOOL, "findings": INT, "vendor": STR, "named_params": STRS, "capture": STR,
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

# ``matches`` cost is bounded: Python's re backtracks, so a pattern is refused when its worst
# case is exponential (a repeat inside a repeat, alternatives inside a repeat, back references)
# and may hold at most two long repeats (*, +, {n,m} with m > 16); search time is then at worst
# cubic in the subject, which is cut to MATCH_LIMIT characters (measured: 17 ms for a*a*b on
# 256 a's; a pattern with one repeat: under 0.1 ms).
MATCH_LIMIT = 256
_MAX_UNBOUNDED = 2


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


@dataclass(frozen=True)
class Filter:
    """A compiled display filter; ``matches(row)`` says whether a row is selected."""

    text: str
    table: str
    fields: frozenset[str]  # the fields it reads (a caller may build only those)
    _test: Test = field(repr=False)
    # A code name it uses stands for vendor codes: rows need their vendor (the annotator)
    vendor_names: bool = False

    def matches(self, row: Row) -> bool:
        return self._test(row)


def compile_filter(text: str, table: str) -> Filter:
    """Compile ``text`` for rows of ``table`` ("packets", "transactions" or "findings")."""
    if table not in FIELDS:
        raise ValueError(f"unknown table {table!r}; tables: {', '.join(FIELDS)}")
    parser = _Parser(text, table)
    test = parser.parse()
    return Filter(text, table, frozenset(parser.used), test, parser.vendor_names)


# -- tokens ---------------------------------------------------------------------------------
class Token(NamedTuple):
    kind: str  # num, str, ident, op, end
    value: Any
    pos: int
    end: int


_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<num>-?(?:0[xX][0-9A-Fa-f]+|(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)(?!\w))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||\.\.|[<>!(){},])
  | (?P<str>")
""", re.VERBOSE)
_WORD_OPS = {"and": "and", "or": "or", "not": "not", "contains": "contains",
             "matches": "matches", "in": "in", "eq": "==", "ne": "!=", "lt": "<", "le": "<=",
             "gt": ">", "ge": ">="}
_SYMBOL_OPS = {"&&": "and", "||": "or", "!": "not"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "0": "\0"}


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise FilterError(f"unexpected character {escape(repr(text[pos]))}", pos)
        kind = m.lastgroup
        if kind == "str":
            value, end = _string(text, pos)
            out.append(Token("str", value, pos, end))
            pos = end
            continue
        if kind == "num":
            raw = m.group()
            value = int(raw, 16) if "x" in raw.lower() else float(raw) \
                if any(c in raw for c in ".eE") else int(raw)
            out.append(Token("num", value, pos, m.end()))
        elif kind == "ident":
            word = m.group()
            op = _WORD_OPS.get(word.lower())
            out.append(Token("op", op, pos, m.end()) if op else Token("ident", word, pos, m.end()))
        elif kind == "op":
            out.append(Token("op", _SYMBOL_OPS.get(m.group(), m.group()), pos, m.end()))
        pos = m.end()
    out.append(Token("end", None, len(text), len(text)))
    return out


def _string(text: str, start: int) -> tuple[str, int]:
    """A double-quoted string from ``start``: its value and the index after it."""
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(chars), i + 1
        if c == "\\":
            i += 1
            if i >= len(text):
                break
            esc = text[i]
            if esc == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 1:i + 3]):
                chars.append(chr(int(text[i + 1:i + 3], 16)))
                i += 3
                continue
            if esc not in _ESCAPES:  # keep regex escapes such as \d for ``matches``
                chars.append("\\")
            chars.append(_ESCAPES.get(esc, esc))
        else:
            chars.append(c)
        i += 1
    raise FilterError("unterminated string (a closing \" is missing)", start)


# -- parser: or > and > not > comparison ------------------------------------------------------
_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


class _Parser:
    def __init__(self, text: str, table: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.table = table
        self.fields = FIELDS[table]
        self.used: set[str] = set()
        self.vendor_names = False

    def parse(self) -> Test:
        if self.peek().kind == "end":
            raise FilterError("empty filter", 0)
        test = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise FilterError(f"expected and, or or the end of the filter, not "
                              f"{self.shown(tok)}", tok.pos)
        return test

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, op: str) -> bool:
        tok = self.peek()
        if tok.kind == "op" and tok.value == op:
            self.i += 1
            return True
        return False

    @staticmethod
    def shown(tok: Token) -> str:
        return "the end of the filter" if tok.kind == "end" else f"{tok.value!r}"

    def or_(self) -> Test:
        terms = [self.and_()]
        while self.accept("or"):
            terms.append(self.and_())
        if len(terms) == 1:
            return terms[0]
        return lambda row: any(t(row) for t in terms)

    def and_(self) -> Test:
        terms = [self.not_()]
        while self.accept("and"):
            terms.append(self.not_())
        if len(terms) == 1:
            return terms[0]
        if len(terms) == 2:
            a, b = terms
            return lambda row: a(row) and b(row)
        return lambda row: all(t(row) for t in terms)

    def not_(self) -> Test:
        if self.accept("not"):
            inner = self.not_()
            return lambda row: not inner(row)
        return self.primary()

    def primary(self) -> Test:
        tok = self.peek()
        if self.accept("("):
            inner = self.or_()
            close = self.peek()
            if not self.accept(")"):
                raise FilterError(f"expected ) to close the ( at character {tok.pos + 1}, not "
                                  f"{self.shown(close)}", close.pos)
            return inner
        if tok.kind != "ident":
            raise FilterError(f"expected a field name, not {self.shown(tok)}", tok.pos)
        self.take()
        kind = self.field_type(tok)
        op = self.peek()
        if op.kind == "op" and op.value in (*_COMPARE, "contains", "matches", "in"):
            self.take()
            return _Term(self, tok.value, kind, op).build()
        return _presence(tok.value, kind)

    def field_type(self, tok: Token) -> str:
        kind = self.fields.get(tok.value)
        if kind is None:
            near = difflib.get_close_matches(tok.value, list(self.fields), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise FilterError(f"unknown field {tok.value!r} for {self.table}{hint}; fields: "
                              f"{', '.join(self.fields)}", tok.pos)
        self.used.add(tok.value)
        return kind


def _absent(value: object) -> bool:
    """None, NaN, NaT and pandas' NA: the row has no value for the field."""
    if value is None:
        return True
    try:
        return bool(value != value)  # noqa: PLR0124  NaN and NaT are unequal to themselves
    except (TypeError, ValueError):  # pd.NA refuses a truth value
        return True


def _presence(name: str, kind: str) -> Test:
    if kind == BOOL:
        return lambda row: row.get(name) is True or _truth(row.get(name))
    return lambda row: not _absent(row.get(name))


def _truth(value: object) -> bool:
    """True for True and numpy's True; never for None, NaN or NA."""
    return not _absent(value) and bool(value)


# -- one comparison ---------------------------------------------------------------------------
class _Term:
    """``field op value``: the literal read for the field's type, then one closure."""

    def __init__(self, parser: _Parser, name: str, kind: str, op: Token) -> None:
        self.p, self.name, self.kind, self.op = parser, name, kind, op

    def build(self) -> Test:
        op = self.op.value
        if self.kind == OBJECT:
            raise FilterError(f"{self.name} can only be tested for presence (write just "
                              f"{self.name})", self.op.pos)
        if op == "matches":
            return self.matches()
        if op == "contains":
            return self.contains()
        if op == "in":
            return self.member()
        if self.kind == BOOL and op not in ("==", "!="):
            raise FilterError(f"{self.name} is a boolean: compare it with == or !=",
                              self.op.pos)
        value = self.p.take()
        test = self.equal(value) if op in ("==", "!=") else self.ordered(op, value)
        if op == "!=":
            return lambda row: not test(row)
        return test

    # literals ------------------------------------------------------------------------------
    def literal(self, tok: Token) -> object:
        """The value of ``tok`` for this field's type (a _Codes for a code name)."""
        kind = self.kind
        if tok.kind in ("end", "op"):
            raise FilterError(f"expected a value after {self.op.value}, not "
                              f"{self.p.shown(tok)}", tok.pos)
        if kind in _NUMERIC:
            if tok.kind == "num":
                if kind in (INT, INTS) and isinstance(tok.value, float):
                    raise FilterError(f"{self.name} is an integer, not {tok.value}", tok.pos)
                return tok.value
            return self.code(tok)
        if kind in (STR, STRS, PARAMS):
            if tok.kind == "num":
                raise FilterError(f"{self.name} is a string: write the value in double quotes "
                                  f'("{tok.value}")', tok.pos)
            return tok.value
        if kind == BOOL:
            word = str(tok.value).lower()
            if tok.kind != "ident" or word not in ("true", "false"):
                raise FilterError(f"{self.name} is a boolean: true or false, not "
                                  f"{tok.value!r}", tok.pos)
            return word == "true"
        if kind == SEVERITY:
            word = str(tok.value).lower()
            if word not in SEVERITIES:
                raise FilterError(f"severity is one of {', '.join(SEVERITIES)}, not "
                                  f"{tok.value!r}", tok.pos)
            return SEVERITIES.index(word)
        return tok.value  # ANY: a number or a string, checked per row

    def code(self, tok: Token) -> object:
        """A code name for a coded field (vendor-aware), a packet type name for ``type``."""
        kinds = _CODED.get((self.p.table, self.name))
        text = str(tok.value)
        if self.p.table == "packets" and self.name == "type":
            number = _TYPE_NUMBERS.get(text.replace(" ", "").lower())
            if number is not None:
                return number
            raise FilterError(f"unknown packet type {text!r}; types: "
                              f"{', '.join(PACKET_TYPE_NAMES.values())} (gaps and malformed "
                              "regions: type_name == \"gap\")", tok.pos)
        if kinds is None:
            raise FilterError(f"{self.name} is {_a(self.kind)}, not {text!r}", tok.pos)
        codes = _Codes.resolve(text, kinds)
        if codes is None:
            what = " or ".join(kinds) if len(kinds) < 3 else "operation, response or event"
            raise FilterError(f"unknown {what} name {text!r}", tok.pos)
        self.p.vendor_names |= codes.vendor_specific
        return codes

    # operators -----------------------------------------------------------------------------
    def equal(self, tok: Token) -> Test:
        value = self.literal(tok)
        name = self.name
        if isinstance(value, _Codes):
            return value.test(name)
        if self.kind == SEVERITY:
            rank = value
            return lambda row: _rank(row.get(name)) == rank
        if self.kind in (INTS, STRS):
            return lambda row: _any(row.get(name), lambda v: v == value)
        if self.kind == PARAMS:
            return lambda row: _any(_param_texts(row.get(name)), lambda v: v == value)
        if self.kind == TIME:
            return lambda row: _time(row.get(name)) == value
        return _safe(lambda row: row.get(name) == value)

    def ordered(self, op: str, tok: Token) -> Test:
        value = self.literal(tok)
        name, compare = self.name, _COMPARE[op]
        if isinstance(value, _Codes):
            raise FilterError(f"a code name compares with == or != only; write the number to "
                              f"use {op}", tok.pos)
        if self.kind == SEVERITY:
            rank = value
            return lambda row: _ordered(compare, _rank(row.get(name)), rank)
        if self.kind == TIME:
            return lambda row: _ordered(compare, _time(row.get(name)), value)
        if self.kind in (INTS, STRS):
            return lambda row: _any(row.get(name), lambda v: compare(v, value))
        if self.kind == PARAMS:
            raise FilterError(f"{name} compares with ==, !=, contains or matches", self.op.pos)
        return lambda row: _ordered(compare, row.get(name), value)

    def member(self) -> Test:
        """``field in {a, b, c..d}``: any of the values (ranges inclusive)."""
        open_ = self.p.peek()
        if not self.p.accept("{"):
            raise FilterError(f"expected {{ after in, not {self.p.shown(open_)}", open_.pos)
        tests: list[Test] = []
        while not self.p.accept("}"):
            tok = self.p.take()
            if tok.kind == "end":
                raise FilterError(f"expected }} to close the {{ at character {open_.pos + 1}",
                                  tok.pos)
            if self.p.accept(".."):
                tests.append(self.range(tok, self.p.take()))
            else:
                tests.append(self.equal(tok))
            self.p.accept(",")
        if not tests:
            raise FilterError("an empty set selects nothing: give at least one value",
                              open_.pos)
        return lambda row: any(t(row) for t in tests)

    def range(self, low: Token, high: Token) -> Test:
        if self.kind not in _NUMERIC or low.kind != "num" or high.kind != "num":
            raise FilterError("a range a..b needs numbers and a numeric field", low.pos)
        lo, hi, name = low.value, high.value, self.name
        if self.kind == INTS:
            return lambda row: _any(row.get(name), lambda v: lo <= v <= hi)
        get = _time if self.kind == TIME else (lambda v: v)
        return lambda row: _ordered(operator.le, lo, get(row.get(name))) and \
            _ordered(operator.le, get(row.get(name)), hi)

    def contains(self) -> Test:
        tok = self.p.take()
        value, name = self.literal(tok), self.name
        if self.kind == STR:
            if not isinstance(value, str):
                raise FilterError(f"contains takes a string for {name}", tok.pos)
            return lambda row: _text_of(row.get(name), lambda v: value in v)
        if self.kind == INTS:
            if isinstance(value, _Codes):
                raise FilterError("contains takes a number here", tok.pos)
            return lambda row: _any(row.get(name), lambda v: v == value)
        if self.kind in (STRS, PARAMS):
            texts = _param_texts if self.kind == PARAMS else (lambda v: v)
            return lambda row: _any(texts(row.get(name)), lambda v: value in v)
        raise FilterError(f"contains applies to strings and lists; {name} is {_a(self.kind)}",
                          self.op.pos)

    def matches(self) -> Test:
        tok = self.p.take()
        if tok.kind != "str":
            raise FilterError("matches takes a regular expression in double quotes", tok.pos)
        if self.kind not in (STR, STRS, PARAMS, ANY):
            raise FilterError(f"matches applies to strings; {self.name} is {_a(self.kind)}",
                              self.op.pos)
        search = _regex(tok).search
        name = self.name

        def found(v: object) -> bool:
            return isinstance(v, str) and search(v[:MATCH_LIMIT]) is not None
        if self.kind == STRS:
            return lambda row: _any(row.get(name), found)
        if self.kind == PARAMS:
            return lambda row: _any(_param_texts(row.get(name)), found)
        return lambda row: found(row.get(name))


class _Codes:
    """The codes a name stands for, per vendor table (None: no vendor), per code kind."""

    def __init__(self, by_kind: dict[str, dict[str | None, frozenset[int]]]) -> None:
        self.by_kind = by_kind
        # Standard codes (bit 15 clear, 16-bit) are named the same whatever the vendor.
        self.vendor_specific = any(code & 0x8000 or code > 0xFFFF for table in by_kind.values()
                                   for codes in table.values() for code in codes)

    @classmethod
    def resolve(cls, name: str, kinds: tuple[str, ...]) -> _Codes | None:
        wanted = name.lower()
        by_kind: dict[str, dict[str | None, frozenset[int]]] = {}
        for kind in kinds:
            candidates = {code for table in (STANDARD, MTP, *VENDORS.values())
                          for code, n in table.codes.get(kind, {}).items()
                          if n.lower() == wanted}
            if candidates:
                by_kind[kind] = {vendor: frozenset(
                    c for c in candidates if (lookup(kind, c, vendor) or "").lower() == wanted)
                    for vendor in (None, *VENDORS)}
        return cls(by_kind) if by_kind else None

    def test(self, name: str) -> Test:
        by_kind = self.by_kind
        if len(by_kind) == 1 and name != "code":
            (table,) = by_kind.values()
            default = table[None]
            return lambda row: row.get(name) in table.get(row.get("vendor"), default)  # type: ignore[arg-type]

        def coded(row: Row) -> bool:
            table = by_kind.get(_KIND_OF_TYPE.get(row.get("type"), ""))  # type: ignore[arg-type]
            if table is None:
                return False
            return row.get(name) in table.get(row.get("vendor"), table[None])  # type: ignore[arg-type]
        return _safe(coded)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _safe(test: Test) -> Test:
    """``test`` with values that refuse comparison (pandas NA, unhashable) as no match."""
    def guarded(row: Row) -> bool:
        try:
            return bool(test(row))
        except (TypeError, ValueError):
            return False
    return guarded


def _ordered(compare: Callable[[Any, Any], Any], a: object, b: object) -> bool:
    if a is None or b is None:
        return False
    try:
        return bool(compare(a, b))
    except (TypeError, ValueError):  # NA, or a string against a number (reason)
        return False


def _any(values: object, test: Callable[[Any], bool]) -> bool:
    if not isinstance(values, (list, tuple)):
        return False
    try:
        return any(test(v) for v in values)
    except TypeError:
        return False


def _text_of(value: object, test: Callable[[str], bool]) -> bool:
    return isinstance(value, str) and test(value)


def _param_texts(value: object) -> list[str]:
    """Packets' named_params (dicts) as the ``name=display`` strings of transactions."""
    if not isinstance(value, (list, tuple)):
        return []
    return [f"{p.get('name')}={p.get('display')}" if isinstance(p, Mapping) else str(p)
            for p in value]


def _rank(value: object) -> int | None:
    return SEVERITIES.index(value) if value in SEVERITIES else None


def _time(value: object) -> float | None:
    """Epoch seconds of a float or a datetime-like (a DataFrame row's Timestamp)."""
    if isinstance(value, (int, float)):
        return None if value != value else float(value)  # noqa: PLR0124  NaN
    stamp = getattr(value, "timestamp", None)
    if stamp is None:
        return None
    try:
        return float(stamp())
    except (TypeError, ValueError):  # NaT
        return None


def _regex(tok: Token) -> re.Pattern[str]:
    """Compile once; refuse what could take exponential time (nested or many unbounded
    repeats, back references)."""
    try:
        pattern = re.compile(tok.value)
    except re.error as exc:
        raise FilterError(f"bad regular expression: {exc.msg}",
                          tok.pos + 1 + (exc.pos or 0)) from None
    problem = _costly(tok.value)
    if problem:
        raise FilterError(f"regular expression refused: {problem} (matching must stay fast)",
                          tok.pos)
    return pattern


def _costly(pattern: str) -> str | None:
    from re import _parser  # type: ignore[attr-defined]
    unbounded = 0

    def walk(items: Any, inside: bool) -> str | None:
        nonlocal unbounded
        for op, arg in items:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS"):
                return "back references"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _low, high, sub = arg
                big = high is _parser.MAXREPEAT or high > 16
                if high > 1 and inside:
                    return "a repeat inside a repeat, like (a+)+"
                unbounded += big
                found = walk(sub, inside or high > 1)
            elif name == "SUBPATTERN":
                found = walk(arg[-1], inside)
            elif name == "BRANCH":
                if inside:
                    return "alternatives inside a repeat, like (a|aa)*"
                found = next((r for r in (walk(b, inside) for b in arg[1]) if r), None)
            elif name in ("ASSERT", "ASSERT_NOT"):
                found = walk(arg[1], inside)
            else:
                found = None
            if found:
                return found
        return None
    found = walk(_parser.parse(pattern), False)
    if found is None and unbounded > _MAX_UNBOUNDED:
        return f"more than {_MAX_UNBOUNDED} unbounded repeats"
    return found
