"""``matches``: regular expressions compiled once, refused when they could backtrack
exponentially, searched on a bounded prefix of the value."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .fields import FilterError

if TYPE_CHECKING:
    from .syntax import Token

# ``matches`` cost is bounded: Python's re backtracks, so a pattern is refused when its worst
# case is exponential (a repeat inside a repeat, alternatives inside a repeat, back references)
# and may hold at most two long repeats (*, +, {n,m} with m > 16); search time is then at worst
# cubic in the subject, which is cut to MATCH_LIMIT characters (measured: 17 ms for a*a*b on
# 256 a's; a pattern with one repeat: under 0.1 ms).
MATCH_LIMIT = 256
_MAX_UNBOUNDED = 2


def regex(tok: Token) -> re.Pattern[str]:
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
