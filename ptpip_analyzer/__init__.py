"""ptpip-analyzer: dissector, validator and analyzer for PTP/IP.

``ptpip_analyzer.load(path)`` reads a capture into pandas tables (``analyze.capture``); it is
imported on first use so that the dissector and the CLI start without pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analyze.capture import Capture, load

__all__ = ["Capture", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from .analyze import capture
        return getattr(capture, name)
    raise AttributeError(f"module 'ptpip_analyzer' has no attribute {name!r}")
