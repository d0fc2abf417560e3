"""The fuzz harnesses in CI: each one's seeds and regression inputs, then a bounded run under
atheris (coverage-guided; PTPIP_FUZZ_SECONDS per harness, default 10). scripts/fuzz.py runs them
for longer. The number of inputs each run executed is printed (pytest -s) and recorded as a
test property (--junitxml)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .harnesses import HARNESSES
from .runner import fuzz, seed_corpus
from .seeds import seeds

SECONDS = int(os.environ.get("PTPIP_FUZZ_SECONDS", "10"))
REGRESSIONS = Path(__file__).parent / "regressions"


@pytest.mark.parametrize("name", sorted(HARNESSES))
def test_seeds_and_regressions_pass(name: str) -> None:
    harness = HARNESSES[name]
    found = seeds(harness.seeds)
    assert found, f"no seeds for {name}"
    for data in found:
        harness.one_input(data)
    for path in sorted((REGRESSIONS / name).glob("crash-*")):  # inputs that once crashed
        harness.one_input(path.read_bytes())


@pytest.mark.parametrize("name", sorted(HARNESSES))
def test_coverage_guided_run_finds_nothing(name: str, tmp_path: Path,
                                           record_property: Callable[[str, object], None]
                                           ) -> None:
    seeded = seed_corpus(name, tmp_path / "corpus")
    run = fuzz(name, tmp_path / "corpus", tmp_path / "crashes", SECONDS)
    record_property("inputs_executed", run.runs)
    print(f"\n{name}: {run.runs} inputs in {SECONDS} s from {seeded} seeds")
    assert run.returncode == 0 and not run.crashes, run.log[-4000:]
    assert run.runs >= seeded
