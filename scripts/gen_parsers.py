#!/usr/bin/env python3
"""Compile ksy/*.ksy to ptpip_analyzer/decode/_generated/ with the pinned npm compiler.

    python3 scripts/gen_parsers.py           # regenerate
    python3 scripts/gen_parsers.py --check   # exit 1 when the committed code has drifted

The compiler is installed (idempotently) into .tools/ by scripts/setup.sh; its version is
pinned here and in setup.sh, and must match the kaitaistruct runtime pinned in pyproject.toml.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import yaml

COMPILER_VERSION = "0.11.0"
ROOT = Path(__file__).resolve().parent.parent
KSY_DIR = ROOT / "ksy"
OUT_DIR = ROOT / "ptpip_analyzer" / "decode" / "_generated"
NODE_MODULES = ROOT / ".tools" / "node_modules"
HEADER = "# Generated from ksy/{src} by kaitai-struct-compiler {ver}: do not edit.\n"


def ensure_compiler() -> None:
    package = NODE_MODULES / "kaitai-struct-compiler" / "package.json"
    if package.exists() and json.loads(package.read_text())["version"] == COMPILER_VERSION:
        return
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(ROOT / ".tools"),
         f"kaitai-struct-compiler@{COMPILER_VERSION}"],
        check=True, stdout=subprocess.DEVNULL,
    )


def compile_spec(ksy: Path) -> dict[str, str]:
    spec = yaml.safe_load(ksy.read_text())
    result = subprocess.run(
        ["node", str(ROOT / "scripts" / "ksc.js"), str(NODE_MODULES)],
        input=json.dumps(spec), capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        sys.exit(f"kaitai-struct-compiler failed on {ksy.name}: {result.stderr.strip()}")
    files: dict[str, str] = json.loads(result.stdout)
    header = HEADER.format(src=ksy.name, ver=COMPILER_VERSION)
    return {name: header + text for name, text in files.items()}


def expected_files() -> dict[str, str]:
    files: dict[str, str] = {"__init__.py": "# Generated Kaitai parsers: see scripts/gen_parsers.py\n"}
    for ksy in sorted(KSY_DIR.glob("*.ksy")):
        files.update(compile_spec(ksy))
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if committed code drifted")
    args = parser.parse_args()
    ensure_compiler()
    expected = expected_files()
    present = {p.name: p.read_text() for p in OUT_DIR.glob("*.py")}
    if args.check:
        drift = sorted(n for n in expected.keys() | present.keys()
                       if expected.get(n) != present.get(n))
        for name in drift:
            print(f"drift: ptpip_analyzer/decode/_generated/{name}", file=sys.stderr)
        return 1 if drift else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in present.keys() - expected.keys():
        (OUT_DIR / name).unlink()
    for name, text in expected.items():
        (OUT_DIR / name).write_text(text)
    print(f"wrote {len(expected)} files to {OUT_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
