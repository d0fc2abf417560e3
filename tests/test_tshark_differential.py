"""Differential test against real tshark on every shipped capture.

For each frame tshark's ptpip dissector decodes, its first PTP/IP packet is compared field by
field with ours at the same stream position. Known tshark limitations we differ from on
purpose (each checked, not just tolerated):
  * NO_REASSEMBLY: tshark decodes every TCP segment as if it started a PTP/IP packet, so the
    continuation segments of a packet spanning segments come out as bogus packets. We check
    that such a segment's first byte lies inside a packet (or region) we decoded.
  * FIRST_ONLY: tshark shows only the first PTP/IP packet of a segment; we decode all of them
    (the rest are covered by tests/test_pipeline.py).
  * RESPCODE_AS_OPCODE: tshark 4.0 files an Operation Response's code under ptpip.opcode and
    leaves ptpip.respcode empty; we compare our response code with whichever it filled.
  * Heuristic ports: tshark only looks at port 15740; we also find PTP/IP by its Init requests.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.model import Direction, Packet

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
ALL = sorted(p for p in CAPTURES.rglob("*") if p.suffix in (".pcap", ".pcapng")
             and "hostile" not in p.parts)  # captures/hostile: tests/test_hostile_captures.py
# Captures whose damage (gaps, bad lengths, non-PTP bytes) makes malformed regions expected.
DAMAGED = {"bad-lengths-null.pcap", "not-ptpip-raw.pcap", "loss-midstream-vlan.pcap",
           "fault-reset-mid-transfer.pcapng"}
FIELDS = ["frame.number", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "ptpip.len",
          "ptpip.pktType", "ptpip.transactionID", "ptpip.opcode", "ptpip.respcode",
          "ptpip.eventcode", "ptpip.connection", "ptpip.name", "ptpip.guid", "ptpip.version",
          "ptpip.datalen", "ptpip.phaseinfo", "ptpip.opcode.param.sessionid"]


def tshark_rows(path: Path, ports: set[int]) -> list[dict[str, str]]:
    """tshark's first PTP/IP packet per frame; ``ports`` are decoded as PTP/IP too (Decode As),
    since tshark only looks at 15740 and our loopback corpus uses free ports."""
    tshark = shutil.which("tshark")
    assert tshark, "MISSING TOOL: tshark (apt package tshark; scripts/setup.sh installs it)"
    decode_as = [a for port in sorted(ports - {15740}) for a in ("-d", f"tcp.port=={port},ptpip")]
    cmd = [tshark, "-r", str(path), *decode_as, "-Y", "ptpip", "-T", "fields",
           "-E", "occurrence=f", "-E", "separator=\t"] + [a for f in FIELDS for a in ("-e", f)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]


def _int(value: str) -> int | None:
    return int(value, 0) if value else None


def our_view(path: Path) -> tuple[dict, dict, list]:
    """Our packets by (src port, dst port, seq mod 2^32); each direction's covered ranges."""
    dissection = dissect_file(path)
    pairs = list(dissection.records())
    assert dissection.dissector is not None
    bases = {}
    for flow in dissection.dissector.flows._live_flows():
        conn = flow.connection
        assert conn is not None
        if conn.variant == "fuji":  # tshark has no dissector for Fuji's framing
            continue
        for direction, half in enumerate(flow.halves):
            src, dst = conn.endpoints(Direction(direction))
            bases[(src.port, dst.port)] = half.base
    packets, spans = {}, []
    for conn, record in pairs:
        src, dst = conn.endpoints(record.direction)
        if (src.port, dst.port) not in bases:
            continue
        base = bases[(src.port, dst.port)]
        seq = (base + record.offset) & 0xFFFFFFFF
        spans.append((src.port, dst.port, seq, record.length, isinstance(record, Packet)))
        if isinstance(record, Packet):
            packets[(src.port, dst.port, seq)] = record
    return packets, bases, spans


def covering(spans: list, sport: int, dport: int, seq: int) -> bool | None:
    """Whether the record holding this stream position is a decoded packet (None: no record)."""
    return next((is_packet for s, d, start, length, is_packet in spans
                 if s == sport and d == dport and (seq - start) & 0xFFFFFFFF < length), None)


def compare(row: dict[str, str], ours: Packet) -> list[str]:
    """Field-by-field disagreements between a tshark row and our packet."""
    diffs = []
    if ours.ptype == 7 and not row["ptpip.respcode"]:  # RESPCODE_AS_OPCODE
        row = {**row, "ptpip.respcode": row["ptpip.opcode"], "ptpip.opcode": ""}
    expected = {
        "ptpip.len": ours.length, "ptpip.pktType": ours.ptype,
        "ptpip.transactionID": ours.transaction_id,
        "ptpip.opcode": ours.code if ours.ptype == 6 else None,
        "ptpip.respcode": ours.code if ours.ptype == 7 else None,
        "ptpip.eventcode": ours.code if ours.ptype == 8 else None,
        "ptpip.connection": ours.connection_number,
        "ptpip.datalen": ours.data_length if ours.ptype == 9 else None,
        "ptpip.phaseinfo": ours.data_phase,
        "ptpip.opcode.param.sessionid": ours.params[0] if ours.code == 0x1002 and ours.ptype == 6
        and ours.params else None,
    }
    for field, value in expected.items():
        if _int(row[field]) != value:
            diffs.append(f"{field}: tshark {row[field]!r} ours {value!r}")
    if ours.ptype in (1, 2):
        version = f"{ours.version >> 16}.{ours.version & 0xFFFF}" if ours.version else ""
        for field, value in (("ptpip.name", ours.name or ""), ("ptpip.version", version),
                             ("ptpip.guid", (ours.guid or b"").hex())):
            if row[field].replace(":", "") != value:
                diffs.append(f"{field}: tshark {row[field]!r} ours {value!r}")
    return diffs


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_packet_tshark_decodes_whole_agrees_with_ours(path: Path) -> None:
    packets, bases, spans = our_view(path)
    disagreements, compared, continuation = [], 0, 0
    for row in tshark_rows(path, {port for pair in bases for port in pair}):
        sport, dport, seq = int(row["tcp.srcport"]), int(row["tcp.dstport"]), \
            int(row["tcp.seq_raw"])
        ours = packets.get((sport, dport, seq))
        if ours is None:
            # NO_REASSEMBLY: a segment that doesn't start a packet of ours. Its first byte must
            # lie inside one of our records, and on undamaged captures inside a decoded packet
            # (whose fields the capture's scripted content checks in tests/test_pipeline.py).
            inside = covering(spans, sport, dport, seq)
            assert inside is not None or (sport, dport) not in bases, \
                f"frame {row['frame.number']}: tshark decodes a packet where we have nothing"
            if path.name not in DAMAGED:
                assert inside is not False, f"frame {row['frame.number']}: inside malformed bytes"
            continuation += 1
            continue
        compared += 1
        disagreements += [f"frame {row['frame.number']}: {d}" for d in compare(row, ours)]
    assert not disagreements, "\n".join(disagreements)
    if "not-ptpip" not in path.name and bases:  # bases empty: only Fuji-framed connections
        assert compared > 0
