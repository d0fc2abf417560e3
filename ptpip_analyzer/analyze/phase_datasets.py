"""The dataset facts the tables need, from ``decode.datasets``: DeviceInfo, ObjectInfo, dates.

The decoding itself is ``decode.datasets``' job; this picks out the fields the analysis tables
show and turns PTP date strings (PROTOCOL.md "PTP payloads": ``YYYYMMDDThhmmss[.s][Z|±hhmm]``)
into POSIX seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from ..decode.data_phases import DataPhase
from ..decode.datasets import Decoded, decode_dataset

_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(?:\.(\d+))?(Z|[+-]\d{4})?$")


def decoded_dataset(phase: DataPhase) -> tuple[str | None, Any]:
    """(dataset name, decoded value) of a whole data phase; (None, None) when there is none."""
    if phase.payload is None or phase.opcode is None:
        return None, None
    result = decode_dataset(phase.opcode, phase.payload, phase.params)
    if isinstance(result, Decoded):
        return result.name, result.value
    return None, None


def ptp_date(text: str | None) -> float | None:
    """POSIX seconds of a PTP date string; a date without zone is taken as UTC; None if bad."""
    match = _DATE.match(text.strip()) if text else None
    if match is None:
        return None
    year, month, day, hour, minute, second, tenths, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                          tzinfo=_zone(zone))
    except ValueError:
        return None
    return moment.timestamp() + (float(f"0.{tenths}") if tenths else 0.0)


def _zone(zone: str | None) -> timezone:
    if not zone or zone == "Z":
        return UTC
    sign = -1 if zone[0] == "-" else 1
    return timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])))


def vendor_name(device_info: Any, camera_name: str | None) -> str | None:
    """The session's vendor: decode.vendor's detection where available, else Manufacturer."""
    try:
        from ..decode import vendor  # type: ignore[attr-defined, unused-ignore]
    except ImportError:  # vendor detection not there yet (issue 8)
        vendor = None
    if vendor is not None and hasattr(vendor, "detect_vendor"):
        found = vendor.detect_vendor(device_info, camera_name)
        return str(getattr(found, "name", found)) if found is not None else None
    manufacturer = getattr(device_info, "manufacturer", None)
    return str(manufacturer) if manufacturer else None
