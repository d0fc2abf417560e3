"""The ``simulate`` command: stops by itself after --timeout and on Ctrl-C (SIGINT)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from ptpip_analyzer.simulator.__main__ import main  # noqa: F401  (importable entry point)

COMMAND = [sys.executable, "-m", "ptpip_analyzer.simulator", "--port", "0", "--generate", "1"]


def test_stops_after_timeout() -> None:
    started = time.monotonic()
    done = subprocess.run([*COMMAND, "--timeout", "0.5"], capture_output=True, text=True,
                          timeout=20, check=False)
    assert done.returncode == 0 and "listening on 127.0.0.1" in done.stdout
    assert time.monotonic() - started < 15


def test_stops_on_ctrl_c() -> None:
    process = subprocess.Popen([*COMMAND, "--timeout", "30"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert "listening" in process.stdout.readline()
    process.send_signal(signal.SIGINT)
    assert process.wait(10) == 0
