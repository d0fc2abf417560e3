"""Live capture through the real capture stack: dumpcap writing pcapng into a pipe (I/O edge).

``DumpcapSource`` runs ``dumpcap -i IFACE -f BPF -w -`` and hands on its pcapng bytes as they
arrive, exactly like ``ByteSource`` does for files and pipes, so the engine reads live traffic
with the same streaming reader (pcapng also carries dumpcap's interface statistics: the drop
counters of its Interface Statistics Blocks). ``tee`` keeps those very bytes in a file as they
go by; ``ring`` runs dumpcap's own ring buffer beside it (a second dumpcap on the same interface
and filter writing ``-b files:N -b filesize:KB``). Stopping (``stop()``, Ctrl-C or the duration)
sends dumpcap SIGINT, so it finishes its file with the statistics, and the bytes until its end
are still read. Failures (no dumpcap, no permission, unknown interface, a dumpcap that dies)
become ``LiveError`` with one line that says what to do.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from ..protocol import FUJI_PORTS, MDNS_PORT, PTPIP_PORT, SSDP_PORT
from .byte_source import IDLE_TICK_S
from .capture_file import CHUNK
from .spool import Spool, wait_for

STOP_WAIT_S = 5.0  # how long dumpcap gets to finish its file after SIGINT
# dumpcap's kernel buffer (-B, MiB). Its default of 2 MiB dropped 3,418 of 5,756 frames of a
# 100 MB gphoto2 download on loopback (64 KiB frames); 64 MiB dropped none (live_bench.py).
BUFFER_MIB = 64


class LiveError(Exception):
    """Live capture can't start or went wrong; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Ring:
    files: int
    megabytes: int

    @classmethod
    def parse(cls, text: str) -> Ring:
        """``FILES:MB``, as in ``--ring 10:100``."""
        files, _, size = text.partition(":")
        try:
            ring = cls(int(files), int(size))
        except ValueError:
            raise LiveError(f"--ring wants FILES:MB (e.g. 10:100), not {text!r}") from None
        if ring.files < 2 or ring.megabytes < 1:
            raise LiveError("--ring needs at least 2 files of at least 1 MB")
        return ring


def capture_filter(ports: Sequence[int]) -> str:
    """The default BPF: PTP/IP's port, the extra ``--port``s and Fujifilm's ports, and the
    discovery datagrams (SSDP, mDNS: rare). The UPnP description's HTTP runs on whatever port
    its LOCATION names, unknown here: ``-f`` can widen the filter to catch it."""
    wanted = sorted({PTPIP_PORT, *ports, *FUJI_PORTS})
    return "(tcp and (" + " or ".join(f"port {p}" for p in wanted) + ")) or " \
        f"(udp and (port {SSDP_PORT} or port {MDNS_PORT}))"


def dumpcap_path() -> str:
    found = shutil.which("dumpcap")
    if found is None:
        raise LiveError("dumpcap not found: install Wireshark's capture tool (Debian: apt "
                        "install tshark, which brings dumpcap)")
    return found


