"""Fujifilm's variant (ports 55740-55742): a session written with our capture writer."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

from ptpip_analyzer.decode import encode_ptp as enc
from ptpip_analyzer.decode.annotate import annotate
from ptpip_analyzer.decode.dataset_types import DeviceInfo
from ptpip_analyzer.decode.datasets import Decoded
from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.framing_fuji import FUJI_MAGIC
from ptpip_analyzer.model import Gap, Malformed, Packet
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
