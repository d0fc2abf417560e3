"""The whole pipeline on the shipped synthetic captures: packets, pathologies, accounting."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ptpip_analyzer.engine import DissectOptions, dissect_file
from ptpip_analyzer.model import Gap, Malformed, Packet, Role

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
SYNTHETIC = CAPTURES / "synthetic"
ALL = sorted(p for p in CAPTURES.rglob("*") if p.suffix in (".pcap", ".pcapng")
             and "hostile" not in p.parts)  # captures/hostile: tests/test_hostile_captures.py


def records(path: Path, **options: object) -> list:
    return [r for _, r in dissect_file(path, DissectOptions(**options)).records()]  # type: ignore


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_stream_byte_is_accounted_for(path: Path) -> None:
    dissection = dissect_file(path)
    for _ in dissection.records():
        pass
    assert dissection.accounting, "no PTP/IP stream found"
    for key, books in dissection.accounting.items():
        assert books.balanced, (key, books)


def test_clean_session_decodes_every_packet_once() -> None:
    got = records(SYNTHETIC / "basic-ethernet.pcap")
    assert all(isinstance(r, Packet) for r in got)
    types = Counter(r.ptype for r in got)
    assert types == Counter({6: 5, 7: 5, 9: 3, 10: 3, 12: 3, 1: 1, 2: 1, 3: 1, 4: 1, 8: 1,
                             13: 1, 14: 1})
    obj = [r for r in got if r.ptype in (10, 12) and r.transaction_id == 3]
    assert sum(r.data_length for r in obj) == 200_000


@pytest.mark.parametrize("name", ["reorder-retransmit-ipv6-sll2.pcapng",
                                  "wraparound-two-interfaces.pcapng",
                                  "heuristic-port-loop.pcap", "simple-packet-blocks.pcapng"])
def test_damaged_or_unusual_transport_gives_the_clean_packet_sequence(name: str) -> None:
    got = records(SYNTHETIC / name)
    assert all(isinstance(r, Packet) for r in got)
    by_stream = Counter((r.stream, r.ptype) for r in got)
    assert by_stream[(0, 6)] == 5 and by_stream[(0, 7)] == 5 and by_stream[(1, 8)] == 1


def test_reordered_stream_matches_the_clean_one_field_by_field() -> None:
    clean = records(SYNTHETIC / "basic-ethernet.pcap")
    messy = records(SYNTHETIC / "reorder-retransmit-ipv6-sll2.pcapng")
    key = lambda r: (r.stream, r.direction, r.offset, r.length, r.ptype, r.transaction_id,
                     r.code, r.params, r.data_length)
    assert sorted(map(key, clean)) == sorted(map(key, messy))


def test_roles_and_initiator_are_found() -> None:
    d = dissect_file(SYNTHETIC / "heuristic-port-loop.pcap")
    list(d.records())
    assert [(c.role, c.responder.port) for c in d.connections] == \
        [(Role.COMMAND, 55555), (Role.EVENT, 55556)]


def test_heuristics_off_finds_nothing_on_other_ports() -> None:
    assert records(SYNTHETIC / "heuristic-port-loop.pcap", heuristics=False) == []
    assert records(SYNTHETIC / "heuristic-port-loop.pcap", heuristics=False,
                   ports=frozenset({55555, 55556}))


def test_lost_segments_become_exact_gaps_and_framing_keeps_step() -> None:
    got = records(SYNTHETIC / "loss-midstream-vlan.pcap")
    gaps = [r for r in got if isinstance(r, Gap)]
    assert len(gaps) == 6 and {g.reason.split(" ")[0] for g in gaps} == {"frame", "bytes"}
    assert not [r for r in got if isinstance(r, Malformed) and r.stream == 1]
    damaged = [r for r in got if isinstance(r, Packet) and r.missing]
    assert damaged and all(r.ptype == 10 for r in damaged)
    assert sum(g.length for g in gaps) == sum(r.missing for r in damaged)


def test_bad_length_fields_are_malformed_with_offsets() -> None:
    got = records(SYNTHETIC / "bad-lengths-null.pcap")
    bad = [r for r in got if isinstance(r, Malformed)]
    assert [(r.offset, r.length) for r in bad if r.direction == 1] == [(60, 8), (82, 11),
                                                                        (143, 48)]
    responses = [r.transaction_id for r in got if isinstance(r, Packet) and r.ptype == 7]
    assert responses == [0, 1, 2]


def test_non_ptpip_traffic_on_the_port_is_reported_malformed() -> None:
    got = records(SYNTHETIC / "not-ptpip-raw.pcap")
    assert got and all(isinstance(r, Malformed) for r in got)


def test_out_of_order_limit_turns_held_bytes_into_gaps() -> None:
    d = dissect_file(SYNTHETIC / "reorder-retransmit-ipv6-sll2.pcapng",
                     DissectOptions(max_pending=1000))
    got = [r for _, r in d.records()]
    assert any(isinstance(r, Gap) for r in got)
    assert all(books.balanced for books in d.accounting.values())


def test_capture_starting_inside_a_data_packet_resynchronises(tmp_path: Path) -> None:
    from ptpip_analyzer.sources import pcap_writer as w
    from ptpip_analyzer.sources import synthetic as syn

    s = syn.basic_session()
    first_data = next(i for i, seg in enumerate(s.command.segments)
                      if len(seg.payload) == 1448 and not seg.from_client)
    s.command.segments = s.command.segments[first_data + 3:]  # 3 segments into GetObject's data
    path = tmp_path / "midstream.pcap"
    packets = sorted(s.command.ip_packets(), key=lambda p: p[0])
    with open(path, "wb") as f:
        w.write_pcap(f, w.frames_for(packets, w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)
    d = dissect_file(path)
    got = [r for _, r in d.records()]
    camera = [r for r in got if r.direction == 1]
    assert isinstance(camera[0], Malformed) and "no SYN" in camera[0].reason
    assert [r.ptype for r in camera[1:]] == [10, 10, 12, 7, 7]  # type: ignore[union-attr]
    assert all(books.balanced for books in d.accounting.values())


def test_capture_of_one_direction_reports_the_other_as_gaps(camera_only_capture: Path) -> None:
    d = dissect_file(camera_only_capture)
    got = [r for _, r in d.records()]
    host_side = [r for r in got if r.direction == 0]
    assert host_side and all(isinstance(r, Gap) for r in host_side)
    # every byte the host sent (Init request and five operation requests) is a gap, plus the
    # sequence number of its FIN, which no captured segment shows to be a FIN
    assert sum(r.length for r in host_side) == 78 + 38 + 30 + 30 + 22 + 18 + 1
    assert all(books.balanced for books in d.accounting.values())
