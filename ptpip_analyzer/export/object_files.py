"""``export-objects``: every transferred object as a file in a folder, with a manifest.

The I/O edge around ``objects.ObjectCollector``. Each object is written as soon as it is known
(one object in memory at a time, besides GetPartialObject reads still being joined). Names are
made safe by ``filenames.safe_filename`` and files are created exclusively (never overwriting);
an incomplete object gets the suffix ``.partial`` so it can't be taken for the whole thing.
The manifest (``manifest.csv`` and ``manifest.json``) lists every object, also those of which
no byte was captured (then ``file`` is empty).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..framing import KEEP_ALL
from ..model import Connection, Record
from ..pipeline import Dissection, DissectOptions, dissect_file
from .filenames import create_unique, safe_filename
from .objects import ObjectCollector, ObjectTransfer

_EXTENSIONS = {0x3801: ".jpg", 0x3808: ".jpg", 0x3004: ".txt", 0x380D: ".tif", 0x3807: ".gif",
               0x380B: ".png", 0x3009: ".mp3", 0x300A: ".avi", 0x300B: ".mpg", 0x3008: ".wav"}
MANIFEST_JSON, MANIFEST_CSV = "manifest.json", "manifest.csv"


@dataclass(frozen=True, slots=True)
class ManifestRow:
    file: str  # name in the output folder; "" when no byte of the object was captured
    handle: int | None
    kind: str
    opcode: int
    name_on_wire: str | None  # the ObjectInfo filename as sent (untrusted, unsanitised)
    object_format: int | None
    size: int  # bytes written (holes included, as zeros)
    expected_size: int | None
    sha256: str
    status: str  # "complete" or "partial"
    reason: str
    holes: list[tuple[int, int]]
    stream: int
    transaction_ids: list[int]
    first_frame: int
    last_frame: int


def export_objects(path: str | Path, folder: str | Path,
                   options: DissectOptions | None = None) -> tuple[Dissection,
                                                                  list[ManifestRow]]:
    """Dissect ``path`` keeping every payload and write its objects into ``folder``."""
    opts = replace(options or DissectOptions(), keep_payload=KEEP_ALL)
    dissection = dissect_file(path, opts)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    # Names already there count case-insensitively; a wire name can't take the manifest's place.
    taken = {p.name.casefold() for p in out.iterdir()} | {MANIFEST_JSON, MANIFEST_CSV}
    rows = [write_object(out, t, taken) for t in collect(dissection.records())]
    write_manifest(out, rows)
    return dissection, rows


def collect(pairs: Iterable[tuple[Connection, Record]]) -> Iterable[ObjectTransfer]:
    collector = ObjectCollector()
    for conn, record in pairs:
        yield from collector.feed(conn, record)
    yield from collector.close()


def local_name(t: ObjectTransfer) -> str:
    """The (safe) file name an object gets, before de-duplication."""
    fmt = t.info.object_format if t.info is not None else None
    if t.handle is not None:
        fallback = f"object-{t.handle:08X}{_EXTENSIONS.get(fmt or 0, '.bin')}"
    else:
        fallback = f"stream{t.stream}-tx{t.transaction_ids[0]}.bin"
    name = safe_filename(t.info.filename if t.info is not None else None, fallback)
    if t.kind == "thumb":
        thumb_format = t.info.thumb_format if t.info is not None else 0x3808
        name = f"{name.rsplit('.', 1)[0]}_thumb{_EXTENSIONS.get(thumb_format, '.bin')}"
    return name if t.complete else name + ".partial"


def write_object(folder: Path, t: ObjectTransfer, taken: set[str] | None = None) -> ManifestRow:
    file = ""
    if t.data or not t.holes:
        path, fd = create_unique(folder, local_name(t), taken)
        with os.fdopen(fd, "wb") as f:
            f.write(t.data)
        file = path.name
    return ManifestRow(
        file, t.handle, t.kind, t.opcode, t.info.filename if t.info is not None else None,
        t.info.object_format if t.info is not None else None, len(t.data), t.expected_size,
        hashlib.sha256(t.data).hexdigest() if file else "",
        "complete" if t.complete else "partial", t.reason, list(t.holes), t.stream,
        list(t.transaction_ids), t.first_frame, t.last_frame)


def write_manifest(folder: Path, rows: list[ManifestRow]) -> tuple[Path, Path]:
    """``manifest.json`` and ``manifest.csv`` (or ``manifest (n).*`` if those exist)."""
    dicts = [asdict(r) for r in rows]
    json_path, fd = create_unique(folder, MANIFEST_JSON)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(dicts, f, indent=1)
        f.write("\n")
    csv_path, fd = create_unique(folder, MANIFEST_CSV)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(ManifestRow.__dataclass_fields__))
        writer.writeheader()
        for row in dicts:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return json_path, csv_path


def _csv_value(value: object) -> object:
    if isinstance(value, str):  # a wire name may hold control characters: keep CSV one line
        return value.encode("unicode_escape").decode("ascii") if not value.isprintable() \
            else value
    if isinstance(value, list):
        return " ".join("-".join(map(str, v)) if isinstance(v, tuple) else str(v)
                        for v in value)
    return value
