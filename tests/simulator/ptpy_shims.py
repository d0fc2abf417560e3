"""Compatibility shims that let ptpy 0.3.2 (2017, pins construct==2.8.8) run on Python 3.11.

Test code only, never the package. Apply before creating a PTPy object.
1. construct 2.8.8 uses ``collections.Sequence`` & co, moved to ``collections.abc`` (and
   removed from ``collections`` in Python 3.10).
2. ptpy's IP transport passes 3-argument predicates ``(obj, ctx, lst)`` to ``RepeatUntil``
   (the construct >= 2.8.10 signature) while its pinned construct 2.8.8 calls them with
   ``(obj, ctx)``. The wrapper passes an empty list; the only use of ``lst`` is a 40-unit cap
   on the Ack's friendly name, which our simulator's names stay far below.
"""

from __future__ import annotations

import collections
import collections.abc
from typing import Any

_MOVED = ("Sequence", "Mapping", "MutableMapping", "MutableSequence", "Iterable", "Callable")


def apply() -> Any:
    """Patch and return the ``ptpy`` module."""
    for name in _MOVED:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))
    import construct  # type: ignore[import-untyped]
    import ptpy  # type: ignore[import-untyped]
    import ptpy.transports.ip as ip_transport  # type: ignore[import-untyped]

    original = construct.RepeatUntil

    def repeat_until(predicate: Any, subcon: Any) -> Any:
        return original(lambda obj, ctx: predicate(obj, ctx, []), subcon)

    ip_transport.RepeatUntil = repeat_until
    return ptpy
