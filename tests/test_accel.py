"""Compiled modules load only while fresh, PTPIP_PURE=1 forces the sources, and the active
path is the one ``accel.describe()`` (and ``--version``) names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ptpip_analyzer import accel

ROOT = Path(__file__).resolve().parent.parent
PROBE = ("import ptpip_analyzer.framing as f, ptpip_analyzer.accel as a;"
         "print(f.__file__); print(a.describe())")


def probe(**env: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True, cwd=ROOT, env={**os.environ, **env})
    return done.stdout.splitlines()


def fake_build(tmp_path: Path, sha256: str) -> Path:
    """A build directory whose manifest names framing with the given source hash (the file it
    names is not a real extension: it must never be loaded when the hash is wrong)."""
    so = tmp_path / "ptpip_analyzer" / "framing.so"
    so.parent.mkdir(parents=True)
    so.write_bytes(b"not an extension")
    manifest = {"tool": "test", "python": sys.implementation.cache_tag,
                "modules": {"ptpip_analyzer.framing": {"sha256": sha256,
                                                       "file": "ptpip_analyzer/framing.so"}}}
    (tmp_path / accel.MANIFEST).write_text(json.dumps(manifest))
    return tmp_path


def test_pure_is_forced_by_the_environment() -> None:
    path, line = probe(PTPIP_PURE="1")
    assert path.endswith("framing.py")
    assert line == "pure Python (PTPIP_PURE is set)"


def test_a_changed_source_runs_from_source(tmp_path: Path) -> None:
    build = fake_build(tmp_path, "0" * 64)
    path, line = probe(PTPIP_ACCEL_DIR=str(build), PTPIP_PURE="")
    assert path.endswith("framing.py")
    assert "pure Python" in line


def test_no_build_is_pure_python(tmp_path: Path) -> None:
    path, line = probe(PTPIP_ACCEL_DIR=str(tmp_path / "none"), PTPIP_PURE="")
    assert path.endswith("framing.py")
    assert line == "pure Python (not built)"


def test_the_source_hash_is_the_files() -> None:
    source = accel.source_of("ptpip_analyzer.framing")
    assert source == ROOT / "ptpip_analyzer" / "framing.py"
    assert len(accel.source_hash(source)) == 64


def test_the_path_named_is_the_one_loaded() -> None:
    """Compiled modules load from their extension; on the pure path (PTPIP_PURE=1, CI's
    second run, or nothing built) the hot modules load from their sources."""
    compiled = accel.compiled_modules()
    for name in compiled:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        assert not str(module.__file__).endswith(".py"), name
    if not compiled:
        from ptpip_analyzer import framing
        assert str(framing.__file__).endswith("framing.py")
        assert accel.describe().startswith("pure Python")
