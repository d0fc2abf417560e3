"""One comparison, ``field op value``: the literal read for the field's type (numbers, strings,
code names per vendor, severities, booleans), then one closure over rows."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..decode.codes import PACKET_TYPE_NAMES, lookup
from ..decode.tables import MTP, STANDARD, VENDORS
from .fields import (
    _CODED,
    _KIND_OF_TYPE,
    _NUMERIC,
    _TYPE_NUMBERS,
    ANY,
    BOOL,
    INT,
    INTS,
    OBJECT,
    PARAMS,
    SEVERITIES,
    SEVERITY,
    STR,
    STRS,
    TIME,
    FilterError,
    Row,
    Test,
)
from .patterns import MATCH_LIMIT, regex

if TYPE_CHECKING:
    from .syntax import Parser, Token

COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
            ">": operator.gt, ">=": operator.ge}


def _absent(value: object) -> bool:
    """None, NaN, NaT and pandas' NA: the row has no value for the field."""
    if value is None:
        return True
    try:
        return bool(value != value)  # noqa: PLR0124  NaN and NaT are unequal to themselves
    except (TypeError, ValueError):  # pd.NA refuses a truth value
        return True


def presence(name: str, kind: str) -> Test:
    if kind == BOOL:
        return lambda row: row.get(name) is True or _truth(row.get(name))
    return lambda row: not _absent(row.get(name))


def _truth(value: object) -> bool:
    """True for True and numpy's True; never for None, NaN or NA."""
    return not _absent(value) and bool(value)


# -- one comparison ---------------------------------------------------------------------------
class Term:
    """``field op value``: the literal read for the field's type, then one closure."""

    def __init__(self, parser: Parser, name: str, kind: str, op: Token) -> None:
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
        name, compare = self.name, COMPARE[op]
        if isinstance(value, _Codes):
            raise FilterError(f"a code name compares with == or != only; write the number to "
                              f"use {op}", tok.pos)
        if self.kind == SEVERITY:
            rank = value
            return lambda row: _ordered(compare, _rank(row.get(name)), rank)
        if self.kind == TIME:
            return lambda row: _ordered(compare, _time(row.get(name)), value)
        if self.kind in (INTS, STRS):
            return lambda row: _any(row.get(name), lambda v: _ordered(compare, v, value))
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
        search = regex(tok).search
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
            return lambda row: row.get(name) in table.get(_vendor(row), default)

        def coded(row: Row) -> bool:
            ptype = row.get("type")
            table = by_kind.get(_KIND_OF_TYPE.get(ptype, "") if isinstance(ptype, int) else "")
            if table is None:
                return False
            return row.get(name) in table.get(_vendor(row), table[None])
        return _safe(coded)


def _vendor(row: Row) -> str | None:
    vendor = row.get("vendor")
    return vendor if isinstance(vendor, str) else None


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
