"""Operation, response and event parameters with their names and meaning, as data.

ISO 15740:2008 section 10.5 (operations) and 12.5 (events) give each parameter's meaning;
MTP 1.1 appendix D the MTP operations'; the vendor entries follow libgphoto2's
camlibs/ptp2/ptp.c callers of each operation (commit 813de344e697). A parameter's *kind*
chooses how its value is shown (a property code by name, a handle in hex, a count in
decimal). Trailing zero parameters beyond the named ones are marked as padding, whatever
the operation (PROTOCOL.md: several senders pad requests and responses to 5 parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

from .codes import format_name, name_of, object_property_name, property_name

ALL = 0xFFFFFFFF

_SID, _FMT, _OBJ, _PARENT = ("StorageID", "storage"), ("ObjectFormatCode", "format"), \
    ("ObjectHandle", "handle"), ("ParentObject", "parent")
_PROP, _OPROP = ("DevicePropCode", "property"), ("ObjectPropCode", "object_property")
_TID = ("TransactionID", "count")

# opcode -> request parameters, response parameters; each (name, kind)
OPERATION_PARAMS: dict[int, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    0x1002: ((("SessionID", "count"),), ()),
    0x1005: ((_SID,), ()),
    0x1006: ((_SID, _FMT, _PARENT), (("NumObjects", "count"),)),
    0x1007: ((_SID, _FMT, _PARENT), ()),
    0x1008: ((_OBJ,), ()),
    0x1009: ((_OBJ,), ()),
    0x100A: ((_OBJ,), ()),
    0x100B: ((_OBJ, _FMT), ()),
    0x100C: ((_SID, _PARENT), (_SID, _PARENT, _OBJ)),
    0x100E: ((_SID, _FMT), ()),
    0x100F: ((_SID, ("FileSystemFormat", "hex")), ()),
    0x1011: ((("SelfTestType", "hex"),), ()),
    0x1012: ((_OBJ, ("ProtectionStatus", "hex")), ()),
    0x1014: ((_PROP,), ()),
    0x1015: ((_PROP,), ()),
    0x1016: ((_PROP,), ()),
    0x1017: ((_PROP,), ()),
    0x1018: ((_TID,), ()),
    0x1019: ((_OBJ, _SID, _PARENT), ()),
    0x101A: ((_OBJ, _SID, _PARENT), (_OBJ,)),
    0x101B: ((_OBJ, ("Offset", "count"), ("MaxBytes", "count")), (("ActualBytes", "count"),)),
    0x101C: ((_SID, _FMT), ()),
    0x101D: ((_SID, _FMT, _PARENT), ()),
    0x1022: ((_OBJ, ("Width", "count"), ("Height", "count")), ()),
    # MTP 1.1 appendix D
    0x9801: ((_FMT,), ()),
    0x9802: ((_OPROP, _FMT), ()),
    0x9803: ((_OBJ, _OPROP), ()),
    0x9804: ((_OBJ, _OPROP), ()),
    0x9805: ((_OBJ, _FMT, _OPROP, ("ObjectPropGroupCode", "hex"), ("Depth", "count")), ()),
    0x9808: ((_SID, _PARENT, _FMT, ("ObjectSizeMSB", "count"), ("ObjectSizeLSB", "count")),
             (_SID, _PARENT, _OBJ)),
    0x9810: ((_OBJ,), ()),
    0x9811: ((_OBJ,), ()),
}

# Vendor operations whose parameters the vendor's public sources describe, by vendor key
VENDOR_OPERATION_PARAMS: dict[str, dict[int, tuple[tuple[tuple[str, str], ...],
                                                   tuple[tuple[str, str], ...]]]] = {
    "canon": {0x9114: ((("RemoteMode", "hex"),), ()), 0x9115: ((("EventMode", "hex"),), ()),
              0x9127: ((_PROP,), ()), 0x9104: ((_OBJ,), ())},
    "nikon": {0x90C2: ((("CameraMode", "hex"),), ())},
    "sony": {0x9201: ((("Phase", "count"), ("Parameter 2", "hex"), ("Parameter 3", "hex")), ()),
             0x9202: ((("Version", "count"),), ())},
}

EVENT_PARAMS: dict[int, tuple[tuple[str, str], ...]] = {
    0x4002: (_OBJ,), 0x4003: (_OBJ,), 0x4004: (_SID,), 0x4005: (_SID,), 0x4006: (_PROP,),
    0x4007: (_OBJ,), 0x4009: (_OBJ,), 0x400A: (_SID,), 0x400C: (_SID,), 0x400D: (_TID,),
    0xC801: (_OBJ, _OPROP),  # MTP ObjectPropChanged
}


@dataclass(frozen=True, slots=True)
class NamedParam:
    name: str
    kind: str  # storage, format, handle, parent, property, object_property, count, hex, u32
    value: int
    display: str


def request_params(opcode: int, params: tuple[int, ...],
                   vendor: str | None = None) -> list[NamedParam]:
    return _named(_specs(opcode, vendor)[0], params, vendor)


def response_params(opcode: int | None, params: tuple[int, ...],
                    vendor: str | None = None) -> list[NamedParam]:
    specs = _specs(opcode, vendor)[1] if opcode is not None else ()
    return _named(specs, params, vendor)


def event_params(code: int, params: tuple[int, ...],
                 vendor: str | None = None) -> list[NamedParam]:
    return _named(EVENT_PARAMS.get(code, ()) if not code & 0x8000 or code == 0xC801 else (),
                  params, vendor)


def _specs(opcode: int, vendor: str | None) -> tuple[tuple[tuple[str, str], ...],
                                                     tuple[tuple[str, str], ...]]:
    if opcode & 0x8000 and vendor in VENDOR_OPERATION_PARAMS:
        found = VENDOR_OPERATION_PARAMS[vendor].get(opcode)
        if found is not None:
            return found
    if opcode & 0x8000 and opcode >> 8 != 0x98:
        return (), ()
    return OPERATION_PARAMS.get(opcode, ((), ()))


def _named(specs: tuple[tuple[str, str], ...], params: tuple[int, ...],
           vendor: str | None) -> list[NamedParam]:
    """Beyond the named parameters, the trailing zeros are padding, for every operation
    (with or without named parameters); a zero before a non-zero one is a parameter."""
    out = []
    padding_from = max((i + 1 for i, v in enumerate(params) if v), default=0)
    for i, v in enumerate(params):
        if i < len(specs):
            name, kind = specs[i]
        else:
            name, kind = ("(padding)", "u32") if i >= padding_from else (f"Parameter {i + 1}",
                                                                          "u32")
        out.append(NamedParam(name, kind, v, show(kind, v, vendor)))
    return out


def show(kind: str, v: int, vendor: str | None = None) -> str:
    """A parameter value as text, by its kind."""
    if kind == "property":
        return f"{property_name(v, vendor)} (0x{v:04X})"
    if kind == "object_property":
        return f"{object_property_name(v & 0xFFFF)} (0x{v:04X})"
    if kind == "format":
        return _special(v, {0: "any format", ALL: "all formats"}) or \
            f"{format_name(v & 0xFFFF, vendor)} (0x{v:04X})"
    if kind == "storage":
        return _special(v, {0: "any storage", ALL: "all storages"}) or f"0x{v:08X}"
    if kind == "parent":
        return _special(v, {0: "any parent", ALL: "root"}) or f"0x{v:08X}"
    if kind == "count":
        return str(v)
    return f"0x{v:08X}" if kind in ("handle", "hex") else f"0x{v:X} ({v})"


def _special(v: int, meanings: dict[int, str]) -> str | None:
    meaning = meanings.get(v)
    return None if meaning is None else f"0x{v:08X} ({meaning})"


def operation_label(opcode: int, vendor: str | None = None) -> str:
    return f"{name_of('operation', opcode, vendor)} (0x{opcode:04X})"
