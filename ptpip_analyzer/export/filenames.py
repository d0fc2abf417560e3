"""Safe local file names for names that came off the wire (ObjectInfo filenames are untrusted).

A camera, or anyone who crafted the capture, chooses these strings. The result must stay inside
the output folder on every platform we might run on: no path separators of either kind, no
``.``/``..``, no drive letters or absolute paths, no control or bidi-formatting characters, no
Windows reserved device names (CON, NUL, COM1 ... also with an extension: ``nul.txt``), no
trailing dots or spaces (Windows strips them, which would alias two names), bounded length.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

MAX_NAME_BYTES = 200  # well under NAME_MAX (255) so that a " (n)" suffix always fits
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                      | {f"{p}{n}" for p in ("COM", "LPT") for n in "123456789¹²³"})
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')


def safe_filename(name: str | None, fallback: str) -> str:
    """A single, harmless path component for ``name``; ``fallback`` (trusted) if nothing is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]  # last component of any path
    # str.isprintable is False for controls, formatting (bidi overrides), separators other
    # than " ", surrogates, private-use and unassigned code points: none belongs in a name.
    text = "".join(c for c in text if c.isprintable())
    text = _FORBIDDEN.sub("_", text).strip(" .")  # also removes leading dots: no hidden files
    if not text:
        text = fallback
    if text.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        text = "_" + text
    return _shorten(text)


def _shorten(name: str) -> str:
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = (dot + ext) if stem and len(ext.encode()) <= 16 else ""
    base = name[: len(name) - len(suffix)]
    while len((base + suffix).encode()) > MAX_NAME_BYTES:
        base = base[:-1]
    return base + suffix


def create_unique(folder: Path, name: str, taken: set[str] | None = None) -> tuple[Path, int]:
    """Create ``folder/name`` exclusively (never overwrite, never follow a planted symlink):
    on a clash try ``stem (1).ext``, ``stem (2).ext`` ... Returns the path and an open fd.

    ``taken`` holds case-folded names to avoid besides existing files (and gets the new one),
    so that a folder written here on Linux still copies to a case-insensitive file system."""
    stem, dot, ext = name.rpartition(".")
    if not stem:
        stem, dot, ext = name, "", ""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_NOFOLLOW", 0)
    for n in range(100_000):
        candidate = name if n == 0 else f"{stem} ({n}){dot}{ext}"
        path = folder / candidate
        if taken is not None and candidate.casefold() in taken:
            continue
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            continue
        if taken is not None:
            taken.add(candidate.casefold())
        return path, fd
    raise FileExistsError(f"no free name for {name!r} in {folder}")


def claim(folder: Path, name: str, taken: set[str]) -> Path:
    """``folder/name`` to be replaced (``export-objects --force``): a regular file there is
    overwritten by the caller's rename, but a name this run already gave out (``taken``,
    case-folded) or one held by a directory or a symlink gets ``stem (n).ext`` instead."""
    stem, dot, ext = name.rpartition(".")
    if not stem:
        stem, dot, ext = name, "", ""
    for n in range(100_000):
        candidate = name if n == 0 else f"{stem} ({n}){dot}{ext}"
        path = folder / candidate
        if candidate.casefold() in taken or path.is_symlink() or \
                (path.exists() and not path.is_file()):
            continue
        taken.add(candidate.casefold())
        return path
    raise FileExistsError(f"no free name for {name!r} in {folder}")
