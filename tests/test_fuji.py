"""Fujifilm's variant (ports 55740-55742): a session written with our capture writer."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from ptpip_analyzer.decode import encode_ptp as enc
from ptpip_analyzer.decode.annotate import annotate
from ptpip_analyzer.decode.dataset_types import DeviceInfo
from ptpip_analyzer.decode.datasets import Decoded
from ptpip_analyzer.engine import Engine, EngineOptions, dissect_file
from ptpip_analyzer.framing_fuji import FUJI_MAGIC
from ptpip_analyzer.model import Gap, Malformed, Packet, Role
from ptpip_analyzer.sources import pcap_writer as w

GUID = bytes(range(16))
INFO = enc.DeviceInfo(0xE, "", [0x1001, 0x1002, 0x900C], [0x4002], [0xD212], [0x3801],
                      [0x3801], "FUJIFILM", "X-T4", "1.0", "123")


def init_request(name: str) -> bytes:
    """82 bytes: PTP/IP header (type 1), magic, GUID, UTF-16 name, version, zero padding."""
    body = struct.pack("<I", FUJI_MAGIC) + GUID + name.encode("utf-16-le") + b"\0\0" \
        + struct.pack("<HH", 0, 1)
    return struct.pack("<II", 82, 1) + body.ljust(74, b"\0")


def init_ack(conn: int, name: str) -> bytes:
    body = struct.pack("<I", conn) + GUID + name.encode("utf-16-le") + b"\0\0"
    return struct.pack("<II", 8 + len(body), 2) + body


def container(kind: int, code: int, tid: int, body: bytes = b"") -> bytes:
    return struct.pack("<IHHI", 12 + len(body), kind, code, tid) + body


def params(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def fuji_capture(write_pcap: Callable[..., Path]) -> Path:
    cmd = w.TcpConversation(("192.168.0.2", 50000), ("192.168.0.1", 55740), mss=64)
    evt = w.TcpConversation(("192.168.0.2", 50001), ("192.168.0.1", 55741))
    cmd.handshake()
    cmd.send(True, init_request("host"))
    cmd.send(False, init_ack(1, "X-T4"))
    cmd.send(True, container(1, 0x1002, 0, params(1)))
    cmd.send(False, container(3, 0x2001, 0))
    cmd.send(True, container(1, 0x1001, 1))
    cmd.send(False, container(2, 0x1001, 1, enc.device_info(INFO)))  # spans segments
    cmd.send(False, container(3, 0x2001, 1))
    evt.time = cmd.time
    evt.handshake()
    evt.send(False, container(4, 0x4002, 0, params(7)))
    cmd.finish()
    evt.finish()
    packets = sorted(cmd.ip_packets() + evt.ip_packets())
    return write_pcap(w.frames_for(packets, w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)


def test_fuji_session_decodes(write_pcap: Callable[..., Path]) -> None:
    dissection = dissect_file(fuji_capture(write_pcap))
    rows = list(annotate(dissection.records()))
    packets = [r for _, r, _ in rows if isinstance(r, Packet)]
    assert not [r for _, r, _ in rows if isinstance(r, Gap | Malformed)]
    assert [(p.ptype, p.code) for p in packets] == [
        (1, None), (2, None), (6, 0x1002), (7, 0x2001), (6, 0x1001), (12, None), (7, 0x2001),
        (8, 0x4002)]
    assert packets[0].name == "host" and packets[0].guid == GUID and packets[1].name == "X-T4"
    assert packets[2].params == (1,) and packets[7].params == (7,)
    dataset = next(a.dataset for _, _, a in rows if a.dataset is not None)
    assert isinstance(dataset, Decoded) and isinstance(dataset.value, DeviceInfo)
    assert dataset.value.model == "X-T4"
    assert rows[-1][2].vendor == "fuji"
    assert all(books.balanced for books in dissection.accounting.values())
    assert {c.variant for c in dissection.connections} == {"fuji"}


def test_bad_length_is_malformed_not_an_exception(write_pcap: Callable[..., Path]) -> None:
    cmd = w.TcpConversation(("192.168.0.2", 50000), ("192.168.0.1", 55740))
    cmd.handshake()
    cmd.send(True, init_request("host"))
    cmd.send(True, b"\x03\x00\x00\x00junkjunk")
    cmd.finish()
    path = write_pcap(w.frames_for(cmd.ip_packets(), w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)
    dissection = dissect_file(path)
    records = [r for _, r in dissection.records()]
    assert isinstance(records[0], Packet) and isinstance(records[-1], Malformed)
    assert all(books.balanced for books in dissection.accounting.values())


# -- validation: Fuji's own handshake rules (libgphoto2 camlibs/ptp2/fujiptpip.c) ----------------

REAL = Path(__file__).resolve().parent.parent / "captures" / "real" / "camera-fujifilm-x.pcapng"


def _validated(path: Path) -> tuple[Engine, list[str]]:
    engine = Engine(EngineOptions(annotate=False))
    engine.feed_bytes(path.read_bytes())
    engine.close()
    return engine, [f.rule for f in engine.findings]


def test_the_request_has_no_protocol_version_and_draws_no_note(
        write_pcap: Callable[..., Path]) -> None:
    """fujiptpip.c: offset 8 is ``fujiptpip_initcmd_protocolversion`` holding the magic; the
    PTP/IP version after the name is commented out (what follows the name is padding)."""
    records = [r for _, r in dissect_file(fuji_capture(write_pcap)).records()]
    request = records[0]
    assert isinstance(request, Packet) and request.ptype == 1
    assert (request.name, request.version) == ("host", None)
    _, rules = _validated(REAL)
    assert "PTPIP-HS-008" not in rules


def test_the_event_connection_has_no_handshake_and_joins_its_session(
        write_pcap: Callable[..., Path]) -> None:
    """The writer's session: an Event container on 55741 with no Init Event Request before it
    is the variant's event loop, not a connection whose handshake the capture missed."""
    engine, rules = _validated(fuji_capture(write_pcap))
    assert rules == ["PTPIP-QK-005"]  # only the one-container data phase (docs/quirks.md)
    [session] = engine.validator.session_list()  # type: ignore[union-attr]
    assert (session.command_stream, session.event_stream) == (0, 1)
    roles = {c.responder.port: c.role for c in engine.connections}
    assert roles == {55740: Role.COMMAND, 55741: Role.EVENT}


