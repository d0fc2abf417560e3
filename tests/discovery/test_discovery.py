"""Discovery decoding on real bytes: the simulator announces itself (SSDP NOTIFY and the UPnP
description it serves, mDNS/DNS-SD) unicast on loopback, gphoto2 then opens a session, dumpcap
captures it all, and load()'s discovery table must link each message to that session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import ptpip_analyzer
from ptpip_analyzer.discovery import description, mdns, ssdp
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.camera import Camera
from ptpip_analyzer.simulator.harness import announced_session, free_port, loopback_capture
from ptpip_analyzer.simulator.personalities import PERSONALITIES
from ptpip_analyzer.simulator.profile import VENDORS
from ptpip_analyzer.sources.capture_file import open_frames
from ptpip_analyzer.sources.link import FrameStats, tcp_segments

# Fixed loopback ports (Fuji's 55740-55742, SSDP's 1900): these tests share one test worker
pytestmark = pytest.mark.xdist_group("fixed-ports")


def announced(name: str, directory: Path) -> Path:
    """Personality ``name`` announcing itself, its description fetched, gphoto2 --summary."""
    store = st.ObjectStore()
    st.generate(store, 1, 2000)
    capture = directory / f"{name}.pcapng"
    camera = Camera(VENDORS["generic"], store, personality=PERSONALITIES[name])
    run = announced_session(camera, free_port(), capture, directory / name)
    assert run.returncode == 0, run.output
    return capture


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    directory = tmp_path_factory.mktemp("discovery")
    yield {name: announced(name, directory) for name in ("sony-alpha", "nikon-z")}


def test_ssdp_and_the_description_link_to_the_session_by_uuid(captures: dict[str, Path]) -> None:
    cap = ptpip_analyzer.load(captures["sony-alpha"])
    who = PERSONALITIES["sony-alpha"]
    d = cap.discovery
    notify = d[d["protocol"] == "ssdp"]
    assert list(notify["service"]) == [f"uuid:{who.uuid}", *who.announcement.ssdp_types]
    assert set(notify["kind"]) == {"notify"} and set(notify["uuid"]) == {who.uuid}
    assert set(notify["server"]) == {who.announcement.ssdp_server}
    assert set(notify["dst"]) == {"127.0.0.1:1900"}  # unicast on loopback, never multicast
    [doc] = d[d["protocol"] == "upnp-description"].itertuples()
    assert (doc.manufacturer, doc.model, doc.name, doc.uuid) == (
        "Sony Corporation", "ILCE-5000", who.ack_name, who.uuid)
    assert doc.src == notify["location"].iloc[0].removeprefix("http://").split("/")[0]
    assert set(d["session"]) == {1} and set(d["link"]) == {"uuid"}
    assert cap.sessions["camera_guid"].iloc[0] == who.guid.hex()


def test_mdns_announcement_carries_the_guid_and_ptp_port(captures: dict[str, Path]) -> None:
    cap = ptpip_analyzer.load(captures["nikon-z"])
    who = PERSONALITIES["nikon-z"]
    [row] = cap.discovery.itertuples()
    assert (row.protocol, row.kind, row.uuid, row.session, row.link) == (
        "mdns", "announcement", who.uuid, 1, "uuid")
    assert row.service == "_ptp._tcp.local, _nikon._tcp.local"
    assert row.name == f"{who.ack_name}._ptp._tcp.local"
    assert row.port == int(cap.sessions["camera"].iloc[0].rsplit(":", 1)[1])
    assert "vid=A" in row.txt and "pid=450" in row.txt


def test_no_discovery_means_an_empty_table() -> None:
    shipped = Path(__file__).resolve().parents[2] / "captures" / "real" / "gphoto2-summary.pcapng"
    d = ptpip_analyzer.load(shipped).discovery
    assert d.empty and "session" in d.columns


def test_without_a_decoder_datagrams_are_only_counted(captures: dict[str, Path]) -> None:
    """The link layer keeps no discovery datagram waiting: it hands each one to the hook
    (the engine's decoder) as it reads it, or only counts it."""
    with open(captures["sony-alpha"], "rb") as f:
        frames = [(lt, t, bytes(data), wire) for lt, t, data, wire in open_frames(f)]
    stats, handed = FrameStats(), FrameStats()
    got: list[object] = []
    handed.on_datagram = got.append
    list(tcp_segments(((lt, t, memoryview(d), w) for lt, t, d, w in frames), stats))
    list(tcp_segments(((lt, t, memoryview(d), w) for lt, t, d, w in frames), handed))
    assert stats.datagrams == handed.datagrams == len(got) == 4


def test_hostile_mdns_names_cannot_loop() -> None:
    header = bytes.fromhex("000084000000000100000000")
    loop = header + b"\xc0\x0c" + bytes(10)  # a name pointing at itself
    forward = header + b"\xc0\x20" + bytes(40)  # a pointer forwards
    for data in (loop, forward, header + b"\x3f" + b"a" * 10):
        with pytest.raises(mdns.NotDns):
            mdns.parse(data)


def test_description_refuses_entities_and_oversize() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><root>&a;</root>'
    assert "DTD" in str(description.parse(bomb))
    assert "over" in str(description.parse(b"<root>" + b" " * description.MAX_DOCUMENT))
    assert "not well-formed" in str(description.parse(b"<root><device>"))


@settings(max_examples=300, deadline=None)
@given(hs.binary(max_size=600))
def test_any_bytes_give_a_message_or_a_one_line_reason(data: bytes) -> None:
    for parse, error in ((ssdp.parse, ssdp.NotSsdp), (mdns.parse, mdns.NotDns)):
        try:
            parse(data)
        except error as exc:
            assert "\n" not in str(exc)
    result = description.parse(data)
    assert not isinstance(result, str) or "\n" not in result


def test_discovery_table_types(captures: dict[str, Path]) -> None:
    d = ptpip_analyzer.load(captures["sony-alpha"]).discovery
    assert isinstance(d["time"].dtype, pd.DatetimeTZDtype)
    assert str(d["session"].dtype) == "Int64" and str(d["protocol"].dtype) == "category"


def _dissect(path: Path, *args: str) -> list[str]:
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "ptpip_analyzer", "dissect", str(path), *args],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_dissect_shows_discovery_in_frame_order_linked_to_the_camera(
        captures: dict[str, Path]) -> None:
    lines = _dissect(captures["sony-alpha"])
    found = [line for line in lines if " discovery " in line]
    assert len(found) == 5 and all("SSDP notify" in line for line in found[:4]), lines[:8]
    who = PERSONALITIES["sony-alpha"]
    assert "UPnP description document" in found[4] and f"uuid={who.uuid}" in found[4]
    assert all(line.endswith("(camera of stream 1)") for line in found), found
    frames = [int(line.split()[0]) for line in lines]
    assert frames == sorted(frames)
    import json
    rows = [json.loads(line) for line in _dissect(captures["nikon-z"], "--format", "jsonl")]
    [mdns_row] = [r for r in rows if r["type_name"] == "discovery"]
    assert mdns_row["txt"]["guid"] == PERSONALITIES["nikon-z"].uuid
    assert not [line for line in _dissect(captures["sony-alpha"], "-Y", "type == 1")
                if " discovery " in line]


