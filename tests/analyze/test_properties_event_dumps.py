"""Vendor event dumps in the property timeline, from a capture written with pcap_writer.

A Canon EOS and a Nikon session each poll the camera's event queue (EOS_GetEvent 0x9116,
Nikon GetEvent 0x90C7); DeviceInfo (VendorExtensionID 0xB / 0xA) tells the vendor first.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from ptpip_analyzer.analyze.properties import PropertyChange, diff, properties
from ptpip_analyzer.cli import main
from ptpip_analyzer.decode import encode
from ptpip_analyzer.decode import encode_ptp as enc
from ptpip_analyzer.engine import dissect_file
from ptpip_analyzer.sources import pcap_writer as w
from ptpip_analyzer.sources.synthetic import CAMERA_GUID, GUID

CANON = enc.DeviceInfo(0xB, "", [0x1001, 0x1002, 0x9114, 0x9116], [0xC189], [], [], [0x3801],
                       "Canon Inc.", "Canon EOS R6", "1-1.0.0", "0123")
NIKON = enc.DeviceInfo(0xA, "", [0x1001, 0x1002, 0x90C7], [0x4006], [0x5007], [], [0x3801],
                       "Nikon Corporation", "Z 6", "V1.0", "4567")


def eos_record(rtype: int, body: bytes) -> bytes:
    """libgphoto2 ptp_unpack_EOS_events: u32 size (with this header), u32 type, body."""
    return struct.pack("<II", 8 + len(body), rtype) + body


def eos_dump(*changes: tuple[int, bytes]) -> bytes:
    records = [eos_record(0xC189, struct.pack("<I", code) + value) for code, value in changes]
    return b"".join(records) + eos_record(0, b"")


def nikon_dump(*events: tuple[int, int]) -> bytes:
    """libgphoto2 ptp_unpack_Nikon_EC: u16 count, then (u16 code, u32 parameter) each."""
    return struct.pack("<H", len(events)) + b"".join(struct.pack("<HI", *e) for e in events)


def session(camera: str, info: enc.DeviceInfo,
            transactions: list[tuple[int, tuple[int, ...], bytes]]) -> w.TcpConversation:
    """Handshake, OpenSession, GetDeviceInfo, then each (operation, params, camera's data)."""
    cmd = w.TcpConversation(("192.168.1.10", 50001), (camera, 15740))
    cmd.handshake()
    cmd.send(True, encode.init_command_request(GUID, "host"))
    cmd.send(False, encode.init_command_ack(1, CAMERA_GUID, "camera"))
    cmd.send(True, encode.operation_request(0x1002, 0, [1]))
    cmd.send(False, encode.operation_response(0x2001, 0))
    for tid, (op, params, data) in enumerate([(0x1001, (), enc.device_info(info)),
                                              *transactions], start=1):
        cmd.send(True, encode.operation_request(op, tid, params))
        cmd.send(False, b"".join(encode.data_phase(tid, data, chunk_size=40)))
        cmd.send(False, encode.operation_response(0x2001, tid))
    cmd.finish()
    return cmd


def capture(write_pcap: Callable[..., Path]) -> Path:
    canon = session("192.168.1.1", CANON, [
        (0x9116, (), eos_dump((0xD101, struct.pack("<I", 0x28)),  # Aperture: u16 in 4 bytes
                              (0xD103, struct.pack("<I", 0x48)),  # ISOSpeed
                              (0xD1D0, b"Jane\0\0\0\0"))),  # Artist: ASCII
        (0x9116, (), eos_dump((0xD101, struct.pack("<I", 0x30)),  # changed
                              (0xD103, struct.pack("<I", 0x48)))),  # unchanged: no row
        (0x9116, (), eos_dump()),  # nothing queued
    ])
    nikon = session("192.168.1.2", NIKON, [
        (0x1014, (0x5007,), enc.device_prop_desc(
            enc.DevicePropDesc(0x5007, enc.DataType.UINT16, True, 280, 280, (280, 400)))),
        (0x90C7, (), nikon_dump((0x4006, 0x5007), (0x4002, 0x10001))),
        (0x1015, (0x5007,), enc.u16(400)),
    ])
    nikon.time = canon.time + 1
    packets = sorted(canon.ip_packets() + nikon.ip_packets())
    return write_pcap(w.frames_for(packets, w.LINKTYPE_ETHERNET), w.LINKTYPE_ETHERNET)


def rows_of(path: Path) -> list[PropertyChange]:
    return properties(dissect_file(path).records())


def test_canon_get_event_values_in_the_timeline(write_pcap: Callable[..., Path]) -> None:
    rows = [r for r in rows_of(capture(write_pcap)) if r.session == "192.168.1.1"]
    assert [(r.property_name, r.old_value, r.new_value, r.source, r.transaction_id)
            for r in rows] == [
        ("EOS_Aperture", None, 0x28, "canon GetEvent", 2),
        ("EOS_ISOSpeed", None, 0x48, "canon GetEvent", 2),
        ("EOS_Artist", None, "Jane", "canon GetEvent", 2),
        ("EOS_Aperture", 0x28, 0x30, "canon GetEvent", 3),
    ]
    first, last = rows[0].time, rows[-1].time
    assert list(diff(rows, first, last)) == [("192.168.1.1", 0xD101, 0x28, 0x30)]


def test_nikon_get_event_names_the_property(write_pcap: Callable[..., Path]) -> None:
    rows = [r for r in rows_of(capture(write_pcap)) if r.session == "192.168.1.2"]
    assert [(r.property_name, r.old_value, r.new_value, r.source, r.transaction_id)
            for r in rows] == [
        ("FNumber", None, 280, "GetDevicePropDesc", 2),
        ("FNumber", 280, None, "nikon GetEvent", 3),  # changed, value unread
        ("FNumber", 280, 400, "GetDevicePropValue", 4),
    ]


def test_dissect_verbose_shows_the_dumps(write_pcap: Callable[..., Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    main(["dissect", "-V", str(capture(write_pcap))])
    out = capsys.readouterr().out
    assert "[CanonEOSEvents 3 events, 3 property changes]" in out
    assert "EOS_PropValueChanged (0xC189) at offset 0: EOS_Aperture (0xD101) = 40 (UINT16)" in out
    assert "[CanonEOSEvents 0 events, 0 property changes]" in out
    assert "[NikonEvents 2 events, 1 property change]" in out
    assert "DevicePropChanged (0x4006) at offset 2: FNumber (0x5007) changed" in out
    assert "ObjectAdded (0x4002) at offset 8" in out


def test_capture_properties_table_carries_the_dump_rows(write_pcap: Callable[..., Path]) -> None:
    from ptpip_analyzer.analyze.load import load  # pandas: only this test needs it

    table = load(capture(write_pcap)).properties
    sources = table.groupby("source", observed=True).size().to_dict()
    assert sources == {"canon GetEvent": 4, "nikon GetEvent": 1, "GetDevicePropDesc": 1,
                       "GetDevicePropValue": 1}
