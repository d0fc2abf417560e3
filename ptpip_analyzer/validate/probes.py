"""Probe Request (13) / Probe Response (14) pairing on one connection: PROTOCOL.md "Packet types".

Either side may probe; the other side answers. A probe still pending when the same side probes
again, or when the capture ends, went unanswered. A side that never answers any probe is real,
common behaviour (libgphoto2, PROTOCOL.md "What real initiators do"): its misses are counted
and give one note per connection at the end (PR-004), not a warning per probe. Once a side has
answered a probe, a miss is a warning (PR-001); misses counted before that first answer become
one PR-001 then.
"""

from __future__ import annotations

from ..model import Direction, Finding, Packet
from . import rules
from .scope import Scope


class Probes:
    __slots__ = ('answered', 'missed', 'pending', 'scope')

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.pending: dict[Direction, Packet] = {}  # by the direction the request travelled
        # by that direction: has the receiving side answered a probe yet; and its misses
        # before that (count, first frame) -- two numbers, however many probes
        self.answered: dict[Direction, bool] = {}
        self.missed: dict[Direction, tuple[int, int]] = {}

    def on_request(self, packet: Packet) -> list[Finding]:
        earlier = self.pending.get(packet.direction)
        self.pending[packet.direction] = packet
        return [] if earlier is None else self._miss(earlier)

    def on_response(self, packet: Packet) -> list[Finding]:
        asked = Direction(1 - packet.direction)  # the response travels back
        if self.pending.pop(asked, None) is None:
            return [self.scope.report(rules.PROBE_RESPONSE_UNASKED, packet.frame,
                                      "Probe Response with no Probe Request pending")]
        self.answered[asked] = True
        missed = self.missed.pop(asked, None)
        if missed is None:
            return []
        count, first = missed
        return [self.scope.report(rules.PROBE_UNANSWERED, first,
                                  f"{count} Probe Request(s) from the {_sender(asked)} got no "
                                  f"Probe Response before the one answered in frame "
                                  f"{packet.frame}")]

    def lose_sync(self) -> None:
        self.pending.clear()

    def close(self) -> list[Finding]:
        findings = [f for p in list(self.pending.values()) for f in self._miss(p)]
        self.pending.clear()
        for direction, (count, first) in sorted(self.missed.items()):
            findings.append(self.scope.report(
                rules.PROBES_NEVER_ANSWERED, first,
                f"the {_receiver(direction)} answered none of the {count} Probe Request(s) from the "
                f"{_sender(direction)} on this connection (libgphoto2 never answers probes)"))
        self.missed.clear()
        return findings

    def _miss(self, request: Packet) -> list[Finding]:
        direction = request.direction
        if self.answered.get(direction):
            return [self.scope.report(rules.PROBE_UNANSWERED, request.frame,
                                      "Probe Request got no Probe Response")]
        count, first = self.missed.get(direction, (0, request.frame))
        self.missed[direction] = (count + 1, first)
        return []


def _sender(direction: Direction) -> str:
    return "host" if direction is Direction.TO_RESPONDER else "camera"


def _receiver(direction: Direction) -> str:
    return "camera" if direction is Direction.TO_RESPONDER else "host"
