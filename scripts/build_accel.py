#!/usr/bin/env python3
"""Compile the per-packet modules with Cython, unchanged, into build/accel/ (optional speed-up).

    python3 scripts/build_accel.py              # build (or rebuild what changed)
    python3 scripts/build_accel.py --check      # say which modules are fresh, build nothing
    python3 scripts/build_accel.py --clean      # remove build/accel: back to pure Python
    python3 scripts/build_accel.py --out DIR    # build elsewhere (then PTPIP_ACCEL_DIR=DIR)

The ``.py`` files stay the source of truth: each is copied as it is now into ``DIR/src``, hashed
and compiled from that copy (Cython, the ``.py`` read as plain Python: no annotations used for
C types, so the compiled module behaves as the source does: monkeypatching, subclassing and
exceptions work the same). ``ptpip_analyzer/accel.py`` loads a module's extension only while
its source still has the hash in ``DIR/manifest.json``; ``PTPIP_PURE=1`` ignores the build.
Needs Cython (a registry package: ``pip install cython``) and a C compiler; without them this
says so and exits 1, and everything runs from source as before.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ptpip_analyzer"
DEFAULT_OUT = ROOT / "build" / "accel"
# The modules every packet goes through (benchmarks/stage_times.py measures them): reading,
# link/IP/TCP, reassembly, framing, decoding, the dissector and engine, dissect's text lines,
# and what validate, transactions and load() add per packet (validator, annotator, tables).
MODULES = [
    "sources/capture_file.py", "sources/link.py", "sources/byte_source.py",
    "reassembly/flows.py", "reassembly/tcp.py", "reassembly/tcp_analysis.py",
    "framing.py", "model.py", "protocol.py", "pipeline.py", "engine.py", "frame_order.py",
    "decode/packets.py", "decode/codes.py", "decode/describe.py", "decode/session_vendor.py",
    "decode/annotate.py", "decode/params.py", "decode/data_phases.py", "decode/vendor.py",
    "validate/validator.py", "validate/command.py", "validate/transaction_ids.py",
    "validate/data_direction.py", "validate/handshake.py", "validate/transaction_store.py",
    "analyze/collect.py", "analyze/transactions.py",
    "cli/dissect.py", "cli/output.py", "cli/validation.py", "terminal_text.py",
]
MANIFEST = "manifest.json"


def module_name(relative: str) -> str:
    return "ptpip_analyzer." + relative.removesuffix(".py").replace("/", ".")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(out: Path) -> dict[str, dict[str, str]]:
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("python") != sys.implementation.cache_tag:
            return {}
        return dict(manifest["modules"])
    except (OSError, ValueError, KeyError):
        return {}


def stage(out: Path, relatives: list[str]) -> dict[str, str]:
    """Copy the sources into out/src (a package tree Cython names modules by) and hash the
    copies: what is compiled is exactly what was hashed, even if a file changes meanwhile."""
    src = out / "src"
    hashes = {}
    for relative in relatives:
        target = src / "ptpip_analyzer" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PACKAGE / relative, target)
        hashes[relative] = sha256(target)
        for parent in target.relative_to(src).parents:  # package markers up to the root
            if parent != Path("."):
                (src / parent / "__init__.py").touch()
    return hashes


def compile_modules(out: Path, relatives: list[str], jobs: int) -> None:
    """Cython, then the C compiler, in a child process (its build machinery stays there)."""
    sources = [str(out / "src" / "ptpip_analyzer" / r) for r in relatives]
    code = (
        "import sys\n"
        "from setuptools import setup\n"
        "from Cython.Build import cythonize\n"
        "out, jobs, sources = sys.argv[1], int(sys.argv[2]), sys.argv[3:]\n"
        "extensions = cythonize(sources, language_level=3, nthreads=jobs, quiet=True,\n"
        "    compiler_directives={'annotation_typing': False, 'binding': True})\n"
        "setup(name='ptpip-accel', ext_modules=extensions, script_args=['-q', 'build_ext',\n"
        "    '--build-lib', out + '/tmp/lib', '--build-temp', out + '/tmp', '-j', str(jobs)])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(out), str(jobs), *sources],
                          cwd=out / "src", capture_output=True, text=True, check=False)
    if done.returncode:  # the compiler's own words, without its pages of warnings
        errors = [line for line in (done.stdout + done.stderr).splitlines()
                  if "error" in line.lower()]
        raise RuntimeError("\n".join(errors[-20:]) or done.stderr[-2000:])
    for relative in relatives:  # a new file each (os.replace): a running process that has the
        target = out / extension_file(relative)  # old one mapped keeps it intact
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(out / "tmp" / "lib" / extension_file(relative), target)


def extension_file(relative: str) -> str:
    suffix = str(sysconfig.get_config_var("EXT_SUFFIX"))
    return "ptpip_analyzer/" + relative.removesuffix(".py") + suffix


def build(out: Path, jobs: int) -> int:
    try:
        from Cython.Shadow import __version__ as cython_version
    except ImportError:
        print("build_accel: Cython is not installed (pip install cython): pure Python only",
              file=sys.stderr)
        return 1
    old = load_manifest(out)
    todo = [r for r in MODULES if old.get(module_name(r), {}).get("sha256") != sha256(PACKAGE / r)
            or not (out / extension_file(r)).is_file()]
    if not todo:
        print(f"build_accel: all {len(MODULES)} modules up to date in {out}")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    hashes = stage(out, todo)
    print(f"build_accel: compiling {len(todo)} of {len(MODULES)} modules with Cython "
          f"{cython_version} into {out}", flush=True)
    modules = {name: entry for name, entry in old.items()
               if name in {module_name(r) for r in MODULES} - {module_name(r) for r in todo}}
    write_manifest(out, cython_version, modules)  # what is rebuilt is not named meanwhile
    try:
        compile_modules(out, todo, jobs)
    except RuntimeError as exc:
        print(f"build_accel: the build failed (the sources run instead):\n{exc}",
              file=sys.stderr)
        return 1
    for relative, digest in hashes.items():
        modules[module_name(relative)] = {"sha256": digest, "file": extension_file(relative)}
    write_manifest(out, cython_version, modules)
    return 0


def write_manifest(out: Path, version: str, modules: dict[str, dict[str, str]]) -> None:
    manifest = {"tool": f"Cython {version}", "python": sys.implementation.cache_tag,
                "modules": dict(sorted(modules.items()))}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def check(out: Path) -> int:
    manifest = load_manifest(out)
    stale = [r for r in MODULES if manifest.get(module_name(r), {}).get("sha256")
             != sha256(PACKAGE / r)]
    print(f"build_accel: {len(MODULES) - len(stale)} of {len(MODULES)} modules compiled and "
          f"fresh in {out}" + (f"; from source: {', '.join(stale)}" if stale else ""))
    return 1 if stale else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build directory")
    parser.add_argument("--check", action="store_true", help="report freshness only")
    parser.add_argument("--clean", action="store_true", help="remove the build directory")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel compilers")
    args = parser.parse_args()
    if args.clean:
        shutil.rmtree(args.out, ignore_errors=True)
        return 0
    return check(args.out) if args.check else build(args.out, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
