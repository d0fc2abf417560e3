"""Which vendor's code tables are in force, per session, weighed from several signals.

PROTOCOL.md: cameras often report VendorExtensionID 6 or 0xFFFFFFFF over PTP/IP, so the
VendorExtensionID is one signal among several (libgphoto2 camlibs/ptp2/library.c does the
same fix-ups): VendorExtensionDesc, Manufacturer and Model from DeviceInfo, the camera's
friendly name in the Init Command Ack, and vendor operations only one vendor uses. A session
is keyed by the camera's address (its command and event connections share it). ``override``
(the CLI's ``--vendor``) wins over everything.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from ..model import Connection, Packet
from .dataset_types import DeviceInfo
from .tables import VENDORS


class VendorExtensionId(enum.IntEnum):
    """ISO 15740 / PIMA VendorExtensionID registry as listed in libgphoto2 ptp.h
    (PTP_VENDOR_*)."""

    EASTMAN_KODAK = 0x1
    MICROSOFT = 0x6
    NIKON = 0xA
    CANON = 0xB
    PENTAX = 0xD  # Ricoh's cameras report it
    FUJI = 0xE
    SONY = 0x11
    PARROT = 0x1B
    PANASONIC = 0x1C
    MTP = 0xFFFFFFFF


_V = VendorExtensionId
# the vendor table each id points to (plain int keys: DeviceInfo gives ints)
EXTENSION_IDS: dict[int, str] = {int(k): v for k, v in {
    _V.EASTMAN_KODAK: "kodak", _V.MICROSOFT: "mtp", _V.NIKON: "nikon", _V.CANON: "canon",
    _V.PENTAX: "ricoh", _V.FUJI: "fuji", _V.SONY: "sony", _V.PARROT: "parrot",
    _V.PANASONIC: "panasonic", _V.MTP: "mtp"}.items()}
_WEAK_IDS = frozenset({int(_V.MICROSOFT), int(_V.MTP)})  # what cameras say when they don't

# Manufacturer / model / friendly-name patterns (case-insensitive)
NAME_PATTERNS: dict[str, re.Pattern[str]] = {k: re.compile(p, re.IGNORECASE) for k, p in {
    "nikon": r"\bnikon\b|^(coolpix|z ?\d|d\d{2,4}\b)",
    "canon": r"\bcanon\b|\beos\b|powershot|ixus",
    "sony": r"\bsony\b|^ilce-|^dsc-|^ilca-|^zv-",
    "fuji": r"fuji(film)?\b|^x-[a-z]\d|^gfx",
    "olympus": r"olympus|om digital|^e-m\d|^om-\d",
    "panasonic": r"panasonic|lumix|^dc-|^dmc-",
    "kodak": r"kodak",
    "ricoh": r"ricoh|pentax|theta",
    "leica": r"leica",
    "casio": r"casio",
    "sigma": r"\bsigma\b",
    "parrot": r"parrot",
}.items()}

# Vendor operations only one vendor sends (libgphoto2 ptp.h; PROTOCOL.md for Canon/Sony)
SIGNATURE_OPERATIONS: dict[int, str] = {
    0x9114: "canon", 0x9115: "canon", 0x9116: "canon",  # EOS SetRemoteMode/SetEventMode/GetEvent
    0x90C7: "nikon", 0x90C8: "nikon",  # Nikon GetEvent, DeviceReady
    0x9280: "sony", 0x9281: "sony",  # Sony transfer bracket over PTP/IP
}

W_ID, W_WEAK_ID, W_DESC, W_MANUFACTURER, W_MODEL, W_NAME, W_OPERATION = 3, 1, 3, 4, 2, 2, 1

# How a vendor is written in front of a model string that does not carry it ("COOLPIX P3").
BRANDS: dict[str, str] = {
    "nikon": "Nikon", "canon": "Canon", "sony": "Sony", "fuji": "Fujifilm",
    "olympus": "Olympus", "panasonic": "Panasonic", "kodak": "Kodak", "ricoh": "Ricoh",
    "leica": "Leica", "casio": "Casio", "sigma": "Sigma", "parrot": "Parrot",
}
MAX_CAMERA_NAME = 64  # characters kept of a model string from the wire


def vendor_of_name(text: str) -> str | None:
    """The vendor whose name pattern (NAME_PATTERNS) a manufacturer, model or friendly name
    matches first; None: none does."""
    return next((v for v, pattern in NAME_PATTERNS.items() if text and pattern.search(text)),
                None)


def camera_name(vendor: str | None, model: str) -> str:
    """The camera as people name it: the model, with its brand in front unless it has one
    ("Nikon COOLPIX P3", "Canon EOS R6", "Sony ILCE-5000")."""
    model = " ".join(model.split())[:MAX_CAMERA_NAME]
    brand = BRANDS.get(vendor or "")
    if brand is None or model.lower().startswith(brand.lower()):
        return model
    return f"{brand} {model}"


@dataclass(slots=True)
class VendorEvidence:
    """The signals seen for one session and the vendor they point to."""

    scores: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    camera: str | None = None  # the model, from DeviceInfo (or, before it, the Ack name)
    camera_from_device_info: bool = False

    def add(self, vendor: str, weight: int, reason: str) -> None:
        self.scores[vendor] = self.scores.get(vendor, 0) + weight
        self.reasons.append(f"{reason} -> {vendor} (+{weight})")

    def best(self) -> str | None:
        if not self.scores:
            return None
        return max(self.scores.items(), key=lambda kv: (kv[1], kv[0] != "mtp"))[0]


def session_key(conn: Connection) -> bytes:
    """Sessions are told apart by the camera's address."""
    return conn.responder.address


