"""Writing ``Capture`` tables: Parquet (dtypes kept), CSV and JSON Lines (ISO 8601 times)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pandas as pd

from .formats import FORMATS, format_of

if TYPE_CHECKING:
    from .capture import Capture

__all__ = ["FORMATS", "format_of", "write_all", "write_parquet", "write_table", "write_text_table"]

def write_table(table: pd.DataFrame | Iterable[pd.DataFrame], path: str | Path,
                fmt: str | None = None) -> Path:
    """One table, or its parts in row order (``PacketTable.chunks``), written a part at a
    time: for CSV and JSON Lines the same bytes as the whole table, for Parquet a row group
    per part, read back as the same frame."""
    path = Path(path)
    kind = format_of(path, fmt)
    if kind == "parquet":
        write_parquet(table, path)
    else:
        write_text_table(table, path, kind)
    return path


def write_parquet(table: pd.DataFrame | Iterable[pd.DataFrame], path: Path) -> None:
    """Parquet a part at a time (``PARQUET_ROWS`` rows per row group at most): pandas'
    to_parquet converted the whole table to Arrow at once, ~130 MB more for the packets of a
    98 MB capture (issue 17). Every part takes the first part's Arrow schema (and pandas'
    metadata with it, so that the dtypes come back)."""
    if "pyarrow" in sys.modules and sys.modules["pyarrow"] is None:
        del sys.modules["pyarrow"]  # kept from pandas (cli.common.leave_out_arrow), not from us
    import pyarrow as pa
    import pyarrow.parquet as pq
    wholes = [table] if isinstance(table, pd.DataFrame) else table
    writer: pq.ParquetWriter | None = None
    try:
        for whole in wholes:
            for part in _slices(whole, PARQUET_ROWS):
                arrow = pa.Table.from_pandas(part, preserve_index=False,
                                             schema=None if writer is None else writer.schema)
                if writer is None:
                    writer = pq.ParquetWriter(path, arrow.schema)
                writer.write_table(arrow)
                del arrow
    finally:
        if writer is not None:
            writer.close()


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


PARQUET_ROWS = 1 << 16  # (the packets table's parts are as long)


def _slices(table: pd.DataFrame, rows: int = PART_ROWS) -> Iterable[pd.DataFrame]:
    if len(table) <= rows:
        return [table]
    return (table.iloc[start:start + rows] for start in range(0, len(table), rows))


def _json_lines(part: pd.DataFrame) -> str:
    return part.to_json(orient="records", lines=True, date_format="iso", date_unit="us")


def write_all(capture: Capture, directory: str | Path, fmt: str) -> list[Path]:
    """Every table as ``DIRECTORY/<table>.<fmt>``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    return [capture.export(name, out / f"{name}.{fmt}", fmt) for name in capture.TABLES]
