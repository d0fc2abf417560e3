"""load(): tables and numbers checked against captures whose content is known."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import ptpip_analyzer
from ptpip_analyzer.analyze.capture import Capture
from ptpip_analyzer.analyze.load import load
from ptpip_analyzer.analyze.schema import SCHEMAS, TABLES
from ptpip_analyzer.simulator.jpeg import make_jpeg
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources import synthetic as syn

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
ALL = sorted(p for p in CAPTURES.rglob("*") if p.suffix in (".pcap", ".pcapng"))
SCHEMA_DTYPES = {"int64": "int64", "Int64": "Int64", "UInt64": "UInt64", "float64": "float64",
                 "boolean": "boolean", "category": "category", "severity": "category",
                 "string": "string", "datetime": "datetime64[ns, UTC]"}


@pytest.fixture(scope="module")
def basic() -> Capture:
    return load(CAPTURES / "synthetic" / "basic-ethernet.pcap")


@pytest.fixture(scope="module")
def get_all() -> Capture:
    return load(CAPTURES / "real" / "gphoto2-get-all-files.pcapng")


def test_load_is_exported_at_package_level() -> None:
    assert ptpip_analyzer.load is load
    assert ptpip_analyzer.Capture is Capture


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_table_has_its_documented_schema(path: Path) -> None:
    cap = load(path)
    for name in TABLES:
        table = cap.table(name)
        assert list(table.columns) == [c.name for c in SCHEMAS[name]], name
        for col in SCHEMAS[name]:
            assert str(table[col.name].dtype) == SCHEMA_DTYPES[col.dtype], (name, col.name)


def test_packets_match_the_accounting(basic: Capture) -> None:
    by_direction = basic.packets.groupby("direction", observed=True)["length"].sum()
    acc = basic.accounting
    assert by_direction["to_camera"] == sum(v.packets for (s, d), v in acc.items() if d == 0)
    assert by_direction["to_host"] == sum(v.packets for (s, d), v in acc.items() if d == 1)
    assert len(basic.packets) == 26 and basic.packets["rel_s"].iloc[0] == 0.0


def test_transactions_latency_is_response_minus_request_time(basic: Capture) -> None:
    tx, packets = basic.transactions, basic.packets.set_index("frame")
    assert list(tx["opcode_name"]) == ["OpenSession", "GetDeviceInfo", "GetObjectHandles",
                                       "GetObject", "CloseSession"]
    for row in tx.itertuples():
        request, response = packets.loc[row.start_frame], packets.loc[row.end_frame]
        assert request["ptype"] == 6 and response["ptype"] == 7
        expected = (response["time"] - request["time"]).total_seconds()
        assert row.latency_s == pytest.approx(expected, abs=1e-6)
    assert tx["ok"].all() and tx["param1"].iloc[0] == 1  # OpenSession's session id


def test_get_object_bytes_equal_the_object_size(basic: Capture) -> None:
    get = basic.transactions[basic.transactions["opcode_name"] == "GetObject"].iloc[0]
    assert get["data_bytes"] == get["announced_bytes"] == 200_000
    obj = basic.objects.iloc[0]
    assert (obj["handle"], obj["bytes"], obj["transfer"], obj["complete"]) == \
        (1, 200_000, "download", True)
    assert obj["sha256"] == hashlib.sha256(syn.jpeg_like(200_000, 3)).hexdigest()
    phase = basic.data_phases[basic.data_phases["opcode_name"] == "GetObject"].iloc[0]
    assert phase["size"] == 200_000 and phase["direction"] == "to_host"


def test_session_row(basic: Capture) -> None:
    s = basic.sessions.iloc[0]
    assert s["initiator"] == "192.168.1.10" and s["camera"] == "192.168.1.1:15740"
    assert s["initiator_name"] == "ptpip-analyzer test host"
    assert s["initiator_guid"] == syn.GUID.hex() and s["camera_name"] == "Synthetic Camera"
    assert (s["command_stream"], s["event_stream"], s["connection_number"]) == (0, 1, 1)
    assert (s["bytes_to_camera"], s["bytes_to_host"]) == (216 + 20, 200_578 + 34)
    assert s["transactions"] == 5 and s["failed"] == 0 and not s["refused"]
    assert s["start"] == basic.packets["time"].min() and s["end"] == basic.packets["time"].max()


def test_events(basic: Capture) -> None:
    ev = basic.events.iloc[0]
    assert (ev["code_name"], ev["param1"], ev["stream"], ev["session"]) == \
        ("ObjectAdded", 2, 1, 1)


def test_objects_from_object_info_and_get_object(get_all: Capture) -> None:
    objects = get_all.objects.sort_values("handle")
    assert list(objects["filename"]) == ["SIM_0001.JPG", "SIM_0002.JPG", "SIM_0003.JPG"]
    assert (objects["size"] == 20_000).all() and (objects["bytes"] == 20_000).all()
    assert objects["complete"].all() and (objects["format"] == 0x3801).all()
    assert list(objects["capture_date"].dt.minute) == [1, 2, 3]
    served = [hashlib.sha256(make_jpeg(seed=i, size=20_000)).hexdigest() for i in (1, 2, 3)]
    assert list(objects["sha256"]) == served
    gets = get_all.transactions[get_all.transactions["opcode_name"] == "GetObject"]
    assert sorted(objects["transfer_s"]) == pytest.approx(sorted(gets["latency_s"]))
    s = get_all.sessions.iloc[0]
    assert (s["manufacturer"], s["model"]) == ("ptpip-analyzer", "Simulated Camera")


def test_upload_object_gets_its_handle_from_send_object_info() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-upload-file.pcapng")
    obj = cap.objects.iloc[0]
    assert (obj["handle"], obj["filename"], obj["transfer"], obj["bytes"], obj["size"]) == \
        (4, "UPLOAD.JPG", "upload", 20_000, 20_000)
    assert pd.isna(obj["capture_date"])  # gphoto2 sends empty dates


def test_short_data_object_is_not_complete() -> None:
    cap = load(CAPTURES / "real" / "fault-short-data.pcapng")
    first = cap.objects.set_index("handle").loc[1]
    assert first["bytes"] == 19_900 and first["size"] == 20_000 and not first["complete"]
    assert list(cap.findings["rule"]) == ["PTPIP-DP-007"]
    assert cap.findings["severity"].iloc[0] == "error"
    assert cap.sessions.iloc[0]["findings"] == 1


def test_object_with_bytes_lost_by_the_capture_is_not_complete() -> None:
    """loss-midstream-vlan.pcap: GetObject of 150000 bytes, 9568 of them not captured."""
    obj = load(CAPTURES / "synthetic" / "loss-midstream-vlan.pcap").objects.iloc[0]
    assert obj["bytes"] == 150_000 and not obj["complete"]


def test_object_shorter_than_start_data_announced_is_not_complete(tmp_path: Path) -> None:
    """No ObjectInfo to compare with: Start Data's length is the object's announced size."""
    from ptpip_analyzer.decode import encode
    cmd = w.TcpConversation(("10.0.0.2", 50001), ("10.0.0.1", 15740))
    cmd.handshake()
    cmd.send(True, encode.init_command_request(syn.GUID, "host"))
    cmd.send(False, encode.init_command_ack(1, syn.CAMERA_GUID, "camera"))
    cmd.send(True, encode.operation_request(0x1002, 0, [1]))
    cmd.send(False, encode.operation_response(0x2001, 0))
    cmd.send(True, encode.operation_request(0x1009, 1, [1]))
    cmd.send(False, encode.start_data(1, 5000) + encode.end_data(1, bytes(4997)))
    cmd.send(False, encode.operation_response(0x2001, 1))
    cmd.finish()
    path = tmp_path / "short.pcap"
    with open(path, "wb") as out:
        w.write_pcap(out, w.frames_for(cmd.ip_packets(), w.LINKTYPE_ETHERNET),
                     w.LINKTYPE_ETHERNET)
    cap = load(path)
    assert cap.gaps.empty
    obj = cap.objects.iloc[0]
    assert obj["bytes"] == 4997 and pd.isna(obj["size"]) and not obj["complete"]


def test_unknown_length_start_data() -> None:
    cap = load(CAPTURES / "real" / "fault-unknown-length.pcapng")
    starts = cap.packets[cap.packets["ptype"] == 9]
    assert starts["data_length"].isna().sum() == 1


def test_refused_session() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-refused.pcapng")
    s = cap.sessions.iloc[0]
    assert s["refused"] and s["transactions"] == 0 and pd.isna(s["event_stream"])


def test_gaps_table_matches_the_accounting() -> None:
    cap = load(CAPTURES / "synthetic" / "loss-midstream-vlan.pcap")
    lost = cap.gaps.groupby("kind", observed=True)["length"].sum()
    assert lost["gap"] == sum(v.gaps for v in cap.accounting.values())
    assert (cap.gaps["session"] == 1).all()
    assert cap.findings["time"].notna().all()


def test_vendor_session() -> None:
    s = load(CAPTURES / "real" / "gphoto2-summary-nikon.pcapng").sessions.iloc[0]
    assert s["manufacturer"] == "Nikon Corporation" and s["model"] == "D750"
    assert "nikon" in str(s["vendor"]).lower()


def test_options_are_dissect_options(tmp_path: Path) -> None:
    cap = load(CAPTURES / "synthetic" / "heuristic-port-loop.pcap", heuristics=False)
    assert cap.packets.empty
    assert not load(CAPTURES / "synthetic" / "heuristic-port-loop.pcap",
                    ports=[55555, 55556]).packets.empty
    with pytest.raises(TypeError):
        load(CAPTURES / "synthetic" / "basic-ethernet.pcap", colour="red")


def _session_capture(tmp_path: Path, **script: int) -> Path:
    s = syn.basic_session(**script)
    packets = sorted((p for c in (s.command, s.event) for p in c.ip_packets()),
                     key=lambda p: p[0])
    path = tmp_path / "made.pcap"
    with open(path, "wb") as out:
        w.write_pcap(out, w.frames_for(packets, w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)
    return path


def test_a_made_capture_with_a_big_object(tmp_path: Path) -> None:
    cap = load(_session_capture(tmp_path, object_size=3_000_000, data_chunk=1 << 20))
    obj = cap.objects.iloc[0]
    assert obj["bytes"] == 3_000_000 and obj["complete"]
    assert pd.isna(obj["sha256"])  # above keep_payload: counted, not kept
    packets = cap.packets
    chunks = packets[packets["ptype"].isin([10, 12]) & (packets["transaction_id"] == 3)]
    assert list(chunks["data_length"]) == [1 << 20, 1 << 20, 3_000_000 - (2 << 20)]


def test_empty_capture(write_pcap: Callable[..., Path]) -> None:
    cap = load(write_pcap([], w.LINKTYPE_ETHERNET))
    assert all(cap.table(name).empty for name in TABLES)
    assert cap.latency_stats().empty and cap.throughput().empty and cap.idle_gaps().empty


def test_property_timeline_table() -> None:
    cap = load(CAPTURES / "real" / "gphoto2-summary.pcapng")
    props = cap.properties.set_index("property_name")
    assert props.loc["BatteryLevel", "new_value"] == "87"
    assert props.loc["DateTime", "new_value"] == "20240501T120000"
    assert (cap.properties["source"] == "GetDevicePropDesc").all()
    assert (cap.properties["session"] == 1).all()
    descs = cap.transactions[cap.transactions["opcode_name"] == "GetDevicePropDesc"]
    assert len(cap.properties) <= len(descs)


def test_docs_list_every_column() -> None:
    docs = (CAPTURES.parent / "docs" / "analysis.md").read_text()
    for name, columns in SCHEMAS.items():
        assert f"### {name}\n" in docs
        for col in columns:
            assert f"| `{col.name}` | {col.dtype} | {col.doc} |" in docs, (name, col.name)
