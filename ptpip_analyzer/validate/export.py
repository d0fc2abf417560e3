"""Plain-dict forms of the validator's output, for JSON/CSV writers (keys are a CLI contract)."""

from __future__ import annotations

from ..model import Finding, format_address
from .sessions import Session


def finding_to_dict(finding: Finding) -> dict[str, object]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.name.lower(),
        "frame": finding.frame,
        "stream": finding.stream,
        "session": finding.session,
        "transaction_id": finding.transaction_id,
        "message": finding.message,
    }


def session_to_dict(session: Session) -> dict[str, object]:
    return {
        "session": session.number,
        "initiator": format_address(session.initiator),
        "command_stream": session.command_stream,
        "event_stream": session.event_stream,
        "connection_number": session.connection_number,
        "first_frame": session.first_frame,
        "handshake_seen": session.handshake_seen,
    }
