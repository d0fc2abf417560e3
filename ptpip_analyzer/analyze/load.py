"""``load(path) -> Capture``: a capture file as tidy pandas tables, read in one engine pass.

    >>> import ptpip_analyzer
    >>> cap = ptpip_analyzer.load("captures/real/gphoto2-get-all-files.pcapng")
    >>> cap = ptpip_analyzer.load("captures/real/gphoto2-summary-nikon.pcapng", vendor="canon")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..engine import Engine, EngineOptions, run
from ..sources.byte_source import ByteSource
from ..sources.capture_file import CaptureError
from .capture import Capture
from .snapshot import capture_of


def load(path: str | Path, **options: Any) -> Capture:
    """Read a pcap/pcapng file (``-``: standard input) into a ``Capture``.

    Options are ``EngineOptions`` fields, the same as the CLI's input flags: ``ports``
    (iterable of TCP ports, default 15740), ``heuristics``, ``vendor``, ``keep_payload``,
    ``max_pending``, ``max_packet_length``. Raises ``OSError`` if the file can't be opened and
    ``CaptureError`` if it is no capture at all; a file that turns bad midway gives the tables
    of what was readable and ``Capture.error``.
    """
    engine = Engine(EngineOptions().with_(**options, tables=True))
    for _ in run(ByteSource(str(path)), engine):
        pass
    if engine.error is not None and engine.reader.format is None:
        raise CaptureError(engine.error)
    return capture_of(engine, Path(path), last=True)
