#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of every entry point, for longer than CI does.

    python3 scripts/fuzz.py [--seconds 300] [--only framing,report] [--work .fuzz]

Each harness (tests/fuzz/harnesses.py) is seeded from captures/ and fuzzed for --seconds;
the corpus it grows is kept in WORK/corpus/HARNESS (a next run starts from it) and any crash
input in WORK/crashes/. Turn a crash into a regression capture in captures/hostile/ (a builder
in ptpip_analyzer/sources/hostile.py, a README line) and a test. Exit status 1 if a harness
crashed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz.harnesses import HARNESSES
from tests.fuzz.runner import fuzz, seed_corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300, help="per harness")
    parser.add_argument("--only", default="", help="comma-separated harness names")
    parser.add_argument("--work", type=Path, default=ROOT / ".fuzz")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(HARNESSES)
    crashed = False
    for name in names:
        corpus = args.work / "corpus" / name
        seeded = seed_corpus(name, corpus)
        run = fuzz(name, corpus, args.work / "crashes", args.seconds)
        crashed |= bool(run.crashes) or run.returncode != 0
        print(f"{name:16s} {run.runs:>9,} inputs  {seeded:4d} seeds  "
              f"{len(list(corpus.iterdir())):5d} in corpus  exit {run.returncode}  "
              f"crashes: {', '.join(p.name for p in run.crashes) or 'none'}"
              f"{f'  slow: {len(run.slow)}' if run.slow else ''}", flush=True)
        if run.returncode != 0 and not run.crashes:
            print(run.log[-3000:], file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
