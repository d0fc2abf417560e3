"""The handshake of one PTP/IP connection: PROTOCOL.md "Sequences".

    command connection:  NOT_STARTED --1--> AWAITING_ACK --2--> ESTABLISHED (main loop)
    event connection:    NOT_STARTED --3--> AWAITING_ACK --4--> ESTABLISHED (event loop)
    either:              AWAITING_ACK --5--> FAILED (the connection should close)
    capture began late:  NOT_STARTED --other packet--> NOT_CAPTURED (role from the traffic)
    no handshake in the variant (Fuji's event connection, protocol.has_handshake):
                         ESTABLISHED from the start
"""

from __future__ import annotations

import enum

from ..decode.codes import INIT_FAIL_REASONS, PacketType, packet_type_name
from ..model import Finding, Packet, Role
from ..protocol import role_of_type
from . import rules
from .scope import Scope

PROTOCOL_VERSION_1_0 = 0x00010000


class HandshakePhase(enum.Enum):
    NOT_STARTED = "not started"
    AWAITING_ACK = "awaiting ack"
    ESTABLISHED = "established"
    NOT_CAPTURED = "not captured"
    FAILED = "failed"


_KIND_OF_REQUEST: dict[int, Role] = {PacketType.INIT_COMMAND_REQUEST: Role.COMMAND,
                    PacketType.INIT_EVENT_REQUEST: Role.EVENT}
_ACK_OF_KIND: dict[Role, int] = {Role.COMMAND: PacketType.INIT_COMMAND_ACK,
                Role.EVENT: PacketType.INIT_EVENT_ACK}
_KIND_OF_ANSWER: dict[int, Role] = {PacketType.INIT_COMMAND_ACK: Role.COMMAND,
                   PacketType.INIT_EVENT_ACK: Role.EVENT}


def kind_from_traffic(ptype: int, role: Role) -> Role:
    """A connection's kind when its handshake is not in the capture."""
    return role if role is not Role.UNKNOWN else role_of_type(ptype)


class Handshake:
    __slots__ = ('_complained', 'kind', 'phase', 'request', 'scope')

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.kind = Role.UNKNOWN
        self.phase = HandshakePhase.NOT_STARTED
        self.request: Packet | None = None
        self._complained = False  # HS-004/HS-006 once per connection, not per packet

    @property
    def captured(self) -> bool:
        """The capture holds (part of) this connection's handshake."""
        return self.phase in (HandshakePhase.AWAITING_ACK, HandshakePhase.ESTABLISHED,
                              HandshakePhase.FAILED)

    def without_handshake(self, kind: Role) -> None:
        """A connection whose framing variant has no handshake on it: established at once."""
        self.kind, self.phase = kind, HandshakePhase.ESTABLISHED

    def on_request(self, packet: Packet) -> list[Finding]:
        """Init Command Request (1) or Init Event Request (3)."""
        if self.phase is not HandshakePhase.NOT_STARTED:
            return [self._report(rules.SECOND_HANDSHAKE, packet,
                                 f"{packet_type_name(packet.ptype)} on a connection whose "
                                 f"handshake already ran ({self.phase.value})")]
        self.kind = _KIND_OF_REQUEST[packet.ptype]
        self.phase, self.request = HandshakePhase.AWAITING_ACK, packet
        return []

    def on_answer(self, packet: Packet) -> list[Finding]:
        """Init Command Ack (2), Init Event Ack (4) or Init Fail (5)."""
        if self.phase in (HandshakePhase.NOT_STARTED, HandshakePhase.NOT_CAPTURED):
            # NOT_CAPTURED: bytes were lost before the handshake; the request may be among them
            return self._adopt_answer(packet)
        if self.phase is not HandshakePhase.AWAITING_ACK or not self._answers_request(packet):
            return [self._report(rules.ACK_WITHOUT_REQUEST, packet,
                                 f"{packet_type_name(packet.ptype)} without a pending "
                                 "request of its kind")]
        if packet.ptype == PacketType.INIT_FAIL:
            self.phase = HandshakePhase.FAILED
            reason = INIT_FAIL_REASONS.get(packet.reason or 0, f"reason {packet.reason}")
            return [self._report(rules.INIT_FAIL, packet, f"camera refused the {self.kind.value}"
                                 f" connection: {reason}")]
        self.phase = HandshakePhase.ESTABLISHED
        return []

    def _adopt_answer(self, packet: Packet) -> list[Finding]:
        """The capture began between request and answer: take the answer as the outcome."""
        failed = packet.ptype == PacketType.INIT_FAIL
        self.phase = HandshakePhase.FAILED if failed else HandshakePhase.ESTABLISHED
        self._complained = failed  # the refusal itself is unseen: don't judge what follows
        self.kind = _KIND_OF_ANSWER.get(packet.ptype, Role.UNKNOWN)
        return [self._report(rules.HANDSHAKE_NOT_CAPTURED, packet,
                             f"connection starts with {packet_type_name(packet.ptype)}; "
                             "its Init Request is not in the capture")]

    def _answers_request(self, packet: Packet) -> bool:
        return packet.ptype in (PacketType.INIT_FAIL, _ACK_OF_KIND.get(self.kind))

    def learn_kind(self, ptype: int, role: Role) -> None:
        """Without a captured handshake, a connection's kind shows in its traffic."""
        if self.kind is Role.UNKNOWN:
            self.kind = kind_from_traffic(ptype, role)

    def on_traffic(self, packet: Packet) -> list[Finding]:
        """Any non-handshake packet: legal once established (or when the handshake was missed)."""
        if self.phase is HandshakePhase.NOT_STARTED:
            self.phase = HandshakePhase.NOT_CAPTURED
            return [self._report(rules.HANDSHAKE_NOT_CAPTURED, packet,
                                 f"connection starts with {packet_type_name(packet.ptype)}; "
                                 "its handshake is not in the capture")]
        if self.phase is HandshakePhase.AWAITING_ACK:
            return self._complain_once(rules.PACKET_BEFORE_ACK, packet, "before the Ack")
        if self.phase is HandshakePhase.FAILED:
            return self._complain_once(rules.PACKET_AFTER_INIT_FAIL, packet, "after Init Fail")
        return []

    def _complain_once(self, rule: rules.Rule, packet: Packet, when: str) -> list[Finding]:
        if self._complained:
            return []
        self._complained = True
        return [self._report(rule, packet, f"{packet_type_name(packet.ptype)} sent {when}")]

    def check_version(self, packet: Packet) -> list[Finding]:
        """HS-008 (a note): other versions are seen in the wild and accepted (PROTOCOL.md)."""
        version = packet.version
        if version is None or version == PROTOCOL_VERSION_1_0:
            return []
        return [self._report(rules.OTHER_PROTOCOL_VERSION, packet,
                             f"{packet_type_name(packet.ptype)} has protocol version "
                             f"0x{version:08X}")]

    def lose_sync(self) -> None:
        """Bytes lost before the handshake finished: its outcome is unknown, accept the traffic."""
        if self.phase in (HandshakePhase.NOT_STARTED, HandshakePhase.AWAITING_ACK):
            self.phase = HandshakePhase.NOT_CAPTURED

    def close(self) -> list[Finding]:
        if self.phase is not HandshakePhase.AWAITING_ACK or self.request is None:
            return []
        return [self._report(rules.HANDSHAKE_UNANSWERED, self.request,
                             f"{packet_type_name(self.request.ptype)} got neither Ack nor Fail")]

    def _report(self, rule: rules.Rule, packet: Packet, message: str) -> Finding:
        return self.scope.report(rule, packet.frame, message)
