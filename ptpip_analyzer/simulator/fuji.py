"""Fujifilm X's own PTP/IP variant for the ``fujifilm-x`` personality (gphoto2 "Fuji X (WLAN)").

Layout from libgphoto2 camlibs/ptp2/fujiptpip.c (libgphoto2-2_5_30-release); the wire facts
(magic, container header and types, ports) are the analyzer's (framing_fuji.py, protocol.py),
imported, not copied:
  * three TCP ports: commands and data (55740), events (55741), live-view JPEGs (55742); the
    event and JPEG connections carry no handshake and are opened after InitiateOpenCapture;
  * the command connection starts with a PTP/IP Init Command Request (82 bytes from 2.5.30,
    28 + the name from later libgphoto2; magic 0x8F53E4F2 at offset 8, GUID at 12, UCS-2 host
    name at 28), answered with an
    ordinary PTP/IP Init Command Ack. libgphoto2 2.5.30's connect loop sends that request
    **twice** on success (``while (connect_tries < 2)``): each one gets its Ack;
  * then USB-style containers: u32 length (header included), u16 type (1 command, 2 data,
    3 response, 4 event), u16 code, u32 transaction id, parameters or data; no Start/End
    Data: the whole data phase is one data container, before the response.
PTP semantics are the shared ``PtpSession``'s (camera.py); only the framing lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct

from ..decode import encode
from ..framing_fuji import CONTAINER_HEADER, FUJI_MAGIC, INIT_NAME_OFFSET, ContainerType
from ..protocol import HEADER, PacketType
from ..validate.data_direction import DataDirection, expected_data_direction
from .announce import Announcer
from .camera import Camera, PtpSession, Request
from .server import ConnectionClosed, ServerConfig, Simulator, log

MAX_CONTAINER = 64 * 1024 * 1024
_HEAD = CONTAINER_HEADER


def container(kind: int, code: int, tid: int, body: bytes = b"") -> bytes:
    return _HEAD.pack(_HEAD.size + len(body), kind, code, tid) + body


def parameters(params: tuple[int, ...]) -> bytes:
    return struct.pack(f"<{len(params)}I", *params)


async def read_unit(reader: asyncio.StreamReader) -> bytes:
    """One length-prefixed unit (Init request or container), header included."""
    try:
        head = await reader.readexactly(4)
        (length,) = struct.unpack("<I", head)
        if not 8 <= length <= MAX_CONTAINER:
            raise ConnectionClosed()
        return head + await reader.readexactly(length - 4)
    except (asyncio.IncompleteReadError, ConnectionError) as exc:
        raise ConnectionClosed() from exc


def is_init_request(unit: bytes) -> bool:
    """A PTP/IP Init Command Request with Fuji's magic (any length that holds the name)."""
    return (len(unit) >= INIT_NAME_OFFSET
            and HEADER.unpack_from(unit)[1] == PacketType.INIT_COMMAND_REQUEST
            and struct.unpack_from("<I", unit, HEADER.size)[0] == FUJI_MAGIC)


class FujiSimulator:
    """The three Fuji listeners; same ``start``/``close``/``ports`` as ``Simulator``."""

    def __init__(self, camera: Camera, config: ServerConfig) -> None:
        self.camera, self.config = camera, config
        self.servers: list[asyncio.Server] = []
        self.ports: list[int] = []
        self.events: list[asyncio.StreamWriter] = []
        self.next_number = 1
        self.announcer: Announcer | None = None  # Fuji announces nothing (no source)

    async def start(self) -> None:
        base = self.config.port
        handlers = (self._command, self._event, self._jpeg)
        for offset, handler in enumerate(handlers):
            server = await asyncio.start_server(handler, self.config.host, base + offset)
            self.servers.append(server)
            self.ports.append(server.sockets[0].getsockname()[1])
        log.info("Fuji listening on %s ports %s", self.config.host, self.ports)

    async def close(self) -> None:
        for server in self.servers:
            server.close()
        for writer in self.events:
            writer.close()
        for server in self.servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 1.0)

    async def _command(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = PtpSession(self.camera)
        try:
            while True:
                unit = await read_unit(reader)
                if is_init_request(unit):
                    writer.write(self._ack())
                else:
                    writer.write(await self._transaction(reader, session, unit))
                await writer.drain()
        except (ConnectionClosed, ConnectionError):
            pass
        finally:
            writer.close()

    def _ack(self) -> bytes:
        number, self.next_number = self.next_number, self.next_number + 1
        return encode.init_command_ack(number, self.config.guid, self.config.name)

    async def _transaction(self, reader: asyncio.StreamReader, session: PtpSession,
                           unit: bytes) -> bytes:
        _, kind, code, tid = _HEAD.unpack_from(unit)
        if kind != ContainerType.COMMAND or (len(unit) - _HEAD.size) % 4:
            raise ConnectionClosed()
        params = struct.unpack_from(f"<{(len(unit) - _HEAD.size) // 4}I", unit, _HEAD.size)
        data = None
        if session.expects_data(code):  # its data container follows the command
            incoming = await read_unit(reader)
            data = incoming[_HEAD.size:]
        reply = session.handle(Request(code, tid, tuple(params), data))
        payload = reply.data
        if payload is None and expected_data_direction(code) is DataDirection.IN:
            # fujiptpip.c's getdata reads one container whatever it is: an error answer
            # without data would be taken for the data and the response never read, so the
            # simulator sends an empty data container first (how a real camera answers is
            # not sourced)
            payload = b""
        out = b"" if payload is None else container(ContainerType.DATA, code, tid, payload)
        for event in reply.events:
            self._send_event(container(ContainerType.EVENT, event.code, event.transaction_id,
                                       parameters(event.params)))
        return out + container(ContainerType.RESPONSE, reply.code, tid, parameters(reply.params))

    def _send_event(self, unit: bytes) -> None:
        for writer in self.events:
            writer.write(unit)

    async def _event(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.events.append(writer)
        await self._hold(reader, writer)
        self.events.remove(writer)

    async def _jpeg(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._hold(reader, writer)  # live view is not simulated: the port only accepts

    @staticmethod
    async def _hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            await reader.read()  # until the initiator closes
        writer.close()


def simulator_for(camera: Camera, config: ServerConfig) -> Simulator | FujiSimulator:
    """Fuji's own framing for a personality that has it, standard PTP/IP (server.py) else."""
    fuji = camera.personality is not None and camera.personality.fuji_framing
    return FujiSimulator(camera, config) if fuji else Simulator(camera, config)
