"""The report's answers, parsed out of the HTML: the headline of a refused connection, the
offending packet in its ladder, marks on the time charts, the time breakdown, the filterable
transactions table and a section per session (on shipped captures and a two-session capture
made by the writer); wire text escaped everywhere."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.report import render
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources.synthetic import basic_session

CAPTURES = Path(__file__).resolve().parents[2] / "captures"


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), and the text inside each element with an id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def with_(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag
                and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def _svg(html: str, ident: str) -> str:
    match = re.search(rf'<svg [^>]*id="{ident}".*?</svg>', html, re.DOTALL)
    assert match is not None, ident
    return match.group(0)


def _section(html: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}">.*?</section>', html, re.DOTALL)
    assert match is not None, ident
    return match.group(0)


@pytest.fixture(scope="module")
def short_data() -> Capture:
    return load(CAPTURES / "real" / "fault-short-data.pcapng")


def test_refused_connection_headline() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-refused.pcapng")
    head = _section(render(cap), "headline")
    assert "Camera rejected this host: pair the GUID" in head
    assert "Init Fail (rejected initiator)" in head
    assert str(cap.sessions["initiator_guid"][0]) in head and 'class="headline bad"' in head


def test_healthy_headline() -> None:
    head = _section(render(load(CAPTURES / "real" / "gphoto2-get-all-files.pcapng")),
                    "headline")
    assert 'class="headline good"' in head and "12 transaction(s) in 1 session(s)" in head


def test_offending_packet_is_highlighted_in_its_ladder(short_data: Capture) -> None:
    html = render(short_data)
    ladders = _section(html, "ladder")
    bands = re.findall(r'<rect [^>]*class="offending"><title>([^<]*)</title>', ladders)
    # the short End Data (frame 54): in the session's first packets and its own ladder
    assert len(bands) == 2 and all(b.startswith("PTPIP-DP-007: GetObject") for b in bands)
    assert ladders.count("⚠ End Data, 19.9 kB") == 2


def test_error_and_gaps_marked_on_the_time_charts(short_data: Capture) -> None:
    html = render(short_data)
    for chart in ("timeline-chart", "throughput-chart"):
        titles = re.findall(r'stroke-dasharray="3 2" data-t0="[^"]+"><title>([^<]*)<',
                            _svg(html, chart))
        assert titles == [("PTPIP-DP-007 (error), frame 54: GetObject (transaction 8) "
                          "announced 20000 data bytes but sent 19900")]
    lossy = render(load(CAPTURES / "synthetic" / "loss-midstream-vlan.pcap"))
    gaps = re.findall(r"<title>(capture gap of [^<]*)<", _svg(lossy, "timeline-chart"))
    assert len(gaps) == 6 and all("bytes at frame" in g for g in gaps)


def test_time_charts_are_zoomable(short_data: Capture) -> None:
    html = render(short_data)
    page = Elements(html)
    for chart in ("timeline-chart", "throughput-chart"):
        svg = page.with_("svg", id=chart)[0]
        assert svg["class"] == "zoomable" and float(svg["data-hi"] or 0) > 2.5
        assert page.with_("div", data_for=chart)  # its +/-/reset buttons
    bars = re.findall(r'<rect [^>]*data-t0="([^"]+)" data-t1="([^"]+)"><title>GetObject tid 8',
                      _svg(html, "timeline-chart"))
    (t0, t1), = bars
    tx = short_data.transactions.set_index("transaction_id").loc[8]
    assert float(t0) == pytest.approx(tx["start_rel_s"], abs=1e-6)
    assert float(t1) - float(t0) == pytest.approx(tx["latency_s"], abs=2e-6)


def test_slowest_and_where_the_time_went() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-upload-file.pcapng")
    html = render(cap)
    slowest = _section(html, "slowest")
    # the data-out operations' wait is the host's own delay, and said to be
    assert re.search(r"<title>SendObjectInfo tid \d+: host [\d.]+ ms", slowest)
    assert " ms host</td>" in slowest
    went = _section(html, "breakdown")
    host = re.search(r"<title>session 1: host ([\d.]+) ms", went)
    assert host is not None and float(host.group(1)) > 30


def test_transactions_table_holds_every_transaction_with_its_status(short_data: Capture
                                                                     ) -> None:
    html = render(short_data)
    page = Elements(html)
    rows = [a for t, a in page.tags if t == "tr" and "data-status" in a]
    assert [r["data-status"] for r in rows] == short_data.transactions["status"].astype(
        str).tolist()
    assert page.with_("input", id="tx-filter") and page.with_("select", id="tx-status")
    assert page.with_("option", value="invalid")  # DP-007: the camera sent 100 bytes short


def _two_sessions(path: Path) -> Path:
    """Two hosts with two cameras, the second session a second later."""
    first = basic_session(object_size=30_000)
    second = basic_session(host="192.168.1.20", camera="192.168.1.2", object_size=90_000,
                           client_isn=5000)
    packets = [p for c in (first.command, first.event) for p in c.ip_packets()]
    packets += [(t + 1.0, b) for c in (second.command, second.event) for t, b in
                c.ip_packets()]
    with open(path, "wb") as out:
        frames = w.frames_for(sorted(packets, key=lambda p: p[0]), w.LINKTYPE_ETHERNET)
        w.write_pcap(out, frames, w.LINKTYPE_ETHERNET)
    return path


def test_a_section_per_session(tmp_path: Path) -> None:
    cap = load(_two_sessions(tmp_path / "two.pcap"))
    assert len(cap.sessions) == 2
    html = render(cap)
    for n, size in ((1, "30 kB"), (2, "90 kB")):
        own = _section(html, f"session-{n}")
        assert f"Session {n}: first packets" in own
        tids = re.findall(r"<title>(\w+) tid (\d+):", _svg(own, f"timeline-s{n}"))
        mine = cap.transactions[cap.transactions["session"] == n]
        assert sorted(int(t) for _, t in tids) == sorted(mine["transaction_id"])
        # both charts count seconds from the capture's start, as the marks do
        los = [float(re.search(r'data-lo="(-?[\d.]+)"', _svg(own, f"{chart}-s{n}")).group(1))
               for chart in ("timeline", "throughput")]
        assert los[0] == pytest.approx(los[1], abs=0.002) and (los[0] > 0.9) == (n == 2)
        assert size in own  # its own object only
    assert "Session 1: first packets" not in _section(html, "ladder")


def test_wire_text_is_escaped_everywhere(short_data: Capture) -> None:
    evil = "<img src=x onerror=alert(1)></title><script>alert(2)</script>"
    findings = short_data.findings.assign(message=evil)
    sessions = short_data.sessions.assign(camera_name=evil, initiator_name=evil)
    device_info = short_data.device_info.assign(value=evil, name=evil)
    html = render(dataclasses.replace(short_data, findings=findings, sessions=sessions,
                                      device_info=device_info))
    assert "<img" not in html and "alert(2)</script>" not in html
    assert html.count("<script>") == 1 and "&lt;img src=x" in html


def test_ids_are_unique(short_data: Capture) -> None:
    ids = [a["id"] for _, a in Elements(render(short_data)).tags if "id" in a]
    assert len(ids) == len(set(ids))


def test_tcp_reset_and_retransmissions_on_the_time_charts() -> None:
    reset = render(load(CAPTURES / "real" / "fault-reset-mid-transfer.pcapng"))
    for chart in ("timeline-chart", "throughput-chart"):
        titles = re.findall(r'stroke="#000000"[^>]*><title>([^<]*)<', _svg(reset, chart))
        assert len(titles) == 1 and titles[0].startswith("TCP reset (RST) from 127.0.0.1:")
        assert titles[0].endswith("on the command connection, frame 56")
    cap = load(CAPTURES / "synthetic" / "reorder-retransmit-ipv6-sll2.pcapng")
    resent = cap.transactions[cap.transactions["retransmissions"] > 0]
    bands = re.findall(r'<rect [^>]*fill="#ff7f0e" fill-opacity="0.25" data-t0="([^"]+)" '
                       r'data-t1="([^"]+)"><title>(\d+) TCP retransmission\(s\) during (\w+)',
                       _svg(render(cap), "timeline-chart"))
    assert [(int(n), op) for _, _, n, op in bands] == [
        (int(r.retransmissions), r.opcode_name) for r in resent.itertuples()]
    assert bands and all(float(t1) > float(t0) for t0, t1, _, _ in bands)


def test_tcp_health_section() -> None:
    cap = load(CAPTURES / "synthetic" / "reorder-retransmit-ipv6-sll2.pcapng")
    section = _section(render(cap), "tcp")
    resent = int(cap.tcp["retransmissions"].sum())
    assert resent > 0 and f"<td>{resent}</td>" in section
    clean = _section(render(load(CAPTURES / "synthetic" / "basic-ethernet.pcap")), "tcp")
    assert "no retransmissions, reordering" in clean


def test_a_reset_names_its_rst_and_the_transaction_it_cut() -> None:
    html = render(load(CAPTURES / "real" / "fault-reset-mid-transfer.pcapng"))
    head = _section(html, "headline")
    assert re.search(r'class="headline bad">Connection reset by the camera \(RST in frame 56\) '
                     r"while GetObject \(transaction 8, frame 52\) ran", head)
    ladders = _section(html, "ladder")
    own = ladders[ladders.index("GetObject (tid 8)"):]
    assert "✕ TCP RST: connection reset by the camera" in own and "#56" in own
    bands = re.findall(r'class="offending"><title>([^<]*)</title>', own)
    assert any(b.startswith("PTPIP-TCP-001: connection reset by the camera") for b in bands)


def test_property_values_and_changes_with_their_readings(tmp_path: Path) -> None:
    from tests.analyze.test_device_info import _camera
    cap = load(_camera(tmp_path / "nikon.pcapng", 0xA, "Nikon Corporation"))
    part = _section(render(cap), "capabilities")
    assert re.search(r"<td>FNumber</td>\s*<td>800</td>\s*<td>f/8</td>", part)
    assert re.search(r"<td>f/5.6 \(560\)</td>\s*<td>f/8 \(800\)</td>\s*"
                     r"<td>SetDevicePropValue</td>", part)
    assert "<td>Cloudy (32784)</td>" in part  # Nikon's own white balance value


def test_many_sessions_get_a_timeline_lane_each(tmp_path: Path) -> None:
    packets = []
    for i in range(9):  # 9 sessions x 5 operations: more lanes than the chart takes
        s = basic_session(host=f"10.0.{i}.2", camera=f"10.0.{i}.1", object_size=5_000)
        packets += [(t + i, b) for c in (s.command, s.event) for t, b in c.ip_packets()]
    path = tmp_path / "nine.pcap"
    with open(path, "wb") as out:
        w.write_pcap(out, w.frames_for(sorted(packets, key=lambda p: p[0]),
                                       w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)
    html = render(load(path))
    lanes = re.findall(r'text-anchor="end" fill="#222">(session \d+)</text>',
                       _svg(html, "timeline-chart"))
    assert lanes == [f"session {n}" for n in range(1, 10)]
    assert html.count('<section id="session-') == 8  # the first 8 sessions get a section
    assert "1 more sessions: see" in html


def test_headline_says_when_the_file_is_damaged() -> None:
    cut = _section(render(load(CAPTURES / "hostile" / "truncated-pcap-frame.pcap")), "headline")
    assert "Reading stopped early: file truncated in frame 3" in cut
    snap = _section(render(load(CAPTURES / "hostile" / "snaplen-cuts.pcap")), "headline")
    assert "4 frame(s) with problems; the first, frame 8: headers incomplete" in snap
