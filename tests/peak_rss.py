"""Run the analyzer in a subprocess and measure its peak resident set size.

The command runs as the child of a small Python wrapper that reports
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (kilobytes on Linux) once the child has exited, so the
number is that one process's peak and not the largest of every process the test run started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND_KB = 200 * 1024  # issue 17: peak RSS under 200 MB for any input under 100 MB
_WRAPPER = (
    "import json, resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[2:], capture_output=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(json.dumps([r.returncode, peak, r.stdout.decode('utf-8', "
    "'replace'), r.stderr.decode('utf-8', 'replace')]))\n"
)


@dataclass(frozen=True)
class Run:
    returncode: int
    peak_kb: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def run_analyzer(*args: str | Path, report: Path, timeout: float = 600) -> Run:
    """``python -m ptpip_analyzer ARGS`` with its peak RSS (``report``: a scratch file)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", _WRAPPER, str(report), sys.executable, "-m",
                    "ptpip_analyzer", *map(str, args)], cwd=ROOT, env=env, check=True,
                   timeout=timeout)
    code, peak, out, err = json.loads(report.read_text())
    return Run(code, peak, out, err)
