"""The formats a table is written in, and which one a file name asks for (no pandas here: the
CLI decides with it whether pyarrow is needed before pandas is imported)."""

from __future__ import annotations

from pathlib import Path

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
