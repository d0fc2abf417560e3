#!/usr/bin/env python3
"""Re-make captures/hostile/: small captures whose wire numbers or strings are hostile.

    python3 scripts/make_hostile_captures.py [--out captures/hostile] [--check]

Deterministic: running it again gives byte-identical files (``--check`` says whether the
shipped files are what the builders in ``ptpip_analyzer/sources/hostile.py`` make). See
captures/hostile/README.md for what each file holds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ptpip_analyzer.sources.hostile import CAPTURES

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "captures" / "hostile")
    parser.add_argument("--check", action="store_true", help="compare, don't write")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stale = []
    for name, build in CAPTURES.items():
        data, path = build(), args.out / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.write_bytes(data)
    for name in stale:
        print(f"stale: {name}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
