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
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

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
    files["ptpip_layouts.py"] = layouts_module(KSY_DIR / "ptpip.ksy")
    return files


# -- struct layouts derived from the same spec (the decoder's fast path) ----------------------
_INTS = {"u1": "B", "u2": "H", "u4": "I", "u8": "Q"}
_PARAMS = re.compile(r"\(_root\.length - (\d+)\) / 4")
Layout = tuple[str, tuple[str, ...], "tuple[str, int] | None", "str | None"]


def derive_layouts(spec: dict[str, Any]) -> dict[int, Layout | None]:
    """Per packet type: (struct format of the fixed fields after the 8-byte header, their
    ksy ids, (id, offset) of a u4 array filling the packet, id of a size-eos tail). None for a
    type whose layout is more than that: it stays with the Kaitai parser alone."""
    endian = "<" if spec["meta"]["endian"] == "le" else ">"
    cases = spec["seq"][2]["type"]["cases"]
    out: dict[int, Layout | None] = {}
    for number, name in sorted(spec["enums"]["packet_type"].items()):
        type_name = cases.get(f"'packet_type::{name}'", cases.get(f"packet_type::{name}"))
        out[number] = (endian, (), None, None) if type_name is None else \
            _layout(endian, spec["types"][type_name]["seq"])
    return out


def _layout(endian: str, seq: list[dict[str, Any]]) -> Layout | None:
    fmt, names, offset = endian, [], 8
    params: tuple[str, int] | None = None
    tail: str | None = None
    for field in seq:
        if params is not None or tail is not None:
            return None  # nothing may follow an array or the tail
        kind, size = field.get("type"), field.get("size")
        if kind in _INTS and "repeat" not in field:
            fmt += _INTS[kind]
            offset += struct.calcsize("<" + _INTS[kind])
        elif isinstance(size, int) and kind is None:
            fmt += f"{size}s"
            offset += size
        elif kind == "u4" and field.get("repeat") == "expr" \
                and (m := _PARAMS.fullmatch(str(field.get("repeat-expr")))) \
                and int(m.group(1)) == offset:
            params = (field["id"], offset)
            continue
        elif field.get("size-eos") and kind is None:
            tail = field["id"]
            continue
        else:
            return None
        names.append(field["id"])
    return fmt, tuple(names), params, tail


def layouts_module(ksy: Path) -> str:
    layouts = derive_layouts(yaml.safe_load(ksy.read_text()))
    lines = [f"# Generated from ksy/{ksy.name} by scripts/gen_parsers.py: do not edit.",
             "# struct layouts of each packet type's fixed-size fields (the decoder's fast",
             "# path; the Kaitai parser generated from the same spec stays the decoder of",
             "# record): (format, field ids, (u4 array id, its offset) or None, tail id or None)",
             "LAYOUTS = {"]
    lines += [f"    {number}: {layout!r}," for number, layout in layouts.items()]
    return "\n".join([*lines, "}", ""])


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
