"""``ptpip-analyzer tui``: stdin without a terminal says so; --serve serves on localhost."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

from .drive import REAL

CLI = [sys.executable, "-m", "ptpip_analyzer", "tui"]


def test_tui_stdin_without_a_terminal_says_it_needs_one() -> None:
    capture = (REAL / "gphoto2-summary.pcapng").read_bytes()
    done = subprocess.run(CLI + ["-"], input=capture, capture_output=True, timeout=60,
                          start_new_session=True, check=False)  # no controlling terminal: no /dev/tty
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        ("error: tui - needs a terminal for its keys (standard input carries the capture and "
         "there is no /dev/tty); save the capture to a file and run tui FILE")]


def test_missing_file_is_one_line() -> None:
    done = subprocess.run(CLI + ["/nonexistent.pcap"], capture_output=True, timeout=60,
                          check=False)
    assert done.returncode == 2 and done.stderr.decode() == \
        "error: no such file: /nonexistent.pcap\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_on_localhost_only() -> None:
    port = _free_port()
    server = subprocess.Popen(CLI + [str(REAL / "gphoto2-summary.pcapng"), "--serve",
                                     "--serve-port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert f"ws://localhost:{port}/ws" in page
        if shutil.which("ss") is None:
            return
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                                   text=True, check=False).stdout
        assert listening and all(addr in ("127.0.0.1", "[::1]") for addr in
                                 (line.split()[3].rsplit(":", 1)[0]
                                  for line in listening.splitlines()))
    finally:
        server.terminate()
        server.wait(timeout=10)