def test_wire_strings_in_discovery_lines_are_escaped(tmp_path: Path) -> None:
    import dataclasses

    from ptpip_analyzer.simulator.announce import Announcer
    who = PERSONALITIES["sony-alpha"]
    evil = dataclasses.replace(who, announcement=dataclasses.replace(
        who.announcement, ssdp_server="cam\x1b[2J\x07"))
    capture = tmp_path / "evil.pcapng"
    with loopback_capture(capture, free_port(), "udp port 1900"):
        Announcer(evil, 15740).announce()
    [line] = [line for line in _dissect(capture) if " discovery " in line][:1]
    assert "\x1b" not in line and "\x07" not in line and "server=cam" in line


SHIPPED = sorted((Path(__file__).resolve().parents[2] / "captures" / "real")
                 .glob("discovery-*.pcapng"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_discovery_sessions_link_by_uuid(path: Path) -> None:
    who = PERSONALITIES[path.stem.removeprefix("discovery-")]
    cap = ptpip_analyzer.load(path)
    d = cap.discovery
    assert len(d) >= 1 and set(d["session"]) == {1} and set(d["link"]) == {"uuid"}
    assert set(d["uuid"]) == {who.uuid} and d["problem"].isna().all()
    if who.announcement.ssdp_types:
        [model] = d.loc[d["protocol"] == "upnp-description", "model"]
        assert model == who.profile.model
    assert cap.findings.empty


def test_a_host_search_is_decoded_and_links_to_no_session(tmp_path: Path) -> None:
    """An M-SEARCH as a host's discovery client sends it (UDA 1.1 section 1.3.2), to 1900."""
    import socket
    search = (b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
              b"MAN: \"ssdp:discover\"\r\nMX: 1\r\n"
              b"ST: urn:schemas-canon-com:service:ICPO-SmartPhoneEOSSystemService:1\r\n\r\n")
    capture = tmp_path / "search.pcapng"
    with loopback_capture(capture, free_port(), "udp port 1900"), \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(search, ("127.0.0.1", 1900))
    [row] = ptpip_analyzer.load(capture).discovery.itertuples()
    assert (row.protocol, row.kind, row.service) == (
        "ssdp", "search", "urn:schemas-canon-com:service:ICPO-SmartPhoneEOSSystemService:1")
    assert pd.isna(row.camera) and pd.isna(row.session)
