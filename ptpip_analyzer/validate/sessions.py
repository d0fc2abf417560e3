"""Session pairing: one command connection plus one event connection make a PTP/IP session.

PROTOCOL.md "Sequences": the camera hands out a connection number in the Init Command Ack; the
initiator echoes it in the Init Event Request of its event connection. Sessions are numbered
from 1 in order of their command connection's first appearance.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..model import Connection


@dataclass(frozen=True, slots=True)
class Session:
    number: int
    initiator: bytes  # packed address of the initiator (host)
    command_stream: int
    first_frame: int
    handshake_seen: bool  # False: the capture began after the command handshake
    connection_number: int | None = None
    event_stream: int | None = None
    camera: bytes = b""  # packed address of the camera (responder)


@dataclass(frozen=True, slots=True)
class EarlyEventRequest:
    """An Init Event Request whose connection number no Ack had given out (yet)."""

    stream: int
    frame: int
    initiator: bytes
    connection_number: int


class SessionTable:
    def __init__(self) -> None:
        self.sessions: list[Session] = []
        self._by_stream: dict[int, int] = {}  # stream -> session number
        self._by_ack: dict[tuple[bytes, int], int] = {}  # (initiator, connection number)
        self._early: dict[tuple[bytes, int], EarlyEventRequest] = {}

    def session_of(self, stream: int) -> int | None:
        return self._by_stream.get(stream)

    def session(self, number: int) -> Session:
        return self.sessions[number - 1]

    def open_command(self, conn: Connection, frame: int, handshake_seen: bool) -> int:
        number = len(self.sessions) + 1
        self.sessions.append(Session(number, conn.initiator.address, conn.stream, frame,
                                     handshake_seen, camera=conn.responder.address))
        self._by_stream[conn.stream] = number
        return number

    def on_command_ack(self, stream: int, connection_number: int) -> EarlyEventRequest | None:
        """Record the number an Ack handed out; return an event request that came before it."""
        number = self._by_stream.get(stream)
        if number is None:
            return None
        session = dataclasses.replace(self.sessions[number - 1],
                                      connection_number=connection_number)
        self.sessions[number - 1] = session
        key = (session.initiator, connection_number)
        self._by_ack[key] = number
        early = self._early.pop(key, None)
        if early is not None:
            self._pair(number, early.stream)
        return early

    def join_event(self, conn: Connection, connection_number: int, frame: int) -> int | None:
        """Pair an Init Event Request with its Ack; None: no Ack gave the number out (yet)."""
        key = (conn.initiator.address, connection_number)
        number = self._by_ack.get(key)
        if number is None:
            self._early[key] = EarlyEventRequest(conn.stream, frame, *key)
            return None
        self._pair(number, conn.stream)
        return number

    def adopt_event(self, conn: Connection, opened: int | None = None) -> int | None:
        """An event connection without captured handshake joins the latest open session (with
        ``opened``: the latest of the same camera that began before that frame, the
        connection's first: a variant whose event connection has no handshake at all)."""
        for session in reversed(self.sessions):
            if opened is not None and (session.first_frame > opened
                                       or session.camera != conn.responder.address):
                continue
            if session.initiator == conn.initiator.address and session.event_stream is None:
                self._pair(session.number, conn.stream)
                return session.number
        return None

    def adopt_early_event(self, number: int) -> EarlyEventRequest | None:
        """A command connection whose Ack the capture missed takes a waiting event connection."""
        session = self.sessions[number - 1]
        for key, early in self._early.items():
            if early.initiator == session.initiator:
                del self._early[key]
                self._pair(number, early.stream)
                return early
        return None

    def unmatched_event_requests(self) -> list[EarlyEventRequest]:
        """End of capture: event requests that no Ack matched."""
        return list(self._early.values())

    def _pair(self, number: int, event_stream: int) -> None:
        self.sessions[number - 1] = dataclasses.replace(self.sessions[number - 1],
                                                        event_stream=event_stream)
        self._by_stream[event_stream] = number
