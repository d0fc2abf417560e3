"""Probe Request (13) / Probe Response (14) pairing on one connection: PROTOCOL.md "Packet types".

Either side may probe; the other side answers. A probe still pending when the same side probes
again, or when the capture ends, went unanswered.
"""

from __future__ import annotations

from ..model import Direction, Finding, Packet
from . import rules
from .scope import Scope


class Probes:
    __slots__ = ('pending', 'scope')

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.pending: dict[Direction, Packet] = {}  # by the direction the request travelled

    def on_request(self, packet: Packet) -> list[Finding]:
        earlier = self.pending.get(packet.direction)
        self.pending[packet.direction] = packet
        return [] if earlier is None else [self._unanswered(earlier)]

    def on_response(self, packet: Packet) -> list[Finding]:
        asked = Direction(1 - packet.direction)  # the response travels back
        if self.pending.pop(asked, None) is not None:
            return []
        return [self.scope.report(rules.PROBE_RESPONSE_UNASKED, packet.frame,
                                  "Probe Response with no Probe Request pending")]

    def lose_sync(self) -> None:
        self.pending.clear()

    def close(self) -> list[Finding]:
        findings = [self._unanswered(p) for p in self.pending.values()]
        self.pending.clear()
        return findings

    def _unanswered(self, request: Packet) -> Finding:
        return self.scope.report(rules.PROBE_UNANSWERED, request.frame,
                                 "Probe Request got no Probe Response")
