"""ptpip-analyzer: dissector, validator and analyzer for PTP/IP.

``ptpip_analyzer.load(path)`` reads a capture into pandas tables (``analyze.capture``); it is
imported on first use so that the dissector and the CLI start without pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import accel

accel.install()  # compiled extensions of the hot modules, when built and fresh (accel.py)

if TYPE_CHECKING:
    from .analyze.capture import Capture
    from .analyze.load import load

__all__ = ["Capture", "load"]


def __getattr__(name: str) -> Any:
    if name == "Capture":
        from .analyze.capture import Capture
        return Capture
    if name == "load":
        from .analyze.load import load
        return load
    raise AttributeError(f"module 'ptpip_analyzer' has no attribute {name!r}")
