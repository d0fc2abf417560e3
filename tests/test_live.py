"""Live capture on loopback: dumpcap on ``lo``, the simulator, a real gphoto2 session.

``live`` runs as its own process, as a user runs it; it is stopped with SIGINT like Ctrl-C.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ptpip_analyzer.simulator.harness import gphoto2_command, gphoto2_env, running_simulator
from ptpip_analyzer.simulator.server import ServerConfig
from tests.simulator.conftest import free_port, make_camera

CLI = [sys.executable, "-m", "ptpip_analyzer"]
CAPTURES = Path(__file__).resolve().parent.parent / "captures"


def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    """A command to its end, output as text (its exit code is the test's to check)."""
    return subprocess.run(command, capture_output=True, text=True, check=False,  # type: ignore
                          **options)


@contextmanager
def live(*args: str, cwd: Path) -> Iterator[subprocess.Popen[str]]:
    """``ptpip-analyzer live ARGS`` until the block ends, then Ctrl-C (SIGINT)."""
    process = subprocess.Popen([*CLI, "live", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=cwd)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()  # "capturing on lo ..." once dumpcap has opened it
        assert line.startswith("capturing on lo"), line + process.stderr.read()
        yield process
    finally:
        time.sleep(0.5)  # let the last segments reach dumpcap
        process.send_signal(signal.SIGINT)
        process.wait(20)


def test_a_gphoto2_session_live_equals_its_capture(tmp_path: Path) -> None:
    port = free_port()
    with running_simulator(make_camera(3), ServerConfig(port=port)), \
            live("-i", "lo", "--port", str(port), "-w", "raw.pcapng", "--validate",
                 cwd=tmp_path) as process:
        done = run(gphoto2_command(port, "--list-files"),
                              env=gphoto2_env(tmp_path), timeout=60)
        assert done.returncode == 0, done.stderr
    out, err = process.communicate()
    assert process.returncode == 0, err
    summary = err.strip().splitlines()[-1]
    assert re.search(r"capture drops: 0 \(\d+ packets received", summary), summary
    assert "TCP bytes lost (gaps): 0" in summary and "0 findings" in summary
    # the raw file written beside it dissects exactly as the live output read
    again = run([*CLI, "dissect", "raw.pcapng", "--port", str(port)],
                           cwd=tmp_path)
    assert again.stdout == out and out.count("\n") >= 30
    # the transactions are what gphoto2 did: opened a session, listed, closed
    names = run([*CLI, "transactions", "raw.pcapng", "--port", str(port),
                            "--format", "jsonl"],
                           cwd=tmp_path).stdout
    operations = re.findall(r'"opcode_name": ?"(\w+)"', names)  # the export table's JSON Lines
    assert operations[:2] == ["GetDeviceInfo", "OpenSession"] or "OpenSession" in operations
    assert "GetObjectHandles" in operations and operations[-1] == "CloseSession"
    assert f"{len(operations)} transactions" in summary


def test_a_pipe_from_a_remote_tcpdump_is_read_live(tmp_path: Path) -> None:
    """`ssh HOST tcpdump -U -w - | ptpip-analyzer live -`, with a local process for ssh:
    it sends a capture in pieces with pauses, as a remote tcpdump would."""
    capture = CAPTURES / "real" / "gphoto2-get-all-files.pcapng"
    writer = ("import sys, time; data = open(sys.argv[1], 'rb').read(); "
              "[(sys.stdout.buffer.write(data[i:i + 5000]), sys.stdout.flush(), "
              "time.sleep(0.02)) for i in range(0, len(data), 5000)]")
    remote = subprocess.Popen([sys.executable, "-c", writer, str(capture)],
                              stdout=subprocess.PIPE)
    shown = run([*CLI, "live", "-", "--validate"], stdin=remote.stdout, timeout=60)
    remote.wait(10)
    expected = run([*CLI, "dissect", str(capture)]).stdout
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == expected
    # that capture was made by dumpcap: its statistics block travels with it
    assert "capture drops: 0 (74 packets received by the interface)" in shown.stderr


def test_duration_stops_by_itself_and_the_ring_is_dumpcaps(tmp_path: Path) -> None:
    started = time.monotonic()
    done = run([*CLI, "live", "-i", "lo", "--port", str(free_port()),
                           "--duration", "1.5", "-w", "ring.pcapng", "--ring", "2:1"],
                          cwd=tmp_path, timeout=30)
    assert done.returncode == 0, done.stderr
    assert 1.5 <= time.monotonic() - started < 15
    assert "summary: 0 records" in done.stderr
    ring = list(tmp_path.glob("ring_*.pcapng"))
    assert ring, os.listdir(tmp_path)  # dumpcap names ring files base_NNNNN_DATE.pcapng


@pytest.mark.parametrize(("args", "says"), [
    (["-i", "nosuchif0"], "no capture interface 'nosuchif0'"),
    ([], "live needs either -i IFACE or -"),
    (["-i", "lo", "--ring", "3:10"], "--ring needs -w FILE"),
    (["some.pcap"], "for a file use: ptpip-analyzer dissect some.pcap"),
])
def test_live_problems_are_one_line(args: list[str], says: str, tmp_path: Path) -> None:
    done = run([*CLI, "live", *args, "--duration", "2"],
                          cwd=tmp_path, timeout=30)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in errors[0], done.stderr
    assert "Traceback" not in done.stderr


def test_missing_dumpcap_says_what_to_install(tmp_path: Path) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    done = run([*CLI, "live", "-i", "lo"],
                          env={**os.environ, "PATH": str(bare)}, timeout=30)
    assert done.returncode == 2
    assert "dumpcap not found" in done.stderr and "apt install tshark" in done.stderr


def test_interfaces_lists_loopback() -> None:
    done = run([*CLI, "interfaces"], timeout=30)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^\d+\. lo\b", done.stdout, re.MULTILINE), done.stdout


def test_live_takes_dissects_selections_and_field_lists() -> None:
    """-Y, -c, -t and -T fields mean on ``live`` what they mean on ``dissect``."""
    capture = CAPTURES / "real" / "gphoto2-get-all-files.pcapng"
    for flags in (["-Y", "code == GetObject", "-c", "2", "-t", "ad"],
                  ["-T", "fields", "-e", "frame", "-e", "code_name", "-E", "header=y"]):
        shown = run([*CLI, "live", "-", *flags], stdin=capture.open("rb"), timeout=60)
        expected = run([*CLI, "dissect", str(capture), *flags])
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout == expected.stdout and shown.stdout.count("\n") >= 2
