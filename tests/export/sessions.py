"""Scripted sessions for export tests: object transfers with names chosen to hurt."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ptpip_analyzer.decode import encode
from ptpip_analyzer.decode.encode_ptp import ObjectInfo, object_info
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources.synthetic import CAMERA_GUID, GUID, jpeg_like

HOSTILE_NAMES = ("../../etc/passwd", "/abs/olute.JPG", "C:\\Windows\\evil.JPG", "CON",
                 "nul.txt", "bell\x07\nline.JPG", "..", "SAME.JPG", "same.JPG",
                 "rtl\u202egpj.exe", "manifest.json", "")


class Script:
    """A command connection (handshake, OpenSession) plus helpers to script transactions."""

    def __init__(self, mss: int = 1448) -> None:
        self.cmd = w.TcpConversation(("192.168.1.10", 50001), ("192.168.1.1", 15740), mss=mss)
        self.evt = w.TcpConversation(("192.168.1.10", 50002), ("192.168.1.1", 15740),
                                     client_isn=9000)
        self.tid = 0
        self.cmd.handshake()
        self.cmd.send(True, encode.init_command_request(GUID, "export test host"))
        self.cmd.send(False, encode.init_command_ack(1, CAMERA_GUID, "Export Camera"))
        self.evt.time = self.cmd.time
        self.evt.handshake()
        self.evt.send(True, encode.init_event_request(1))
        self.evt.send(False, encode.init_event_ack())
        self.cmd.time = self.evt.time
        self.transaction(0x1002, [1])

    def transaction(self, op: int, params: Sequence[int] = (), data_in: bytes | None = None,
                    data_out: bytes | None = None, response: int = 0x2001,
                    response_params: Sequence[int] = (), chunk: int = 65536) -> int:
        tid, self.tid = self.tid, self.tid + 1
        self.cmd.send(True, encode.operation_request(op, tid, list(params),
                                                     2 if data_out is not None else 1))
        for payload, from_client in ((data_out, True), (data_in, False)):
            if payload is not None:
                for pkt in encode.data_phase(tid, payload, chunk_size=chunk):
                    self.cmd.send(from_client, pkt)
        self.cmd.send(False, encode.operation_response(response, tid, list(response_params)))
        return tid

    def event(self, code: int, params: Sequence[int] = ()) -> None:
        self.evt.time = self.cmd.time
        self.evt.send(False, encode.event(code, 0xFFFFFFFF, list(params)))
        self.cmd.time = self.evt.time

    def save(self, path: Path) -> Path:
        self.cmd.finish()
        self.evt.finish()
        packets = sorted(self.cmd.ip_packets() + self.evt.ip_packets(), key=lambda p: p[0])
        with open(path, "wb") as out:
            w.write_pcapng(out, [(0, f) for f in w.frames_for(packets, w.LINKTYPE_ETHERNET)],
                           [w.Interface(w.LINKTYPE_ETHERNET)])
        return path


def info(name: str, size: int, thumb: int = 0) -> bytes:
    return object_info(ObjectInfo(0x10001, 0x3801, size, name, thumb_format=0x3808 if thumb
                                  else 0, thumb_compressed_size=thumb))


def hostile_capture(path: Path) -> tuple[Path, dict[int, bytes]]:
    """GetObjectInfo + GetObject per hostile name (handle 1..n); returns the objects by handle."""
    s = Script()
    objects = {}
    for handle, name in enumerate(HOSTILE_NAMES, start=1):
        data = jpeg_like(1000 + handle, handle)
        objects[handle] = data
        s.transaction(0x1008, [handle], data_in=info(name, len(data)))
        s.transaction(0x1009, [handle], data_in=data)
    return s.save(path), objects
