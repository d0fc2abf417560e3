"""802.11 captures (plain and radiotap): a camera's own Wi-Fi seen by a sniffer."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources import synthetic as syn
from ptpip_analyzer.sources.capture_file import RawFrame
from ptpip_analyzer.sources.link import FrameStats, tcp_segments


def write(path: Path, linktype: int) -> None:
    s = syn.basic_session(object_size=30_000)
    packets = sorted(s.command.ip_packets() + s.event.ip_packets(), key=lambda p: p[0])
    with open(path, "wb") as f:
        w.write_pcap(f, w.frames_for(packets, linktype), linktype)


@pytest.mark.parametrize("linktype", [w.LINKTYPE_IEEE802_11, w.LINKTYPE_RADIOTAP])
def test_session_over_wifi_decodes_like_over_ethernet(tmp_path: Path, linktype: int) -> None:
    write(tmp_path / "eth.pcap", w.LINKTYPE_ETHERNET)
    write(tmp_path / "wifi.pcap", linktype)
    key = lambda p: [(r.frame, r.ptype, r.transaction_id, r.length)
                     for _, r in dissect_file(p).records()]
    assert key(tmp_path / "wifi.pcap") == key(tmp_path / "eth.pcap")


def test_encrypted_and_management_frames_are_counted_not_decoded() -> None:
    ip = w.ip_tcp("10.0.0.2", 5000, "10.0.0.1", 15740, 1, 1, 0x18, b"x")
    radiotap = struct.pack("<BBHI", 0, 0, 8, 0)
    beacon = radiotap + bytes([0x80, 0]) + bytes(34)
    frames = [RawFrame(127, 0.0, memoryview(radiotap + w.wifi_frame(ip, protected=True)), 99),
              RawFrame(127, 0.0, memoryview(beacon), 44),
              RawFrame(105, 0.0, memoryview(w.wifi_frame(ip, qos=False)), 99)]
    stats = FrameStats()
    segments = list(tcp_segments(frames, stats))
    assert [bytes(s.payload) for s in segments] == [b"x"]
    assert stats.encrypted == 1 and stats.non_tcp == 2
    assert stats.problems[0].kind == "encrypted"
