"""Camera personalities, sans-IO: what each camera says (DeviceInfo, Ack, GUID) read back by
our own decoder and vendor detection, and the documented behaviours on the wire."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest

from ptpip_analyzer.decode.dataset_decoder import decode_dataset
from ptpip_analyzer.decode.dataset_types import DeviceInfo
from ptpip_analyzer.decode.datasets import Decoded
from ptpip_analyzer.decode.vendor import VendorDetector
from ptpip_analyzer.model import Connection, Direction, Endpoint, Packet
from ptpip_analyzer.protocol import PacketType
from ptpip_analyzer.simulator import camera as c
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.personalities import (
    NOT_SOURCED,
    PERSONALITIES,
    Behaviour,
    personality,
)
from ptpip_analyzer.simulator.profile import VENDORS
from ptpip_analyzer.simulator.responder import (
    CommandResponder,
    InitCommandRequest,
    handshake_reply,
)

NAMES = list(PERSONALITIES)
CONN = Connection(0, Endpoint(b"\x7f\x00\x00\x01", 50000), Endpoint(b"\x7f\x00\x00\x02", 15740), 1)


def camera_of(name: str, count: int = 1, size: int = 5000) -> c.Camera:
    store = st.ObjectStore()
    st.generate(store, count, size)
    return c.Camera(VENDORS["generic"], store, personality=personality(name))


def device_info(camera: c.Camera) -> DeviceInfo:
    result = decode_dataset(0x1001, camera.device_info())
    assert isinstance(result, Decoded) and isinstance(result.value, DeviceInfo)
    return result.value


def test_the_issue_names_every_personality() -> None:
    assert set(NAMES) == {
        "coolpix-p1", "coolpix-p2", "coolpix-p3", "coolpix-p4", "coolpix-s6", "easyshare-one",
        "powershot-sd430", "nikon-z", "canon-eos", "sony-alpha", "fujifilm-x", "ricoh-theta",
        "olympus-om"}
    with pytest.raises(ValueError, match="unknown camera 'acme'; known: coolpix-p1"):
        personality("acme")


@pytest.mark.parametrize("name", NAMES)
def test_device_info_identity_decodes_and_names_the_camera(name: str) -> None:
    who, cam = PERSONALITIES[name], camera_of(name)
    info = device_info(cam)
    assert (info.vendor_extension_id, info.manufacturer, info.model) == (
        who.profile.vendor_extension_id, who.profile.manufacturer, who.profile.model)
    assert info.vendor_extension_version == who.vendor_extension_version
    assert set(who.vendor_operations) <= set(info.operations)
    assert (0x100E in info.operations) == who.capture
    assert {code for code, _ in who.vendor_properties} <= set(info.properties)
    detector = VendorDetector()
    detector.device_info(CONN, info)
    camera = detector.camera(CONN)
    assert camera is not None and who.profile.model in camera


@pytest.mark.parametrize("name", NAMES)
def test_every_advertised_operation_is_answered(name: str) -> None:
    cam = camera_of(name)
    session = c.PtpSession(cam)
    assert session.handle(c.Request(0x1002, 0, (1,))).code == c.OK
    for code in device_info(cam).operations:
        if code not in (0x1002, 0x1003):
            assert session.handle(c.Request(code, 1)).code != c.OPERATION_NOT_SUPPORTED, code


@pytest.mark.parametrize("name", NAMES)
def test_every_fact_has_a_source_or_says_it_has_none(name: str) -> None:
    facts = PERSONALITIES[name].facts
    assert facts and all(f.topic and f.value and f.source for f in facts)
    assert any(NOT_SOURCED in f.source for f in facts)  # none of them is fully documented


def test_guid_styles() -> None:
    assert PERSONALITIES["nikon-z"].uuid.startswith("04b00450-0000-1001-8001-")
    assert PERSONALITIES["sony-alpha"].uuid.startswith("00000000-0001-0010-8000-")
    p3 = PERSONALITIES["coolpix-p3"]
    assert p3.guid[:6] == p3.guid[6:12] == p3.mac
    assert len({p.guid for p in PERSONALITIES.values()}) == len(PERSONALITIES)


def test_pairing_cameras_refuse_an_unregistered_host() -> None:
    host = InitCommandRequest(bytes(range(16)), "host", 0x10000)
    stranger = InitCommandRequest(bytes(16), "other", 0x10000)
    guid = PERSONALITIES["nikon-z"].guid
    ack = handshake_reply(host, frozenset(), 1, guid, "Z 9", frozenset({host.guid}))
    assert struct.unpack_from("<II", ack) == (len(ack), PacketType.INIT_COMMAND_ACK)
    assert ack[12:28] == guid
    refused = handshake_reply(stranger, frozenset(), 1, guid, "Z 9", frozenset({host.guid}))
    assert struct.unpack("<III", refused) == (12, PacketType.INIT_FAIL, 1)


def _get_object_packets(name: str, size: int) -> list[bytes]:
    responder = CommandResponder(c.PtpSession(camera_of(name, size=size)), chunk_size=4096)
    responder.receive(6, struct.pack("<IHII", 1, 0x1002, 0, 1))
    plan = responder.receive(6, struct.pack("<IHII", 1, 0x1009, 1, 1))
    assert plan is not None and plan.data is not None
    return [*plan.data.packets, plan.response]


def test_sony_sends_every_byte_in_data_and_an_empty_end_data() -> None:
    packets = _get_object_packets("sony-alpha", 10_000)
    types = [struct.unpack_from("<I", p, 4)[0] for p in packets]
    assert types == [9, 10, 10, 10, 12, 7]
    assert len(packets[-2]) == 12  # End Data: header and transaction id only
    assert sum(len(p) - 12 for p in packets[1:4]) == 10_000
    generic = [struct.unpack_from("<I", p, 4)[0] for p in _get_object_packets("coolpix-p1", 10_000)]
    assert generic == [9, 10, 10, 12, 7]


def test_coolpix_p3_answers_an_error_after_a_complete_transfer() -> None:
    packets = _get_object_packets("coolpix-p3", 10_000)
    assert sum(len(p) - 12 for p in packets[1:-1]) == 10_000
    assert struct.unpack_from("<H", packets[-1], 8)[0] == c.GENERAL_ERROR
    assert Behaviour.ERROR_AFTER_TRANSFER in PERSONALITIES["coolpix-p3"].behaviours


def test_vendor_detection_names_the_model_from_the_ack_before_device_info() -> None:
    detector = VendorDetector()
    ack = Packet(2, Direction.TO_INITIATOR, 0, 40, 2, 2, 0.0, name="COOLPIX P3")
    detector.packet(CONN, ack)
    assert detector.camera(CONN) == "Nikon COOLPIX P3"
    detector.device_info(CONN, device_info(camera_of("coolpix-p4")))
    assert detector.camera(CONN) == "Nikon COOLPIX P4"  # DeviceInfo wins over the Ack
    friendly = VendorDetector()
    friendly.packet(CONN, Packet(2, Direction.TO_INITIATOR, 0, 40, 2, 2, 0.0, name="my cam"))
    assert friendly.camera(CONN) is None  # a name naming no vendor names no camera


def test_simulate_camera_list_and_unknown_camera() -> None:
    run = [sys.executable, "-m", "ptpip_analyzer", "simulate", "--camera"]
    listed = subprocess.run([*run, "list"], capture_output=True, text=True, timeout=30,
                            check=False)
    assert listed.returncode == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == NAMES
    assert '"Nikon DSLR (WLAN)"' in listed.stdout
    bad = subprocess.run([*run, "acme"], capture_output=True, text=True, timeout=30,
                            check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "unknown camera" in bad.stderr


def test_docs_cameras_is_generated_from_the_personalities() -> None:
    import runpy
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    render = runpy.run_path(str(root / "scripts" / "gen_cameras_doc.py"))["render"]
    assert (root / "docs" / "cameras.md").read_text() == render(), \
        "docs/cameras.md is stale: run scripts/gen_cameras_doc.py"


def test_simulate_announces_on_loopback_only() -> None:
    run = [sys.executable, "-m", "ptpip_analyzer", "simulate", "--camera", "sony-alpha",
           "--announce", "--port", "0", "--timeout", "1"]
    refused = subprocess.run([*run, "--host", "0.0.0.0"], capture_output=True, text=True,
                             timeout=30, check=False)
    assert refused.returncode == 2 and "loopback only" in refused.stderr
    ran = subprocess.run(run, capture_output=True, text=True, timeout=30, check=False)
    assert ran.returncode == 0 and "announced sony-alpha: 4 message(s) to 127.0.0.1" in ran.stderr
