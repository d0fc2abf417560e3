"""Where a connection's findings point: its TCP stream and, once paired, its session."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Finding
from .rules import Rule


@dataclass(slots=True)
class Scope:
    stream: int
    session: int | None = None  # set by session pairing (sessions.py)

    def report(self, rule: Rule, frame: int, message: str,
               transaction_id: int | None = None) -> Finding:
        return rule.finding(frame, self.stream, self.session, transaction_id, message)
