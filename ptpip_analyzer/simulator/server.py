"""The simulator's socket side: asyncio servers for command and event connections.

All protocol decisions are in ``responder`` (PTP/IP) and ``camera`` (PTP); this module reads
packets, executes plans, and pairs each event connection with its command connection by the
connection number handed out in Init Command Ack (PROTOCOL.md, "Sequences").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..decode import encode
from ..decode.codes import PacketType
from ..protocol import FUJI_COMMAND_PORT, PTPIP_PORT
from .announce import Announcer
from .camera import Camera, PtpSession
from .faults import Fault
from .personalities import Behaviour, Personality
from .responder import (
    DEFAULT_CHUNK_SIZE,
    CommandResponder,
    Plan,
    ProtocolError,
    handshake_reply,
    parse_init_command_request,
    transaction_id,
)

log = logging.getLogger("ptpip_analyzer.simulator")
MAX_PACKET = 64 * 1024 * 1024
CAMERA_GUID = bytes.fromhex("5054504950534d0100000000000000a1")  # "PTPIPSM", fixed per run
DEFAULT_NAME = "PTPIP Simulator"  # ptpy 0.3.2 reads the Ack with recv(72): <= 19 characters


@dataclass(frozen=True, slots=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 15740
    event_port: int | None = None  # None: events on the command port, as standard PTP/IP
    name: str = DEFAULT_NAME
    faults: frozenset[Fault] = frozenset()
    fault_delay: float = 0.5
    chunk_size: int = DEFAULT_CHUNK_SIZE
    probe_interval: float = 0.0  # > 0: send Probe Requests on idle event connections
    guid: bytes = CAMERA_GUID  # the camera's GUID in Init Command Ack
    registered_guids: frozenset[bytes] | None = None  # None: any host; else Init Fail 1
    # > 0 with a separate event_port: that port opens this long after the first Ack (THETA)
    event_port_delay: float = 0.0
    # > 0: announce the camera (SSDP / mDNS unicast to 127.0.0.1: announce.py) at start and
    # then every this many seconds; its personality says what it announces
    announce_interval: float = 0.0


def camera_config(who: Personality | None, port: int | None = None,
                  registered: Iterable[bytes] = (), **config: Any) -> ServerConfig:
    """The simulator as camera ``who`` (None: the plain simulator): its Init Command Ack name
    (unless ``config`` gives one) and GUID; its own command port when ``port`` is None (Fuji's
    for a Fuji-framed camera, which the analyzer knows by its ports; PTP/IP's else); and, for
    a camera that pairs, the host GUIDs it accepts (``registered``; others get Init Fail)."""
    if who is None:
        return ServerConfig(port=PTPIP_PORT if port is None else port, **config)
    own = FUJI_COMMAND_PORT if who.fuji_framing else PTPIP_PORT
    pairs = Behaviour.REGISTERED_GUID_ONLY in who.behaviours
    config.setdefault("name", who.ack_name)
    return ServerConfig(port=own if port is None else port, guid=who.guid,
                        registered_guids=frozenset(registered) if pairs else None, **config)


class ConnectionClosed(Exception):
    """The peer closed (or we reset) the connection."""


async def read_packet(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    try:
        length, ptype = struct.unpack("<II", await reader.readexactly(8))
        if not 8 <= length <= MAX_PACKET:
            raise ProtocolError(f"packet length {length}")
        return ptype, await reader.readexactly(length - 8)
    except (asyncio.IncompleteReadError, ConnectionError) as exc:
        raise ConnectionClosed() from exc


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST rather than FIN: SO_LINGER on with a zero timeout, then abort."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@dataclass(slots=True)
class _Initiator:
    """One initiator's pair of connections, known by its connection number."""

    number: int
    peer: str
    events: asyncio.StreamWriter | None = None
    event_closed: asyncio.Event = field(default_factory=asyncio.Event)


class Simulator:
    def __init__(self, camera: Camera, config: ServerConfig) -> None:
        self.camera = camera
        self.config = config
        self.initiators: dict[int, _Initiator] = {}
        self.next_number = 1
        self.servers: list[asyncio.Server] = []
        self.ports: list[int] = []
        self.tasks: set[asyncio.Task[None]] = set()  # held so they are not collected early
        self.announcer: Announcer | None = None

    async def start(self) -> None:
        await self._listen(self.config.port)
        if self._separate_event_port() and not self.config.event_port_delay:
            await self._listen(self.config.event_port or 0)
        log.info("listening on %s port(s) %s", self.config.host, self.ports)
        if self.config.announce_interval > 0 and self.camera.personality is not None:
            self.announcer = Announcer(self.camera.personality, self.ports[0])
            await self.announcer.start()
            self._spawn(self._announce_forever())

    async def _announce_forever(self) -> None:
        assert self.announcer is not None
        while True:
            sent = self.announcer.announce()
            log.info("announced %s: %d message(s) to 127.0.0.1", self.announcer.who.name, sent)
            await asyncio.sleep(self.config.announce_interval)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _separate_event_port(self) -> bool:
        return self.config.event_port not in (None, self.config.port)

    async def _listen(self, port: int) -> None:
        server = await asyncio.start_server(self._on_connect, self.config.host, port)
        self.servers.append(server)
        self.ports.append(server.sockets[0].getsockname()[1])

    async def _open_event_port_late(self) -> None:
        """Ricoh THETA (ptpip.c): the event port refuses connections just after the Ack."""
        if len(self.servers) > 1 or not self._separate_event_port():
            return
        await asyncio.sleep(self.config.event_port_delay)
        if len(self.servers) == 1:
            await self._listen(self.config.event_port or 0)
            log.info("event port %s open", self.config.event_port)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        if self.announcer is not None:
            await self.announcer.close()
        for server in self.servers:
            server.close()
        for initiator in list(self.initiators.values()):
            if initiator.events is not None:
                initiator.events.close()
        for server in self.servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)

    async def _on_connect(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        host, port = writer.get_extra_info("peername")[:2]
        peer = f"{host}:{port}"
        try:
            ptype, payload = await read_packet(reader)
            if ptype == PacketType.INIT_COMMAND_REQUEST:
                await self._command(reader, writer, payload, peer)
            elif ptype == PacketType.INIT_EVENT_REQUEST:
                await self._event(reader, writer, payload, peer)
            else:
                log.warning("%s: first packet has type %d; closing", peer, ptype)
        except ConnectionClosed:
            pass
        except ProtocolError as exc:
            log.warning("%s: %s; closing", peer, exc)
        finally:
            writer.close()

    async def _command(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       payload: bytes, peer: str) -> None:
        request = parse_init_command_request(payload)
        number = self.next_number
        self.next_number += 1
        reply = handshake_reply(request, self.config.faults, number, self.config.guid,
                                self.config.name, self.config.registered_guids)
        writer.write(reply)
        await writer.drain()
        if reply[4] == PacketType.INIT_FAIL:
            log.info("%s: refused initiator %r GUID %s (Init Fail)", peer, request.name,
                     request.guid.hex())
            return
        if self.config.event_port_delay:
            self._spawn(self._open_event_port_late())
        log.info("%s: command connection %d from %r", peer, number, request.name)
        initiator = _Initiator(number, peer)
        self.initiators[number] = initiator
        try:
            await _CommandLoop(self, initiator, reader, writer).run()
        finally:
            self.initiators.pop(number, None)
            if initiator.events is not None:
                initiator.events.close()
            log.info("%s: command connection %d closed", peer, number)

    async def _event(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     payload: bytes, peer: str) -> None:
        number = transaction_id(payload)
        initiator = self.initiators.get(number)
        if initiator is None or initiator.events is not None:
            log.info("%s: event connection for unknown number %d: Init Fail", peer, number)
            writer.write(encode.init_fail(3))
            await writer.drain()
            return
        initiator.events = writer
        writer.write(encode.init_event_ack())
        await writer.drain()
        log.info("%s: event connection %d", peer, number)
        await self._event_loop(reader, writer)
        initiator.event_closed.set()

    async def _event_loop(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                ptype, _ = await self._read_or_probe(reader, writer)
            except ConnectionClosed:
                return
            if ptype == PacketType.PROBE_REQUEST:
                writer.write(encode.probe_response())
                with contextlib.suppress(ConnectionError):
                    await writer.drain()

    async def _read_or_probe(self, reader: asyncio.StreamReader,
                             writer: asyncio.StreamWriter) -> tuple[int, bytes]:
        interval = self.config.probe_interval
        while interval > 0:
            try:
                return await asyncio.wait_for(read_packet(reader), interval)
            except TimeoutError:
                writer.write(encode.probe_request())
                try:
                    await writer.drain()
                except ConnectionError as exc:  # gphoto2 resets it, unread probes pending
                    raise ConnectionClosed() from exc
        return await read_packet(reader)


class _CommandLoop:
    """Reads a command connection and executes the responder's plans."""

    def __init__(self, simulator: Simulator, initiator: _Initiator,
                 reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        config = simulator.config
        self.initiator = initiator
        self.reader, self.writer = reader, writer
        self.responder = CommandResponder(PtpSession(simulator.camera), config.faults,
                                          config.fault_delay, config.chunk_size)
        self.queue: asyncio.Queue[tuple[int, bytes] | Plan | None] = asyncio.Queue()

    async def run(self) -> None:
        reading = asyncio.create_task(self._read())
        try:
            while (item := await self.queue.get()) is not None:
                plan = self.responder.receive(*item) if isinstance(item, tuple) else item
                if plan is not None:
                    await self._execute(plan)
        except (ConnectionClosed, ConnectionError):
            pass
        finally:
            reading.cancel()

    async def _read(self) -> None:
        """Reads ahead so that a Cancel is seen while a data phase is still being sent."""
        try:
            while True:
                ptype, payload = await read_packet(self.reader)
                if ptype == PacketType.CANCEL:
                    plan = self.responder.cancel(transaction_id(payload))
                    log.info("%s: Cancel for tid %d", self.initiator.peer, transaction_id(payload))
                    if plan is not None:
                        self.queue.put_nowait(plan)
                else:
                    self.queue.put_nowait((ptype, payload))
        except (ConnectionClosed, ProtocolError):
            self.queue.put_nowait(None)

    async def _execute(self, plan: Plan) -> None:
        if plan.delay:
            await asyncio.sleep(plan.delay)
        cancelled = await self._send_data(plan) if plan.data is not None else False
        self.writer.write(plan.cancelled_response if cancelled else plan.response)
        await self.writer.drain()
        if plan.log:
            suffix = " [cancelled: data phase cut short]" if cancelled else ""
            log.info("%s conn %d: %s%s", self.initiator.peer, self.initiator.number,
                     plan.log, suffix)
        await self._send_events(plan)

    async def _send_data(self, plan: Plan) -> bool:
        """Sends the data phase; True if a Cancel stopped it."""
        assert plan.data is not None
        for index, packet in enumerate(plan.data.packets):
            if index == plan.data.reset_at:
                log.info("%s conn %d: %s [fault reset-mid-transfer]", self.initiator.peer,
                         self.initiator.number, plan.log)
                reset(self.writer)
                raise ConnectionClosed()
            if self.responder.is_cancelled(plan.transaction_id):
                return True
            self.writer.write(packet)
            await self.writer.drain()
            await asyncio.sleep(0)  # let the reader see a Cancel between packets
        return False

    async def _send_events(self, plan: Plan) -> None:
        events = self.initiator.events
        if events is None:
            return
        for packet in plan.events:
            events.write(packet)
        if plan.drop_event:
            log.info("%s conn %d: dropping the event connection [fault drop-event]",
                     self.initiator.peer, self.initiator.number)
            events.close()
            self.initiator.events = None
        with contextlib.suppress(ConnectionError):
            await events.drain()
