"""Where capture bytes come from: a file, ``-`` (standard input) or a pipe; the I/O edge.

Reads with ``os.read`` on the descriptor, so a pipe's bytes are handed on as soon as they
arrive (a reader asking for a full buffer would sit on the first 4 KiB until the writer sent a
megabyte). ``follow`` keeps reading a regular file past its end, as ``tail -f`` does, for a
capture that is still being written; it ends on Ctrl-C or when ``stop()`` is called. A Ctrl-C
while waiting for the file to grow ends the input as its end would, so the run is closed and
every command prints its results (validate, stats & co. print only at the end: an interrupt
that escaped discarded them all); one that comes while bytes are being processed still escapes.
``before_read`` is called before each read, when everything read so far has been handed on
and the next read may wait for the writer: a face flushes its output there, so that a pipe's
or a followed file's packets show as they arrive (a block-buffered stdout held them until
exit). On a pipe it is called again every ``IDLE_TICK_S`` while no byte comes
(``readable``), so a face can show what the last burst completed without waiting for the next.
"""

from __future__ import annotations

import os
import select
import stat
import sys
import time
from collections.abc import Callable, Iterator

from .capture_file import CHUNK

FOLLOW_POLL_S = 0.1  # how often a followed file is looked at again once its end is reached
IDLE_TICK_S = 0.1  # a quiet pipe: how often ``before_read`` is called again while waiting


def readable(fd: int, before_read: Callable[[], None] | None,
             stopped: Callable[[], bool]) -> bool:
    """Wait until ``fd`` (a pipe) has bytes or its end, calling ``before_read`` every
    ``IDLE_TICK_S`` meanwhile; False if the reader was stopped while waiting."""
    while not select.select([fd], [], [], IDLE_TICK_S)[0]:
        if stopped():
            return False
        if before_read is not None:
            before_read()
    return True


class ByteSource:
    def __init__(self, path: str, follow: bool = False) -> None:
        self.path = path
        self.follow = follow
        self.bytes_read = 0
        self.size: int | None = None  # for progress: known for regular files only
        self.seekable = False  # a regular file: records can be re-read from it later
        self._stopped = False
        self.before_read: Callable[[], None] | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"

    def stop(self) -> None:
        self._stopped = True

    def chunks(self) -> Iterator[bytes]:
        """The input's bytes, in pieces of at most CHUNK. Raises OSError if it can't open."""
        fd = sys.stdin.fileno() if self.is_stdin else os.open(self.path, os.O_RDONLY)
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode):
                self.size, self.seekable = info.st_size, not self.is_stdin
            yield from self._read(fd, stat.S_ISREG(info.st_mode))
        finally:
            if not self.is_stdin:
                os.close(fd)

    def _read(self, fd: int, regular: bool) -> Iterator[bytes]:
        while not self._stopped:
            if self.before_read is not None:
                self.before_read()
            if not regular and not readable(fd, self.before_read, lambda: self._stopped):
                return
            data = os.read(fd, CHUNK)
            if data:
                self.bytes_read += len(data)
                yield data
            elif self.follow and regular:
                try:
                    time.sleep(FOLLOW_POLL_S)
                except KeyboardInterrupt:  # the user stops following: the input ends here
                    return
            else:
                return
