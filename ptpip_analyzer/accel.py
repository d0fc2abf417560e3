"""Which code runs: the Python sources, or extension modules compiled from those very sources.

``scripts/build_accel.py`` compiles the per-packet modules (reader, link/IP/TCP, reassembly,
framing, the decoder's fast path, the dissector, the engine, dissect's text output) with
Cython, unchanged, into ``build/accel/`` with a manifest of each source's SHA-256. ``install()``
(run by the package's ``__init__``) puts a finder first on ``sys.meta_path`` that loads a
module's extension only while its source still has the hash it was built from: an edited
module runs from its ``.py`` at once, never stale compiled code. The ``.py`` files stay the
source of truth and the pure-Python path stays complete; nothing compiled is committed.

``PTPIP_PURE=1`` forces the Python sources everywhere; ``PTPIP_ACCEL_DIR`` names another build
directory. ``describe()`` says which path is active (``ptpip-analyzer --version`` prints it).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DIR = PACKAGE_DIR.parent / "build" / "accel"
MANIFEST = "manifest.json"


def build_dir() -> Path:
    return Path(os.environ.get("PTPIP_ACCEL_DIR") or DEFAULT_DIR)


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_of(module: str) -> Path:
    """The ``.py`` file of a module of this package (``ptpip_analyzer.a.b`` -> ``a/b.py``)."""
    return PACKAGE_DIR.joinpath(*module.split(".")[1:]).with_suffix(".py")


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled extension of each fresh module; everything else falls through."""

    def __init__(self, extensions: dict[str, Path]) -> None:
        self.extensions = extensions

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        so = self.extensions.get(fullname)
        if so is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(so))
        return importlib.util.spec_from_file_location(fullname, so, loader=loader)


class _State:
    """What ``install`` found (one per process)."""

    def __init__(self) -> None:
        self.tool: str | None = None
        self.compiled: list[str] = []
        self.stale: list[str] = []
        self.why = "not built"


_state = _State()


def install() -> None:
    """Load fresh compiled modules from now on (once; a no-op with PTPIP_PURE=1)."""
    if any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    if os.environ.get("PTPIP_PURE", "") not in ("", "0"):
        _state.why = "PTPIP_PURE is set"
        return
    root = build_dir()
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if manifest["python"] != sys.implementation.cache_tag:
            _state.why = f"built for {manifest['python']}, not {sys.implementation.cache_tag}"
            return
        modules: dict[str, dict[str, str]] = manifest["modules"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # not built (or unreadable): the sources run
    fresh: dict[str, Path] = {}
    stale: list[str] = []
    for name, entry in modules.items():
        try:
            ok = source_hash(source_of(name)) == entry["sha256"]
        except OSError:
            ok = False
        so = root / entry["file"]
        if ok and so.is_file():
            fresh[name] = so
        else:
            stale.append(name)
    _state.tool, _state.compiled, _state.stale = manifest.get("tool"), sorted(fresh), sorted(stale)
    _state.why = "" if fresh else "every compiled module is out of date"
    if fresh:
        sys.meta_path.insert(0, _Finder(fresh))


def compiled_modules() -> list[str]:
    """The modules that load (or loaded) from their compiled extension."""
    return list(_state.compiled)


def describe() -> str:
    """One line: ``compiled (Cython 3.3.1): 14 modules`` or ``pure Python (why)``."""
    if not _state.compiled:
        return f"pure Python ({_state.why})"
    text = f"compiled ({_state.tool}): {len(_state.compiled)} modules"
    if _state.stale:
        text += f"; from source, changed since the build: {', '.join(_state.stale)}"
    return text
