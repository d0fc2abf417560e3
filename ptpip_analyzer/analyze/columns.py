"""Typed pandas columns built once from numpy arrays, for the tables of many rows.

``schema.frame`` from lists goes through a Python object per cell; a table of 200,000 packets
built that way peaked at twice its size (issue 12). These make each column of the schema's
dtype straight from arrays: nullable integers and booleans from values and a mask, and
categories from codes into the few distinct names, the same categories in the same order as
``astype("category")`` of the names themselves would give.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

K = TypeVar("K", bound=Hashable)


def nullable(values: np.ndarray, mask: np.ndarray, dtype: str) -> pd.Series:
    """An ``Int64`` / ``UInt64`` / ``boolean`` column: ``values`` where ``mask`` is False, NA
    where it is True."""
    import pandas as pd
    if dtype == "boolean":
        return pd.Series(pd.arrays.BooleanArray(values.astype(bool), mask), copy=False)
    numbers = values.astype(np.uint64 if dtype == "UInt64" else np.int64)
    numbers[mask] = 0
    return pd.Series(pd.arrays.IntegerArray(numbers, mask), copy=False)


def category(inverse: np.ndarray, names: Sequence[str | None]) -> pd.Series:
    """The column ``pd.Series([names[i] for i in inverse], dtype="str").astype("category")``
    would be, from the row codes ``inverse`` (every name must occur in it)."""
    import pandas as pd
    few = pd.Series(list(names), dtype="str").astype("category")
    codes = few.cat.codes.to_numpy()[inverse]
    return pd.Series(pd.Categorical.from_codes(codes, dtype=few.dtype), copy=False)


def category_of(values: Iterable[str | None]) -> pd.Series:
    """``pd.Series(list(values), dtype="str").astype("category")``, without a Python string
    column on the way (one code per row, the distinct names once)."""
    codes = Codes()
    codes.add(values)
    return codes.column()


class Codes:
    """A ``category_of`` column fed in parts: each part's values become row codes into the
    distinct names seen so far."""

    def __init__(self) -> None:
        self._index: dict[str | None, int] = {}
        self._parts: list[np.ndarray] = []

    def add(self, values: Iterable[str | None]) -> None:
        index = self._index
        self._parts.append(np.fromiter((index.setdefault(v, len(index)) for v in values),
                                       np.intp))

    def column(self) -> pd.Series:
        codes = self._parts[0] if len(self._parts) == 1 else \
            np.concatenate(self._parts or [np.zeros(0, np.intp)])
        return category(codes, list(self._index))


def mapped(keys: np.ndarray, of: Callable[[int], K]) -> tuple[np.ndarray, list[K]]:
    """Row codes into ``of(key)`` for each distinct key: ``(inverse, values)``."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    return inverse.reshape(-1), [of(int(k)) for k in distinct]


def mapped_rows(keys: np.ndarray, of: Callable[..., K]) -> tuple[np.ndarray, list[K]]:
    """``mapped`` for keys of several fields (one row of ``keys`` each)."""
    if not len(keys):
        return np.zeros(0, np.intp), []
    distinct, inverse = np.unique(keys, axis=0, return_inverse=True)
    return inverse.reshape(-1), [of(*map(int, k)) for k in distinct]


def lookup(keys: np.ndarray, table: Mapping[int, int], dtype: str = "Int64") -> pd.Series:
    """``table.get(key)`` per row as a nullable integer column (NA: not in the table)."""
    inverse, values = mapped(keys, table.get)
    numbers = np.array([-1 if v is None else v for v in values], dtype=np.int64)[inverse]
    mask = np.array([v is None for v in values], dtype=bool)[inverse]
    return nullable(numbers, mask, dtype)
