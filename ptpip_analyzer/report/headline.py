"""The report's opening lines: what a reader should know first, worst first.

Each line is (kind, text): kind ``bad`` (a refused connection, a reset that cut a transaction
off, errors), ``warn`` (failing transactions, warnings, capture gaps, a file that ends early,
frames cut by the snaplen) or ``good`` (none of these). A camera's Init Fail gets its own line
with what to do: reason 1 means the camera does not know this host's GUID (Nikon, Sony and
Canon accept only a paired host, PROTOCOL.md), reason 2 that it is busy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..protocol import INIT_FAIL_REASONS, PTPIP_PORT
from ..validate.rules import INIT_FAIL, RESET_MID_TRANSACTION

if TYPE_CHECKING:
    from ..analyze.capture import Capture

ADVICE = {
    "rejected initiator": "camera rejected this host: pair the GUID (register this host on "
                          "the camera, or accept it there when the camera asks), then connect "
                          "again",
    "busy": "camera busy: it refused the connection (another host may be connected to it)",
}

Line = tuple[str, str]


def headline(cap: Capture) -> list[Line]:
    lines = [*_refused(cap), *_resets(cap), *_errors(cap), *_failing(cap), *_warnings(cap),
             *_gaps(cap), *_file(cap)]
    if not lines:
        lines.append(_all_good(cap))
    return lines


def _refused(cap: Capture) -> list[Line]:
    out = []
    for s in cap.sessions[cap.sessions["refused"].fillna(False).astype(bool)].itertuples():
        reason = _reason(cap, s.session)
        advice = ADVICE.get(reason, "camera refused the connection")
        guid = s.initiator_guid if isinstance(s.initiator_guid, str) else "not captured"
        name = s.initiator_name if isinstance(s.initiator_name, str) else "the host"
        out.append(("bad", (f"{advice[0].upper()}{advice[1:]}. Session {s.session}: the camera "
                           f"at {s.camera} answered Init Fail ({reason}) to {name} "
                           f"({s.initiator}, GUID {guid}).")))
    return out


def _resets(cap: Capture) -> list[Line]:
    """A connection reset that cut a transaction off: the finding says by whom and what."""
    f = cap.findings[cap.findings["rule"] == RESET_MID_TRANSACTION.id]
    return [("bad", f"{m[0].upper()}{m[1:]}.") for m in f["message"].astype(str) if m]


def _reason(cap: Capture, session: object) -> str:
    f = cap.findings
    messages = f[(f["rule"] == INIT_FAIL.id) & (f["session"] == session)]["message"]
    for message in messages:
        for reason in INIT_FAIL_REASONS.values():
            if str(message).endswith(reason):
                return reason
    return "no reason captured"


def _errors(cap: Capture) -> list[Line]:
    return _severity(cap, "error", "bad")


def _severity(cap: Capture, severity: str, kind: str) -> list[Line]:
    found = cap.findings[cap.findings["severity"] == severity]
    if found.empty:
        return []
    first = found.iloc[0]
    text = (f"{len(found)} {severity}(s); the first: {first['rule']} at frame "
            f"{first['frame']}: {first['message']}")
    return [(kind, text)]


def _failing(cap: Capture) -> list[Line]:
    tx = cap.transactions
    if "status" in tx.columns:
        bad = tx[~tx["status"].astype(str).isin(("ok", "nan"))]
    else:
        bad = tx[tx["ok"].eq(False).fillna(False) | ~tx["complete"].astype(bool)]
    if bad.empty:
        return []
    first = bad.iloc[0]
    answer = first["response_name"] if not pd.isna(first["response_name"]) else "no response"
    status = f", {first['status']}" if "status" in tx.columns else ""
    text = (f"{len(bad)} of {len(tx)} transaction(s) did not end OK; the first: "
            f"{first['opcode_name']} (session {first['session']}, tid "
            f"{first['transaction_id']}) → {answer}{status}.")
    return [("warn", text)]


def _warnings(cap: Capture) -> list[Line]:
    return _severity(cap, "warning", "warn")


def _gaps(cap: Capture) -> list[Line]:
    lost = cap.gaps[cap.gaps["kind"] == "gap"]
    if lost.empty:
        return []
    text = (f"The capture lost {int(lost['length'].sum()):,} bytes in {len(lost)} gap(s): "
            "transfers and timings around them are incomplete.")
    return [("warn", text)]


def _file(cap: Capture) -> list[Line]:
    """The capture file itself: read to its end? frames cut by the snaplen?"""
    out = []
    if cap.error:
        text = f"Reading stopped early: {cap.error}; the report holds what was readable."
        out.append(("warn", text))
    if cap.problems:
        first = cap.problems[0]
        text = (f"{len(cap.problems)} frame(s) with problems; the first, frame {first.frame}: "
                f"{first.message}.")
        out.append(("warn", text))
    return out


def _all_good(cap: Capture) -> Line:
    if not cap.packet_totals.count:
        return ("warn", f"No PTP/IP traffic in this capture (port {PTPIP_PORT}; --port for others).")
    notes = cap.findings[cap.findings["severity"] == "note"]
    said = (f" {len(notes)} note(s): {', '.join(sorted(notes['rule'].astype(str).unique()))}."
            if len(notes) else "")
    text = (f"No errors or warnings: {len(cap.transactions)} transaction(s) in "
            f"{len(cap.sessions)} session(s), every one answered OK.{said}")
    return ("good", text)
