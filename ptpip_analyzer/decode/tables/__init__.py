"""Code tables as data: the ISO 15740 standard, MTP, and one module per camera vendor.

Each module holds plain ``dict[int, str]`` tables (OPERATIONS, RESPONSES, EVENTS, PROPERTIES,
FORMATS, and for MTP OBJECT_PROPERTIES) and cites its sources in its docstring. ``VENDORS``
gathers the vendor tables under a short key (the ``--vendor`` value); lookups go through
``decode.codes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType

from . import (
    canon,
    casio,
    fuji,
    kodak,
    leica,
    mtp,
    nikon,
    olympus,
    panasonic,
    parrot,
    ricoh,
    sigma,
    sony,
    standard,
)

KINDS = ("operation", "response", "event", "property", "format", "object_property")
_ATTRS = {"operation": "OPERATIONS", "response": "RESPONSES", "event": "EVENTS",
          "property": "PROPERTIES", "format": "FORMATS", "object_property": "OBJECT_PROPERTIES"}


@dataclass(frozen=True, slots=True)
class CodeTable:
    """The codes of one extension, by kind ("operation", "response", ...)."""

    key: str
    name: str
    codes: Mapping[str, Mapping[int, str]] = field(default_factory=dict)

    def get(self, kind: str, code: int) -> str | None:
        table = self.codes.get(kind)
        return None if table is None else table.get(code)

    def size(self) -> int:
        return sum(len(t) for t in self.codes.values())


def _table(key: str, name: str, module: ModuleType) -> CodeTable:
    codes = {kind: getattr(module, attr) for kind, attr in _ATTRS.items()
             if hasattr(module, attr)}
    return CodeTable(key, name, codes)


STANDARD = _table("standard", "ISO 15740", standard)
MTP = _table("mtp", "MTP", mtp)
VENDORS: dict[str, CodeTable] = {t.key: t for t in (
    _table("kodak", "Kodak", kodak),
    _table("nikon", "Nikon", nikon),
    _table("canon", "Canon", canon),
    _table("ricoh", "Ricoh/Pentax", ricoh),
    _table("fuji", "Fujifilm", fuji),
    _table("sony", "Sony", sony),
    _table("panasonic", "Panasonic", panasonic),
    _table("olympus", "Olympus/OM System", olympus),
    _table("leica", "Leica", leica),
    _table("casio", "Casio", casio),
    _table("sigma", "Sigma", sigma),
    _table("parrot", "Parrot", parrot),
    MTP,
)}
