"""Tokens and the recursive-descent parser: or > and > not > comparison. Each rule returns a
closure over rows; comparisons are built by ``terms``."""

from __future__ import annotations

import difflib
import re
from typing import Any, NamedTuple

from ..terminal_text import escape
from .fields import FIELDS, FilterError, Test
from .terms import COMPARE, Term, presence


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
            number = int(raw, 16) if "x" in raw.lower() else float(raw) \
                if any(c in raw for c in ".eE") else int(raw)
            out.append(Token("num", number, pos, m.end()))
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
class Parser:
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
        if op.kind == "op" and op.value in (*COMPARE, "contains", "matches", "in"):
            self.take()
            return Term(self, tok.value, kind, op).build()
        return presence(tok.value, kind)

    def field_type(self, tok: Token) -> str:
        kind = self.fields.get(tok.value)
        if kind is None:
            near = difflib.get_close_matches(tok.value, list(self.fields), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise FilterError(f"unknown field {tok.value!r} for {self.table}{hint}; fields: "
                              f"{', '.join(self.fields)}", tok.pos)
        self.used.add(tok.value)
        return kind