class DumpcapSource:
    """Capture bytes from dumpcap as they arrive (the live counterpart of ``ByteSource``)."""

    def __init__(self, interface: str, bpf: str, tee: str | None = None,
                 ring: Ring | None = None, duration: float | None = None) -> None:
        self.interface, self.bpf, self.duration = interface, bpf, duration
        self.tee_path, self.ring = tee, ring
        self.path = f"live:{interface}"
        self.bytes_read = 0
        self.size: int | None = None
        self.seekable = False
        self.started_at: float | None = None
        self.spilled = 0  # bytes that waited on disk because the analysis was behind
        self._process: subprocess.Popen[bytes] | None = None
        self._ring_process: subprocess.Popen[bytes] | None = None
        self._stop_requested = False
        # called before each read, when all bytes so far are handed on (faces flush there)
        self.before_read: Callable[[], None] | None = None
        self.on_started: Callable[[], None] | None = None  # dumpcap's first bytes arrived

    def command(self) -> list[str]:
        return [dumpcap_path(), "-q", "-i", self.interface, "-f", self.bpf,
                "-B", str(BUFFER_MIB), "-w", "-"]

    def ring_command(self) -> list[str]:
        assert self.ring is not None and self.tee_path is not None
        return [dumpcap_path(), "-q", "-i", self.interface, "-f", self.bpf,
                "-B", str(BUFFER_MIB), "-b", f"files:{self.ring.files}", "-b", f"filesize:{self.ring.megabytes * 1000}",
                "-w", self.tee_path]

    def stop(self) -> None:
        """Ask dumpcap to finish (its last bytes and statistics are still read)."""
        self._stop_requested = True
        for process in (self._process, self._ring_process):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)

    def chunks(self) -> Iterator[bytes]:
        """dumpcap's pcapng stream. Raises LiveError if it can't start or fails."""
        self._process = self._start(self.command())
        if self.ring is not None:
            self._ring_process = self._start(self.ring_command())
        tee = open(self.tee_path, "wb") if self.tee_path and self.ring is None else None  # noqa: SIM115
        try:
            yield from self._read(self._process, tee)
        finally:
            self.stop()
            if tee is not None:
                tee.close()
            self._finish()

    def _start(self, command: list[str]) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise LiveError(f"could not run dumpcap: {exc}") from exc

    def _read(self, process: subprocess.Popen[bytes], tee: BinaryIO | None) -> Iterator[bytes]:
        assert process.stdout is not None
        spool = Spool(process.stdout.fileno(), CHUNK, tee)  # drained at dumpcap's pace
        self.started_at = time.monotonic()
        timer = threading.Timer(self.duration, self.stop) if self.duration else None
        if timer is not None:
            timer.daemon = True
            timer.start()
        try:
            while True:
                if self.before_read is not None:
                    self.before_read()
                data = wait_for(spool, self.before_read, IDLE_TICK_S)
                if not data:
                    failed = self.bytes_read == 0 and not self._stop_requested
                    break
                if not self.bytes_read and self.on_started is not None:
                    self.on_started()  # the interface is open: dumpcap wrote its header
                self.bytes_read += len(data)
                yield data
        finally:
            if timer is not None:
                timer.cancel()
            self.stop()
            if not spool.join(STOP_WAIT_S):  # dumpcap did not end: make it
                self._finish()
                spool.join()
            self.spilled = spool.spilled
        if spool.error is not None:
            raise LiveError(f"reading dumpcap's output failed: {spool.error}")
        if failed:  # dumpcap ended by itself before its first byte
            raise LiveError(self._failure(process))

    def _failure(self, process: subprocess.Popen[bytes]) -> str:
        process.wait(STOP_WAIT_S)
        text = process.stderr.read().decode(errors="replace") if process.stderr else ""
        return explain(text, self.interface, process.returncode)

    def _finish(self) -> None:
        for process in (self._process, self._ring_process):
            if process is None:
                continue
            try:
                process.wait(STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @property
    def failed(self) -> str | None:
        """Why dumpcap ended by itself (not because it was asked to), if it did."""
        process = self._process
        if process is None or process.returncode in (None, 0) or self._stop_requested:
            return None
        text = process.stderr.read().decode(errors="replace") if process.stderr else ""
        return explain(text, self.interface, process.returncode)


def explain(stderr: str, interface: str, code: int | None) -> str:
    """dumpcap's complaint as one line that says what to do."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()
             and not line.startswith(("Capturing on", "Running as user", "File:"))]
    text = " ".join(lines)
    low = text.lower()
    if "permission" in low or "operation not permitted" in low:
        return f"no permission to capture on {interface}: run as root, or give dumpcap the " \
               "capture capabilities (sudo setcap cap_net_raw,cap_net_admin+eip " \
               "$(which dumpcap)) or join the wireshark group"
    if "no such device" in low or "doesn't exist" in low or "there is no" in low:
        return f"no capture interface {interface!r}: see ptpip-analyzer interfaces"
    if "syntax error" in low or "can't parse filter" in low or "filter" in low:
        return f"dumpcap refused the capture filter: {text}"
    return f"dumpcap stopped (exit {code}): {text or 'no message'}"


def list_interfaces() -> list[tuple[str, str]]:
    """(name, description) of every capture interface, as tshark/dumpcap know them."""
    try:
        out = subprocess.run([dumpcap_path(), "-D"], capture_output=True, text=True, check=False,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LiveError(f"could not list interfaces: {exc}") from exc
    if out.returncode != 0:
        raise LiveError(explain(out.stderr, "any", out.returncode))
    found = []
    for line in out.stdout.splitlines():
        number, _, rest = line.partition(". ")
        if not number.strip().isdigit():
            continue
        name, _, description = rest.partition(" (")
        found.append((name.strip(), description.rstrip(")").strip()))
    return found


def check_interface(interface: str) -> None:
    """Raise LiveError (one line: what to do) unless dumpcap knows ``interface`` (a name or
    ``dumpcap -D``'s number): for faces that can't print dumpcap's own complaint, the TUI."""
    known = list_interfaces()
    if interface.isdigit() and 1 <= int(interface) <= len(known):
        return
    if interface not in {name for name, _ in known}:
        raise LiveError(f"no capture interface {interface!r}: see ptpip-analyzer interfaces")


def capture_permission_hint() -> str | None:
    """A hint when this user probably can't capture (not root, dumpcap without capabilities)."""
    if os.geteuid() == 0:
        return None
    path = shutil.which("dumpcap")
    getcap = shutil.which("getcap")
    if path is None or getcap is None:
        return None
    caps = subprocess.run([getcap, path], capture_output=True, text=True, check=False).stdout
    if "cap_net_raw" in caps:
        return None
    return "you are not root and dumpcap has no capture capabilities: capturing will " \
           "probably fail (sudo setcap cap_net_raw,cap_net_admin+eip $(which dumpcap), " \
           "or join the wireshark group)"
