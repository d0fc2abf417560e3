"""Coverage-guided fuzzing of one harness with atheris (libFuzzer for Python).

    python -m tests.fuzz.atheris_main HARNESS CORPUS_DIR [libFuzzer options]

The package is imported under atheris' instrumentation, so libFuzzer sees which branches of
ptpip_analyzer an input reaches and keeps the inputs that reach new ones in CORPUS_DIR (seed it
with ``tests.fuzz.seeds``; ``scripts/fuzz.py`` and ``tests/fuzz/test_fuzz.py`` do). An
exception escaping the harness is a crash: libFuzzer writes the input to
``<artifact_prefix>crash-<sha1>`` and exits non-zero. At the end it prints "Done N runs".
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["ptpip_analyzer"]):
    from tests.fuzz.harnesses import HARNESSES


def main() -> None:
    harness = HARNESSES[sys.argv.pop(1)]
    if harness.name == "report":  # its stages (pandas, the report) only where they are fuzzed
        with atheris.instrument_imports(include=["ptpip_analyzer"]):
            import ptpip_analyzer.analyze.capture
            import ptpip_analyzer.report  # noqa: F401

    def one_input(data: bytes) -> None:
        harness.one_input(data)

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
