"""Discovery is decoded by the engine in its one pass, for every face: each SSDP / mDNS
datagram when its frame is fed, and the UPnP device description from the HTTP of the server an
SSDP LOCATION named, as its segments are fed (file, pipe, stdin, TUI alike). Real bytes: the
shipped discovery captures, made by the simulator announcing itself on loopback and captured
by dumpcap (scripts/make_corpus.py)."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
import threading
from pathlib import Path

import ptpip_analyzer
from ptpip_analyzer.analyze.discovery import DiscoveryTable, identities
from ptpip_analyzer.discovery.decoder import SessionIdentity
from ptpip_analyzer.engine import Engine, EngineOptions
from ptpip_analyzer.simulator.personalities import PERSONALITIES
from ptpip_analyzer.sources.capture_file import RawFrame, open_frames

REAL = Path(__file__).resolve().parents[2] / "captures" / "real"
SONY = REAL / "discovery-sony-alpha.pcapng"


def _frames(path: Path) -> list[RawFrame]:
    with open(path, "rb") as f:
        return [RawFrame(lt, t, memoryview(bytes(d)), w) for lt, t, d, w in open_frames(f)]


def _protocols(engine: Engine) -> list[str]:
    return [r.protocol for r in engine.discovery.records]


def test_each_message_is_decoded_when_its_frame_is_fed() -> None:
    engine = Engine(EngineOptions(annotate=False, validate=False))
    frames = _frames(SONY)
    engine.feed_frames(frames[:1])
    assert _protocols(engine) == ["ssdp"]  # at once: nothing waits for a snapshot
    assert engine.discovery.servers  # its LOCATION's server is followed from now on
    engine.feed_frames(frames[1:17])
    who = PERSONALITIES["sony-alpha"]
    [doc] = [r for r in engine.discovery.records if r.protocol == "upnp-description"]
    assert (doc.name, doc.model, doc.manufacturer, doc.uuid) == (
        who.ack_name, who.profile.model, "Sony Corporation", who.uuid)
    assert doc.frame == 10 and not engine.closed


def test_a_response_is_whole_at_its_content_length_before_any_fin() -> None:
    """A camera that keeps the connection open (HTTP/1.1 keep-alive): the frames up to the
    response's last byte, without the server's FIN, give the description."""
    frames = _frames(SONY)
    engine = Engine(EngineOptions(annotate=False, validate=False))
    engine.feed_frames(frames[:10])  # frame 10 holds the response; the FIN comes later
    assert "upnp-description" in _protocols(engine)


def test_no_location_no_http_followed() -> None:
    """The only cost on the per-segment path: one check of an empty set."""
    engine = Engine(EngineOptions(annotate=False, validate=False))
    engine.feed_bytes((REAL / "gphoto2-summary.pcapng").read_bytes())
    engine.close()
    assert not engine.discovery.servers and engine.discovery.http is None
    assert engine.discovery.records == []


def test_a_hostname_location_is_not_followed() -> None:
    from ptpip_analyzer.model import UdpDatagram
    engine = Engine(EngineOptions(annotate=False, validate=False))
    notify = (b"NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
              b"LOCATION: http://camera.local:80/d.xml\r\n\r\n")
    engine.discovery.datagram(UdpDatagram(1, 0.0, bytes(4), 1900, bytes(4), 1900, notify))
    assert engine.discovery.records[0].location == "http://camera.local:80/d.xml"
    assert not engine.discovery.servers


def _run(args: list[str], stdin: bytes) -> str:
    done = subprocess.run([sys.executable, "-m", "ptpip_analyzer", *args], input=stdin,
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode()


def test_dissect_from_a_pipe_shows_the_description_linked_to_the_camera() -> None:
    who = PERSONALITIES["sony-alpha"]
    lines = _run(["dissect", "-"], SONY.read_bytes()).splitlines()
    [doc] = [line for line in lines if "UPnP description" in line]
    assert f"name={who.ack_name}" in doc and f"uuid={who.uuid}" in doc
    assert f"model={who.profile.model}" in doc and doc.endswith("(camera of stream 1)")
    frames = [int(line.split()[0]) for line in lines]
    assert frames == sorted(frames)
    assert _run(["live", "-"], SONY.read_bytes()).count("UPnP description document") == 1


def test_load_from_stdin_links_the_description_to_the_session() -> None:
    code = ("import ptpip_analyzer; c = ptpip_analyzer.load('-'); s = c.sessions.iloc[0]; "
            "print(s['described_name'], '|', s['described_model'], '|', s['described_udn'], "
            "'|', s['announced'])")
    done = subprocess.run([sys.executable, "-c", code], input=SONY.read_bytes(),
                          capture_output=True, timeout=60, check=False)
    who = PERSONALITIES["sony-alpha"]
    assert done.stdout.decode().strip() == (
        f"{who.ack_name} | Sony Corporation {who.profile.model} | {who.uuid} | "
        "ssdp, upnp-description"), done.stderr


def test_the_report_from_a_pipe_has_the_description(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    _run(["report", "-", "-o", str(out)], SONY.read_bytes())
    html = out.read_text()
    section = html[html.index('<section id="discovery">'):]
    assert "upnp-description" in section[:section.index("</section>")]


def test_a_file_and_a_pipe_give_the_same_discovery_table() -> None:
    read, write = os.pipe()
    data = SONY.read_bytes()
    feeding = threading.Thread(target=lambda: os.fdopen(write, "wb").write(data))
    feeding.start()
    try:
        piped = ptpip_analyzer.load(f"/dev/fd/{read}").discovery
    finally:
        feeding.join()
        os.close(read)
    whole = ptpip_analyzer.load(SONY).discovery
    assert whole.equals(piped) and len(whole) == 5


def _known(engine: Engine) -> list[SessionIdentity]:
    assert engine.collector is not None and engine.validator is not None
    return identities(engine.collector, engine.validator.session_list())


def test_the_live_table_builds_each_row_once_and_relinks_when_sessions_change() -> None:
    engine = Engine(EngineOptions(tables=True))
    frames = _frames(SONY)
    table = DiscoveryTable()
    engine.feed_frames(frames[:4])
    early = table.update(engine.discovery.records, _known(engine))
    assert len(early) == 4 and early["session"].isna().all()  # no session yet
    assert table.update(engine.discovery.records, _known(engine)) is early
    engine.feed_frames(frames[4:])
    engine.close()
    final = table.update(engine.discovery.records, _known(engine))
    assert table.count == 5 and list(final["session"]) == [1] * 5
    assert final.equals(ptpip_analyzer.load(SONY).discovery)


def test_identities_are_the_sessions_tables_camera_guid_and_start() -> None:
    """Read from the collector's handshake facts, not parsed back from the table's text."""
    engine = Engine(EngineOptions(tables=True))
    engine.feed_bytes(SONY.read_bytes())
    engine.close()
    sessions = engine.snapshot().sessions
    for known, row in zip(_known(engine), sessions.itertuples(), strict=True):
        assert known.number == row.session
        assert f"{ipaddress.ip_address(known.camera)}" == row.camera.rpartition(":")[0]
        assert (known.guid.hex() if known.guid else None) == row.camera_guid
        assert abs(known.start - row.start.timestamp()) < 1e-6
