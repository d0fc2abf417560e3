"""A pipe drained as fast as it fills, whatever the reader's pace: live capture never drops.

dumpcap writes its pcapng into a pipe and flushes every packet (to a file it flushes only about
every 500 ms, measured: too late for a live view). A pipe holds 64 KiB: when the analysis falls
behind (a burst, the TUI redrawing), dumpcap blocks on the pipe, its kernel buffer fills and the
kernel drops packets (a TUI on a loaded machine lost 3,856 of ~5,800 frames of a 100 MB download
that way). ``Spool`` puts a thread on the pipe that only reads: chunks wait in memory up to
``MEMORY_CAP`` bytes, and past it in an anonymous temporary file (disk, not memory, grows with
how far behind the reader is), always handed on in arrival order. ``tee`` gets every byte as it
is read, so a ``-w`` file is complete even while the analysis is behind.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from typing import BinaryIO

MEMORY_CAP = 16 << 20  # bytes waiting in memory before they wait on disk


class Spool:
    """Chunks from ``fd`` (read by a thread of its own), in order, via ``get``."""

    def __init__(self, fd: int, chunk: int, tee: BinaryIO | None = None) -> None:
        self._fd, self._chunk, self._tee = fd, chunk, tee
        self._memory: deque[bytes] = deque()
        self._in_memory = 0
        self._disk: BinaryIO | None = None  # spilled chunks, written at the end, read in order
        self._disk_read = self._disk_written = 0
        self._ended = False
        self.error: OSError | None = None
        self.spilled = 0  # bytes that waited on disk (the reader was that far behind)
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._drain, name="pipe-spool", daemon=True)
        self._thread.start()

    def get(self, wait_s: float) -> bytes | None:
        """The next chunk; ``b""`` at the end of the pipe; None if none came within ``wait_s``."""
        with self._ready:
            if not self._memory and not self._on_disk() and not self._ended:
                self._ready.wait(wait_s)
            if self._memory:
                data = self._memory.popleft()
                self._in_memory -= len(data)
                return data
            if self._on_disk():
                return self._from_disk()
            return b"" if self._ended else None

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the pipe's end (the writer exited); False if it did not come in time."""
        self._thread.join(timeout)
        if self._thread.is_alive():
            return False
        with self._ready:
            if self._disk is not None:
                self._disk.close()
                self._disk = None
                self._disk_read = self._disk_written = 0
        return True

    # -- the draining thread ----------------------------------------------------------------
    def _drain(self) -> None:
        try:
            while data := os.read(self._fd, self._chunk):
                if self._tee is not None:
                    self._tee.write(data)
                    self._tee.flush()
                self._put(data)
        except OSError as exc:
            self.error = exc
        finally:
            with self._ready:
                self._ended = True
                self._ready.notify()

    def _put(self, data: bytes) -> None:
        with self._ready:
            if self._on_disk() or self._in_memory + len(data) > MEMORY_CAP:
                self._spill(data)  # once spilling, newer bytes queue behind the spilled ones
            else:
                self._memory.append(data)
                self._in_memory += len(data)
            self._ready.notify()

    # -- the disk part (under the lock) -----------------------------------------------------
    def _on_disk(self) -> bool:
        return self._disk_read < self._disk_written

    def _spill(self, data: bytes) -> None:
        if self._disk is None:
            self._disk = tempfile.TemporaryFile(prefix="ptpip-live-")  # noqa: SIM115
        self._disk.seek(self._disk_written)
        self._disk.write(data)
        self._disk_written += len(data)
        self.spilled += len(data)

    def _from_disk(self) -> bytes:
        assert self._disk is not None
        self._disk.seek(self._disk_read)
        data = self._disk.read(min(self._chunk, self._disk_written - self._disk_read))
        self._disk_read += len(data)
        if self._disk_read == self._disk_written:  # caught up: the file starts over
            self._disk.truncate(0)
            self._disk_read = self._disk_written = 0
        return data


def wait_for(spool: Spool, idle: Callable[[], None] | None, tick_s: float) -> bytes:
    """The next chunk (``b""``: the end), calling ``idle`` every ``tick_s`` while none comes."""
    while (data := spool.get(tick_s)) is None:
        if idle is not None:
            idle()
    return data
