#!/usr/bin/env python3
"""Re-make captures/synthetic/: scripted PTP/IP sessions with transport pathologies on purpose.

    python3 scripts/make_synthetic_captures.py [--out captures/synthetic]

Deterministic (fixed seeds): running it again gives byte-identical files.
See captures/README.md for what each file holds.
"""

from __future__ import annotations

import argparse
import random
import struct
from collections.abc import Callable
from pathlib import Path

from ptpip_analyzer.decode import encode
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources import synthetic as syn

ROOT = Path(__file__).resolve().parent.parent


def _packets(convs: list[w.TcpConversation]) -> list[tuple[float, bytes]]:
    return sorted((p for c in convs for p in c.ip_packets()), key=lambda p: p[0])


def basic_ethernet(out: Path) -> None:
    s = syn.basic_session()
    with open(out / "basic-ethernet.pcap", "wb") as f:
        w.write_pcap(f, w.frames_for(_packets([s.command, s.event]), w.LINKTYPE_ETHERNET),
                     w.LINKTYPE_ETHERNET)


def reorder_retransmit(out: Path) -> None:
    s = syn.basic_session(host="2001:db8::10", camera="2001:db8::1", mss=1200)
    rng = random.Random(7)
    segs = syn.reorder(s.command.segments, rng, swaps=40)
    segs = syn.retransmit(segs, rng, count=15)
    segs = syn.retransmit(segs, rng, count=10, overlap=True)
    s.command.segments = segs
    frames = w.frames_for(_packets([s.command, s.event]), w.LINKTYPE_SLL2)
    with open(out / "reorder-retransmit-ipv6-sll2.pcapng", "wb") as f:
        w.write_pcapng(f, [(0, fr) for fr in frames], [w.Interface(w.LINKTYPE_SLL2, tsresol=9)])


def loss_midstream(out: Path) -> None:
    s = syn.basic_session(object_size=150_000)
    s.command.segments = syn.drop(s.command.segments[3:], [0, 30, 31, 60])[6:]
    s.event.segments = s.event.segments[:]
    frames = w.frames_for(_packets([s.command, s.event]), w.LINKTYPE_ETHERNET, vlan=42)
    for fr in frames[40:44]:  # snaplen cut: the capture kept only the first 200 bytes
        fr.wire_length, fr.data = len(fr.data), fr.data[:200]
    with open(out / "loss-midstream-vlan.pcap", "wb") as f:
        w.write_pcap(f, frames, w.LINKTYPE_ETHERNET, nanosecond=True, big_endian=True)


def bad_lengths(out: Path) -> None:
    conv = w.TcpConversation(("10.0.0.2", 40000), ("10.0.0.1", 15740))
    conv.handshake()
    conv.send(True, encode.init_command_request(syn.GUID, "bad lengths host"))
    conv.send(False, encode.init_command_ack(7, syn.CAMERA_GUID, "Broken Camera"))
    conv.send(True, encode.operation_request(0x1002, 0, [1]))
    conv.send(False, struct.pack("<II", 0, 7) + encode.operation_response(0x2001, 0))
    conv.send(True, encode.operation_request(0x1001, 1))
    conv.send(False, struct.pack("<II", 7, 9) + b"\x01\x02\x03" + encode.start_data(1, 4)
              + encode.end_data(1, b"abcd") + encode.operation_response(0x2001, 1))
    conv.send(True, encode.operation_request(0x1004, 2))
    conv.send(False, struct.pack("<II", 0xFFFFFFFF, 10) + bytes(40)
              + encode.operation_response(0x2002, 2))
    conv.send(True, encode.operation_request(0x1003, 3) + b"\x00\x01\x02")  # trailing junk
    conv.finish(reset=True)
    with open(out / "bad-lengths-null.pcap", "wb") as f:
        w.write_pcap(f, w.frames_for(_packets([conv]), w.LINKTYPE_NULL), w.LINKTYPE_NULL)


def not_ptpip(out: Path) -> None:
    conv = w.TcpConversation(("127.0.0.1", 43210), ("127.0.0.1", 15740))
    conv.handshake()
    conv.send(True, b"GET / HTTP/1.1\r\nHost: camera\r\n\r\n")
    conv.send(False, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    conv.finish()
    with open(out / "not-ptpip-raw.pcap", "wb") as f:
        w.write_pcap(f, w.frames_for(_packets([conv]), w.LINKTYPE_RAW), w.LINKTYPE_RAW)


def wraparound_multi_interface(out: Path) -> None:
    s = syn.basic_session(client_isn=0xFFFFFF00, object_size=120_000)
    s.command.server_isn = 0
    cmd = _packets([s.command])
    evt = _packets([s.event])
    frames = [(0, fr) for fr in w.frames_for(cmd, w.LINKTYPE_ETHERNET, vlan=7)]
    frames += [(1, fr) for fr in w.frames_for(evt, w.LINKTYPE_SLL)]
    frames.sort(key=lambda item: item[1].time)
    ifaces = [w.Interface(w.LINKTYPE_ETHERNET), w.Interface(w.LINKTYPE_SLL, tsresol=9)]
    with open(out / "wraparound-two-interfaces.pcapng", "wb") as f:
        w.write_pcapng(f, frames, ifaces, big_endian=True)


def other_port(out: Path) -> None:
    s = syn.basic_session(object_size=30_000)
    for conv, port in ((s.command, 55555), (s.event, 55556)):
        conv.server = (conv.server[0], port)
    with open(out / "heuristic-port-loop.pcap", "wb") as f:
        w.write_pcap(f, w.frames_for(_packets([s.command, s.event]), w.LINKTYPE_LOOP),
                     w.LINKTYPE_LOOP)


def simple_blocks(out: Path) -> None:
    s = syn.basic_session(object_size=20_000)
    frames = w.frames_for(_packets([s.command, s.event]), w.LINKTYPE_ETHERNET)
    with open(out / "simple-packet-blocks.pcapng", "wb") as f:
        w.write_pcapng(f, [(0, fr) for fr in frames], [w.Interface(w.LINKTYPE_ETHERNET)],
                       simple=True)


MAKERS: list[Callable[[Path], None]] = [
    basic_ethernet, reorder_retransmit, loss_midstream, bad_lengths, not_ptpip,
    wraparound_multi_interface, other_port, simple_blocks,
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "captures" / "synthetic")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for make in MAKERS:
        make(args.out)
    print(f"wrote {len(MAKERS)} captures to {args.out}")


if __name__ == "__main__":
    main()
