"""Writing ``Capture`` tables: Parquet (dtypes kept), CSV and JSON Lines (ISO 8601 times)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pandas as pd

if TYPE_CHECKING:
    from .capture import Capture

FORMATS = ("parquet", "csv", "jsonl")
_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl",
             ".ndjson": "jsonl", ".json": "jsonl"}


def format_of(path: str | Path, fmt: str | None = None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
        return fmt
    found = _SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise ValueError(f"can't tell the format of {path}; give one of {', '.join(FORMATS)}")
    return found


def write_table(table: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    path = Path(path)
    kind = format_of(path, fmt)
    if kind == "parquet":
        table.to_parquet(path, index=False)
    else:
        write_text_table(table, path, kind)
    return path


def write_text_table(table: pd.DataFrame, out: str | Path | TextIO, kind: str) -> None:
    """CSV or JSON Lines to a path or an open text stream (``transactions`` writes stdout)."""
    if kind == "csv":
        table.to_csv(out, index=False)
    else:
        text = table.to_json(orient="records", lines=True, date_format="iso", date_unit="us")
        if isinstance(out, (str, Path)):
            Path(out).write_text(text)
        else:
            out.write(text)


def write_all(capture: Capture, directory: str | Path, fmt: str) -> list[Path]:
    """Every table as ``DIRECTORY/<table>.<fmt>``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    return [write_table(capture.table(name), out / f"{name}.{fmt}", fmt)
            for name in capture.TABLES]
