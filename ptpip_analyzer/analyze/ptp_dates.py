"""PTP date strings (PROTOCOL.md "PTP payloads": ``YYYYMMDDThhmmss[.s][Z|±hhmm]``) as POSIX
seconds, for the objects table's datetime columns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(?:\.(\d+))?(Z|[+-]\d{4})?$")


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
