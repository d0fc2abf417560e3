"""Writing ``Capture`` tables: Parquet (dtypes kept), CSV and JSON Lines (ISO 8601 times)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pandas as pd

from .formats import FORMATS, format_of

if TYPE_CHECKING:
    from .capture import Capture

__all__ = ["FORMATS", "format_of", "write_all", "write_table", "write_text_table"]

def write_table(table: pd.DataFrame | Iterable[pd.DataFrame], path: str | Path,
                fmt: str | None = None) -> Path:
    """One table, or for CSV and JSON Lines its parts in row order (``PacketTable.chunks``:
    written a part at a time, the same bytes as the whole table)."""
    path = Path(path)
    kind = format_of(path, fmt)
    if kind == "parquet":
        assert isinstance(table, pd.DataFrame), "Parquet is written from the whole table"
        table.to_parquet(path, index=False)
    else:
        write_text_table(table, path, kind)
    return path


def write_text_table(table: pd.DataFrame | Iterable[pd.DataFrame],
                     out: str | Path | TextIO, kind: str) -> None:
    """CSV or JSON Lines to a path or an open text stream (``transactions`` writes stdout)."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as stream:
            write_text_table(table, stream, kind)
        return
    wholes = [table] if isinstance(table, pd.DataFrame) else table
    parts = (part for whole in wholes for part in _slices(whole))
    empty, header = None, True
    for part in parts:
        if kind == "csv":
            part.to_csv(out, index=False, header=header)
            header = False
        elif len(part):
            out.write(_json_lines(part))
            empty = False
        elif empty is None:
            empty = part
    if isinstance(empty, pd.DataFrame):
        out.write(_json_lines(empty))  # an empty table: what pandas writes for one


PART_ROWS = 2_048  # rows formatted at a time: a whole table's JSON Lines was one string of
# ~200 MB for 280,000 transactions, and its CSV a chunk of Python objects per cell; 8,192
# rows still took ~20 MB more than 2,048 (issue 17)


def _slices(table: pd.DataFrame) -> Iterable[pd.DataFrame]:
    if len(table) <= PART_ROWS:
        return [table]
    return (table.iloc[start:start + PART_ROWS] for start in range(0, len(table), PART_ROWS))


def _json_lines(part: pd.DataFrame) -> str:
    return part.to_json(orient="records", lines=True, date_format="iso", date_unit="us")


def write_all(capture: Capture, directory: str | Path, fmt: str) -> list[Path]:
    """Every table as ``DIRECTORY/<table>.<fmt>``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    return [capture.export(name, out / f"{name}.{fmt}", fmt) for name in capture.TABLES]
