"""Many captures into one Parquet dataset per table, in parallel (local processes or Dask).

Layout of ``OUT``: ``OUT/<table>/capture=<name>/part-0.parquet`` for every table of
``Capture`` (hive partitioning: pandas, pyarrow and Dask read ``OUT/<table>`` as one table with
a ``capture`` column), and ``OUT/captures.parquet`` with one row per input file (status, error,
rows, seconds). One file's failure is its row in ``captures.parquet``, never the batch's end;
its error is one line (the exception's type and first line, no traceback). Files of a folder
that are not captures by name are rows too (status ``skipped``), so nothing is left out
silently.
Each capture's partitions are written to a temporary folder and renamed into place, so a crash
leaves no half-written capture; a re-run replaces a capture's partitions.

Categorical columns are stored as strings: each file's categories differ, and Parquet dataset
readers can't always unify dictionary columns across files.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .schema import TABLES

CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz", ".pcap.xz",
                    ".pcapng.xz", ".pcap.zst", ".pcapng.zst", ".pcap.bz2", ".pcapng.bz2")


@dataclass(frozen=True, slots=True)
class FileResult:
    capture: str  # partition name
    path: str
    # "ok", "partial" (the file turned bad midway; readable part kept), "error", "skipped" (a
    # file of the folder that is no capture by its name)
    status: str
    error: str | None  # one line
    rows: int  # rows over all tables
    seconds: float


def captures_of(spec: str | Path) -> list[Path]:
    """The capture files of a folder (recursively, by suffix) or of a glob pattern."""
    path = Path(spec)
    if path.is_dir():
        found = (p for p in path.rglob("*") if p.is_file() and _capture_name(p))
    else:
        found = (Path(p) for p in glob.glob(str(spec), recursive=True) if Path(p).is_file())
    return sorted(found)


def skipped_in(spec: str | Path) -> list[Path]:
    """The files of a folder that ``captures_of`` leaves out (not a capture suffix; hidden
    files included): reported, not analysed. A glob pattern skips nothing."""
    path = Path(spec)
    if not path.is_dir():
        return []
    return sorted(p for p in path.rglob("*") if p.is_file() and not _capture_name(p))


def _capture_name(p: Path) -> bool:
    return p.name.lower().endswith(CAPTURE_SUFFIXES)


def one_line(text: str) -> str:
    """An error message as one line: its first non-empty line."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def partition_names(paths: list[Path]) -> list[str]:
    """Unique, path-safe partition values: the file name, numbered when names repeat."""
    names: list[str] = []
    for p in paths:
        base = re.sub(r"[^A-Za-z0-9._-]", "_", p.name) or "capture"
        name, n = base, 1
        while name in names:
            n += 1
            name = f"{base}~{n}"
        names.append(name)
    return names


def analyse_capture(path: str, capture: str, out: str, options: dict[str, Any]) -> FileResult:
    """One capture's tables into ``out``; never raises (runs in a worker process)."""
    start = time.monotonic()
    try:
        from .load import load
        loaded = load(path, **options)
        rows = _write_partitions(loaded, capture, Path(out))
        status, error = ("partial", one_line(loaded.error)) if loaded.error else ("ok", None)
    except Exception as exc:  # noqa: BLE001 -- per-file isolation: any failure is its result
        status, rows = "error", 0
        error = one_line(f"{type(exc).__name__}: {exc}")
    return FileResult(capture, path, status, error, rows, time.monotonic() - start)


def _write_partitions(loaded: Any, capture: str, out: Path) -> int:
    staging = out / ".staging" / capture
    shutil.rmtree(staging, ignore_errors=True)
    rows = 0
    for table in TABLES:
        frame = _storable(loaded.table(table))
        folder = staging / table
        folder.mkdir(parents=True)
        frame.to_parquet(folder / "part-0.parquet", index=False)
        rows += len(frame)
    for table in TABLES:
        final = out / table / f"capture={capture}"
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging / table, final)
    shutil.rmtree(staging, ignore_errors=True)
    return rows


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype({c: "string" for c in categorical}) if categorical else frame


Progress = Callable[[FileResult, int, int], None]


def run_batch(paths: list[Path], out: str | Path, options: dict[str, Any] | None = None,
              workers: int | None = None, dask_address: str | None = None,
              progress: Progress | None = None,
              skipped: Iterable[Path] = ()) -> list[FileResult]:
    """Analyse ``paths`` into ``out`` on local processes, or on a Dask cluster if given;
    ``skipped`` files (``skipped_in``) become rows of ``captures.parquet`` too."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(str(p), name, str(out), options or {})
            for p, name in zip(paths, partition_names(paths), strict=True)]
    runner = _on_dask(jobs, dask_address) if dask_address else _on_processes(jobs, workers)
    results: list[FileResult] = []
    for result in runner:
        results.append(result)
        if progress is not None:
            progress(result, len(results), len(jobs))
    shutil.rmtree(out / ".staging", ignore_errors=True)
    results += [FileResult("", str(p), "skipped", "not a capture file name (.pcap, .pcapng, "
                           ".cap, compressed: .gz .xz .zst .bz2)", 0, 0.0) for p in skipped]
    pd.DataFrame([asdict(r) for r in results]).astype(
        {"capture": "string", "path": "string", "status": "string", "error": "string"}
    ).to_parquet(out / "captures.parquet", index=False)
    return results


Job = tuple[str, str, str, dict[str, Any]]


def _on_processes(jobs: list[Job], workers: int | None) -> Iterator[FileResult]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[FileResult], Job] = {pool.submit(analyse_capture, *j): j
                                                  for j in jobs}
        for future in as_completed(futures):
            yield _result(future, futures[future])


def _on_dask(jobs: list[Job], address: str) -> Iterator[FileResult]:
    """The same jobs on an existing dask.distributed cluster; its workers must see the files
    and ``OUT`` at the same paths (a shared file system)."""
    from distributed import Client
    from distributed import as_completed as dask_completed
    with Client(address) as client:  # type: ignore[no-untyped-call]
        futures = {client.submit(analyse_capture, *j, pure=False): j for j in jobs}
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            yield _result(future, futures[future])


def _result(future: Any, job: Job) -> FileResult:
    try:
        result: FileResult = future.result()
        return result
    except Exception as exc:  # noqa: BLE001 -- the worker died (killed, out of memory)
        return FileResult(job[1], job[0], "error", one_line(f"worker failed: {exc!r}"), 0, 0.0)


def read_table(out: str | Path, table: str) -> pd.DataFrame:
    """One table of a batch dataset, all captures, with the ``capture`` column."""
    return pd.read_parquet(Path(out) / table)


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    counts: dict[str, int] = {"ok": 0, "partial": 0, "error": 0, "skipped": 0}
    for r in results:
        counts[r.status] += 1
    return counts