def test_gphoto2s_silent_event_connections_pair_with_their_own_sessions() -> None:
    """captures/real: three gphoto2 runs, each opening 55741 and 55742 after
    InitiateOpenCapture and sending nothing there; each event connection joins the session
    whose command connection was open when it opened (not the last one)."""
    engine, rules = _validated(REAL)
    assert sorted(set(rules)) == ["PTPIP-QK-005", "PTPIP-QK-006"]
    by_stream = {c.stream: c for c in engine.connections}
    sessions = engine.validator.session_list()  # type: ignore[union-attr]
    assert len(sessions) == 3
    for s in sessions:
        assert s.event_stream is not None
        command, event = by_stream[s.command_stream], by_stream[s.event_stream]
        assert event.responder.port == 55741 and event.initiator.address == \
            command.initiator.address
        later = [o for o in sessions if o.first_frame > s.first_frame]
        assert event.first_frame > s.first_frame
        assert all(event.first_frame < o.first_frame for o in later)


def test_validate_names_the_event_stream_of_every_fuji_session() -> None:
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "ptpip_analyzer", "validate", str(REAL)],
                          capture_output=True, text=True, timeout=60, check=False)
    headers = [line for line in done.stdout.splitlines() if line.startswith("Session ")]
    assert len(headers) == 3 and all("event stream" in h for h in headers), done.stdout
    assert "no event connection seen" not in done.stdout and "HS-008" not in done.stdout


def test_two_fuji_cameras_each_get_their_own_event_connection(
        write_pcap: Callable[..., Path]) -> None:
    """One host, two cameras: camera A's event connection opens after camera B's session
    began; it joins A's session (same camera), not the latest one."""
    host = "192.168.0.2"
    conversations = []
    for n, camera in enumerate(("192.168.0.1", "192.168.0.3")):
        cmd = w.TcpConversation((host, 50000 + n), (camera, 55740))
        cmd.time = 1.0 + n
        cmd.handshake()
        cmd.send(True, init_request("host"))
        cmd.send(False, init_ack(1 + n, f"X-T{4 + n}"))
        conversations.append(cmd)
    for n, camera in enumerate(("192.168.0.1", "192.168.0.3")):
        evt = w.TcpConversation((host, 51000 + n), (camera, 55741))
        evt.time = 5.0 + n  # both after the second session began
        evt.handshake()
        evt.finish()
        conversations.append(evt)
    for c in conversations[:2]:
        c.finish()
    packets = sorted(p for c in conversations for p in c.ip_packets())
    path = write_pcap(w.frames_for(packets, w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)
    engine, rules = _validated(path)
    assert rules == []
    by_stream = {c.stream: c for c in engine.connections}
    sessions = engine.validator.session_list()  # type: ignore[union-attr]
    assert len(sessions) == 2
    for s in sessions:
        assert s.event_stream is not None
        assert by_stream[s.event_stream].responder.address == \
            by_stream[s.command_stream].responder.address
