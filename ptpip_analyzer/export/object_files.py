"""``export-objects``: every transferred object as a file in a folder, with a manifest.

The I/O edge around ``objects.ObjectReassembler``. Object bytes go to disk as they arrive
(``FileStore``: one temporary file per object, written at object offsets, so bytes the
capture lost are sparse regions that read as zeros and cost no disk); when an object is known
complete or not, its file gets its name. Nothing is held in memory but the reassembler's
ranges. Names are made safe by ``filenames.safe_filename`` and files are created exclusively
(never overwriting; with ``force``, a regular file of the same name, e.g. from an earlier run,
is replaced instead of getting a ``name (1)`` copy); an incomplete object gets the suffix
``.partial`` so it can't be taken for the whole thing. The manifest (``manifest.csv`` and ``manifest.json``) lists every object, also
those of which no byte was captured (then ``file`` is empty).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from ..engine import Dissection, EngineOptions, dissect_file
from ..framing import KEEP_ALL
from ..model import Buffer, Connection, Record
from .filenames import claim, create_unique, safe_filename
from .objects import ObjectReassembler, ObjectTransfer

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
    size: int  # file length (holes before the last captured byte read as zeros)
    expected_size: int | None
    sha256: str  # of the file, when its bytes were written in order; else ""
    status: str  # "complete" or "partial"
    reason: str
    holes: list[tuple[int, int]]
    stream: int
    transaction_ids: list[int]
    first_frame: int
    last_frame: int
    capture_gaps: bool  # incomplete (also) because the capture lost bytes of it


def export_objects(path: str | Path, folder: str | Path,
                   options: EngineOptions | None = None,
                   wanted: Callable[[ObjectTransfer], bool] | None = None,
                   force: bool = False) -> tuple[Dissection, list[ManifestRow]]:
    """Dissect ``path`` keeping every payload and write its objects into ``folder`` (only
    those ``wanted`` says yes to, if given; ``force``: replace files of the same names)."""
    opts = (options or EngineOptions(annotate=False, validate=False)).with_(keep_payload=KEEP_ALL)
    dissection = dissect_file(path, opts)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    # Names already there count case-insensitively; a wire name can't take the manifest's place.
    taken = {MANIFEST_JSON, MANIFEST_CSV}
    if not force:
        taken |= {p.name.casefold() for p in out.iterdir()}
    store, open_at_end = FileStore(out, force), _open_at_end(dissection)
    try:
        rows = [write_object(out, t, taken, open_at_end)
                for t in collect(dissection.records(), store) if wanted is None or wanted(t)]
    finally:
        store.discard()
    write_manifest(out, rows, force)
    return dissection, rows


class FileSink:
    """One object's temporary file. At most one is open at a time (``FileStore``), so
    thousands of objects being joined from GetPartialObject reads don't exhaust descriptors."""

    def __init__(self, store: FileStore, path: Path) -> None:
        self.store, self.path = store, path

    def write(self, offset: int, data: Buffer) -> None:
        f = self.store.file_of(self)
        f.seek(offset)  # past the end: the file system leaves a hole (sparse, reads as zeros)
        f.write(data)


class FileStore:
    """Creates ``FileSink``s in ``folder`` (hidden temporary names until ``place``)."""

    def __init__(self, folder: Path, force: bool = False) -> None:
        self.folder = folder
        self.force = force  # replace a file of the same name (else: a unique name)
        self.sinks: set[FileSink] = set()
        self.created = 0
        self._open: tuple[FileSink, BinaryIO] | None = None

    def create(self) -> FileSink:
        self.created += 1
        path, fd = create_unique(self.folder, f".object-{self.created}.part")
        os.close(fd)
        sink = FileSink(self, path)
        self.sinks.add(sink)
        return sink

    def file_of(self, sink: FileSink) -> BinaryIO:
        if self._open is None or self._open[0] is not sink:
            self._close()
            self._open = (sink, open(sink.path, "r+b"))  # noqa: SIM115 (closed by _close)
        return self._open[1]

    def place(self, sink: FileSink, name: str, size: int, taken: set[str] | None) -> Path:
        """Give the finished object its (unique) name, its length ``size``."""
        if self._open is not None and self._open[0] is sink:
            self._close()
        os.truncate(sink.path, size)
        if self.force:
            path = claim(self.folder, name, taken if taken is not None else set())
        else:
            path, fd = create_unique(self.folder, name, taken)
            os.close(fd)
        os.replace(sink.path, path)  # onto the empty file just created for us (or the old)
        self.sinks.remove(sink)
        return path

    def discard(self) -> None:
        """Remove what was never placed (objects without a captured byte, or an error)."""
        self._close()
        for sink in self.sinks:
            sink.path.unlink(missing_ok=True)
        self.sinks.clear()

    def _close(self) -> None:
        if self._open is not None:
            self._open[1].close()
            self._open = None


