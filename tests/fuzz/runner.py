"""Run a harness under atheris in a subprocess, seeded from captures/: used by the CI test
(tests/fuzz/test_fuzz.py, a bounded time each) and by scripts/fuzz.py (longer, corpus kept)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .harnesses import HARNESSES
from .seeds import seeds

ROOT = Path(__file__).resolve().parents[2]
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")


@dataclass(frozen=True)
class FuzzRun:
    harness: str
    returncode: int
    runs: int  # inputs executed (libFuzzer's "Done N runs"; 0 if it stopped on a crash)
    crashes: list[Path]  # inputs that raised, ran out of memory or time
    slow: list[Path]  # inputs slower than libFuzzer's report threshold (10 s): noted, no failure
    log: str


def seed_corpus(name: str, corpus: Path) -> int:
    """Write the harness's seeds into ``corpus`` (named by content); how many there are."""
    corpus.mkdir(parents=True, exist_ok=True)
    found = seeds(HARNESSES[name].seeds)
    for data in found:
        (corpus / f"seed-{hashlib.sha1(data).hexdigest()}").write_bytes(data)
    return len(found)


def fuzz(name: str, corpus: Path, crashes: Path, seconds: int,
         extra: tuple[str, ...] = ()) -> FuzzRun:
    """Fuzz ``name`` for ``seconds`` (plus start-up), new inputs kept in ``corpus``."""
    crashes.mkdir(parents=True, exist_ok=True)
    before = set(crashes.iterdir())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # -rss_limit_mb: a harness past 1 GB is a finding (memory sized by a wire number), not
    # something to swap through; -timeout: one input taking 20 s is a finding too.
    args = [sys.executable, "-m", "tests.fuzz.atheris_main", name, str(corpus),
            f"-max_total_time={seconds}", "-rss_limit_mb=1024", "-timeout=20",
            f"-max_len={HARNESSES[name].max_len}", f"-artifact_prefix={crashes}/{name}-",
            "-print_final_stats=1",
            *extra]
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=seconds * 3 + 300, check=False)
    log = result.stdout + result.stderr
    done = _DONE.search(log)
    new = sorted(set(crashes.iterdir()) - before)
    slow = [p for p in new if p.name.startswith(f"{name}-slow-unit-")]
    return FuzzRun(name, result.returncode, int(done.group(1)) if done else 0,
                   [p for p in new if p not in slow], slow, log)
