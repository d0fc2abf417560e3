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

from dataclasses import dataclass, field

from .fields import FIELDS, FilterError, Row, Test
from .patterns import MATCH_LIMIT
from .syntax import Parser

__all__ = ["FIELDS", "MATCH_LIMIT", "Filter", "FilterError", "compile_filter"]


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
    parser = Parser(text, table)
    test = parser.parse()
    return Filter(text, table, frozenset(parser.used), test, parser.vendor_names)
