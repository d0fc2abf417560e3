"""``tui -``: the capture comes on standard input, but Textual reads its keys from there too.

Textual's Linux driver reads keys from ``sys.__stdin__`` (file descriptor 0). So for ``-`` the
capture's descriptor is moved aside (``dup``), the controlling terminal (``/dev/tty``) is put
on descriptor 0 for the keys, and the capture is read from ``/dev/fd/N`` (the same pipe, or
the same file for ``< file``). Without a controlling terminal (cron, CI, ``ssh host cmd``) there
is nowhere to read keys from: ``TerminalError`` says so in one line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


class TerminalError(Exception):
    pass


@contextmanager
def capture_path(path: str) -> Iterator[str]:
    """The path to read the capture from while the UI owns the terminal."""
    if path != "-":
        yield path
        return
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        raise TerminalError("tui - needs a terminal for its keys (standard input carries the "
                            "capture and there is no /dev/tty); save the capture to a file "
                            "and run tui FILE") from None
    capture = os.dup(0)
    saved = os.dup(0)
    os.dup2(tty, 0)
    os.close(tty)
    try:
        yield f"/dev/fd/{capture}"
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(capture)