class VendorDetector:
    """Per-session vendor decision; feed it packets and DeviceInfo datasets."""

    def __init__(self, override: str | None = None) -> None:
        if override is not None and override not in VENDORS:
            raise ValueError(f"unknown vendor {override!r}; known: {', '.join(sorted(VENDORS))}")
        self.override = override
        self.sessions: dict[bytes, VendorEvidence] = {}

    def vendor(self, conn: Connection) -> str | None:
        if self.override is not None:
            return self.override
        evidence = self.sessions.get(session_key(conn))
        return evidence.best() if evidence is not None else None

    def evidence(self, conn: Connection) -> VendorEvidence:
        return self.sessions.setdefault(session_key(conn), VendorEvidence())

    def camera(self, conn: Connection) -> str | None:
        """The camera model of the connection's session, when DeviceInfo or the Ack named it."""
        evidence = self.sessions.get(session_key(conn))
        return evidence.camera if evidence is not None else None

    def packet(self, conn: Connection, p: Packet) -> None:
        if p.ptype == 2 and p.name:
            vendor = self._names(conn, p.name, W_NAME, "Init Command Ack name")
            ev = self.evidence(conn)
            if vendor is not None and not ev.camera_from_device_info:
                ev.camera = camera_name(vendor, p.name)
        elif p.ptype == 6 and p.code in SIGNATURE_OPERATIONS:
            self.evidence(conn).add(SIGNATURE_OPERATIONS[p.code], W_OPERATION,
                                    f"operation 0x{p.code:04X}")

    def device_info(self, conn: Connection, info: DeviceInfo) -> None:
        ev = self.evidence(conn)
        vid = EXTENSION_IDS.get(info.vendor_extension_id)
        if vid is not None:
            weight = W_WEAK_ID if info.vendor_extension_id in _WEAK_IDS else W_ID
            ev.add(vid, weight, f"VendorExtensionID 0x{info.vendor_extension_id:X}")
        self._names(conn, info.vendor_extension_desc, W_DESC, "VendorExtensionDesc")
        self._names(conn, info.manufacturer, W_MANUFACTURER, "Manufacturer")
        self._names(conn, info.model, W_MODEL, "Model")
        if info.model.strip():
            ev.camera, ev.camera_from_device_info = camera_name(ev.best(), info.model), True

    def _names(self, conn: Connection, text: str, weight: int, what: str) -> str | None:
        vendor = vendor_of_name(text)
        if vendor is not None:
            self.evidence(conn).add(vendor, weight, f'{what} "{text}"')
            return vendor
        if "microsoft" in text.lower() and what == "VendorExtensionDesc":
            self.evidence(conn).add("mtp", W_WEAK_ID, f'{what} "{text}"')
        return None
