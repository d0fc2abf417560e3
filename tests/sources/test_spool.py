"""The pipe spool: a reader far behind the writer loses nothing, gets every byte in order, and
what waits beyond the memory cap waits on disk; a tee gets the bytes as they are read."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time

from ptpip_analyzer.sources import spool as spool_module
from ptpip_analyzer.sources.spool import Spool, wait_for


def _writer(fd: int, pieces: list[bytes]) -> threading.Thread:
    def write() -> None:
        with os.fdopen(fd, "wb") as out:
            for piece in pieces:
                out.write(piece)
    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_a_slow_reader_gets_every_byte_in_order_and_the_excess_waits_on_disk(
        monkeypatch: object) -> None:
    monkeypatch.setattr(spool_module, "MEMORY_CAP", 1 << 20)  # type: ignore[attr-defined]
    pieces = [bytes([i % 251]) * (64 << 10) + i.to_bytes(4, "big") for i in range(200)]
    read, write = os.pipe()
    tee = io.BytesIO()
    spool = Spool(read, 256 << 10, tee)
    writer = _writer(write, pieces)
    writer.join(30)  # the writer finished before the reader read a byte: 13 MB were waiting
    assert not writer.is_alive()
    got = hashlib.sha256()
    ticks = 0
    while data := wait_for(spool, None, 0.1):
        got.update(data)
        ticks += 1
    assert spool.join(5)
    whole = b"".join(pieces)
    assert got.hexdigest() == hashlib.sha256(whole).hexdigest()
    assert tee.getvalue() == whole
    assert spool.spilled >= len(whole) - (1 << 20) - (256 << 10)  # beyond the cap: on disk
    os.close(read)


def test_an_idle_pipe_ticks_and_its_end_is_empty_bytes() -> None:
    read, write = os.pipe()
    spool = Spool(read, 4096)
    ticks: list[float] = []
    writer = threading.Thread(target=lambda: (time.sleep(0.35), os.write(write, b"late"),
                                              os.close(write)))
    writer.start()
    assert wait_for(spool, lambda: ticks.append(time.monotonic()), 0.05) == b"late"
    assert len(ticks) >= 3  # called while nothing came
    assert wait_for(spool, None, 0.05) == b""
    writer.join()
    assert spool.join(5)
    os.close(read)