def collect(pairs: Iterable[tuple[Connection, Record]],
            store: FileStore | None = None) -> Iterable[ObjectTransfer]:
    reassembler = ObjectReassembler(store)
    for conn, record in pairs:
        yield from reassembler.feed(conn, record)
    yield from reassembler.close()


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


def _open_at_end(dissection: Dissection) -> Callable[[int], bool]:
    """Whether a connection was still open when the capture ended (no FIN, no RST): then the
    bytes after its stream's end exist but the capture does not hold them. Asked only of
    objects whose stream ended inside their data, which come out at the end, when every
    connection's FIN and RST are known."""
    flows = dissection.dissector.flows
    closed: dict[int, bool] = {}  # made at the first question, once every close is known

    def open_at_end(stream: int) -> bool:
        if not closed:
            closed.update((conn.stream, any(h.rst_frame or h.fin_frame for h in halves))
                          for conn, halves in zip(flows.connections, flows.tcp, strict=True))
        return not closed.get(stream, False)
    return open_at_end


def write_object(folder: Path, t: ObjectTransfer, taken: set[str] | None = None,
                 open_at_end: Callable[[int], bool] = lambda stream: True) -> ManifestRow:
    """The object's file (if a byte of it was captured) and its manifest row. ``capture_gaps``:
    incomplete because the capture lost bytes of it, in gaps or, for an object its stream
    ended inside, after the end of a capture that stopped with the connection still open (a
    reset or close ended the stream itself: the sender cut the object short)."""
    file = ""
    if isinstance(t.sink, FileSink) and (t.size or not t.holes):
        file = t.sink.store.place(t.sink, local_name(t), t.size, taken).name
    return ManifestRow(
        file, t.handle, t.kind, t.opcode, t.info.filename if t.info is not None else None,
        t.info.object_format if t.info is not None else None, t.size, t.expected_size,
        t.sha256 or "" if file else "",
        "complete" if t.complete else "partial", t.reason, list(t.holes), t.stream,
        list(t.transaction_ids), t.first_frame, t.last_frame,
        not t.complete and (t.lost or t.cut and open_at_end(t.stream)))


def write_manifest(folder: Path, rows: list[ManifestRow],
                   force: bool = False) -> tuple[Path, Path]:
    """``manifest.json`` and ``manifest.csv`` (or ``manifest (n).*`` if those exist and
    ``force`` is not given)."""
    dicts = [asdict(r) for r in rows]
    json_path, fd = _manifest_file(folder, MANIFEST_JSON, force)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(dicts, f, indent=1)
        f.write("\n")
    csv_path, fd = _manifest_file(folder, MANIFEST_CSV, force)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(ManifestRow.__dataclass_fields__))
        writer.writeheader()
        for row in dicts:
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return json_path, csv_path


def _manifest_file(folder: Path, name: str, force: bool) -> tuple[Path, int]:
    if not force:
        return create_unique(folder, name)
    path = claim(folder, name, set())
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    return path, os.open(path, flags, 0o644)


def _csv_value(value: object) -> object:
    if isinstance(value, str):  # a wire name may hold control characters: keep CSV one line
        return value.encode("unicode_escape").decode("ascii") if not value.isprintable() \
            else value
    if isinstance(value, list):
        return " ".join("-".join(map(str, v)) if isinstance(v, tuple) else str(v)
                        for v in value)
    return value
