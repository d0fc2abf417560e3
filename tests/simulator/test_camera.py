"""The sans-IO PTP camera: requests in, replies out (ISO 15740 response codes)."""

from __future__ import annotations

import pytest
from ptp_layout import DatasetReader

from ptpip_analyzer.decode import encode_ptp as ptp
from ptpip_analyzer.simulator import camera as c
from ptpip_analyzer.simulator.received import read_object_info

from .conftest import make_camera


@pytest.fixture
def session() -> c.PtpSession:
    s = c.PtpSession(make_camera(count=2, size=5000))
    assert s.handle(c.Request(0x1002, 0, (1,))).code == c.OK
    return s


def test_session_rules() -> None:
    s = c.PtpSession(make_camera())
    assert s.handle(c.Request(0x1001, 0)).code == c.OK  # DeviceInfo needs no session
    assert s.handle(c.Request(0x1004, 1)).code == c.SESSION_NOT_OPEN
    assert s.handle(c.Request(0x1002, 0, (0,))).code == c.INVALID_PARAMETER
    assert s.handle(c.Request(0x1002, 0, (7,))).code == c.OK
    assert s.handle(c.Request(0x1002, 1, (8,))) == c.Reply(c.SESSION_ALREADY_OPEN, (7,))
    assert s.handle(c.Request(0x9999, 2)).code == c.OPERATION_NOT_SUPPORTED
    assert s.handle(c.Request(0x1003, 3)).code == c.OK
    assert s.handle(c.Request(0x1003, 4)).code == c.SESSION_NOT_OPEN


def test_device_info_lists_exactly_the_handled_operations() -> None:
    reader = DatasetReader(make_camera().device_info())
    reader.u16(), reader.u32(), reader.u16(), reader.string(), reader.u16()
    operations = reader.array_u16()
    s = c.PtpSession(make_camera())
    s.handle(c.Request(0x1002, 0, (1,)))
    assert all(s.handle(c.Request(op, 1)).code != c.OPERATION_NOT_SUPPORTED for op in operations)
    assert 0x1009 in operations and 0x101B in operations


def test_objects(session: c.PtpSession) -> None:
    handles = DatasetReader(session.handle(c.Request(0x1007, 1, (0xFFFFFFFF, 0, 0))).data or b"")
    assert handles.array_u32() == [1, 2]
    assert session.handle(c.Request(0x1006, 2, (0xFFFFFFFF,))).params == (2,)
    info = read_object_info(session.handle(c.Request(0x1008, 3, (1,))).data or b"")
    assert info.filename == "SIM_0001.JPG" and info.compressed_size == 5000
    whole = session.handle(c.Request(0x1009, 4, (1,))).data or b""
    part = session.handle(c.Request(0x101B, 5, (1, 100, 50)))
    assert part.data == whole[100:150] and part.params == (50,)
    assert (session.handle(c.Request(0x100A, 6, (1,))).data or b"")[:2] == b"\xff\xd8"
    for op in (0x1008, 0x1009, 0x100A, 0x100B):
        assert session.handle(c.Request(op, 7, (99,))).code == c.INVALID_OBJECT_HANDLE
    assert session.handle(c.Request(0x1005, 8, (5,))).code == c.INVALID_STORAGE_ID
    assert session.handle(c.Request(0x100B, 9, (2,))).code == c.OK
    assert session.handle(c.Request(0x1006, 10, (0xFFFFFFFF,))).params == (1,)


def test_send_object(session: c.PtpSession) -> None:
    assert session.handle(c.Request(0x100D, 1, (), b"x")).code == c.NO_VALID_OBJECT_INFO
    info = ptp.ObjectInfo(storage_id=0, object_format=0x3004, compressed_size=3, filename="A.TXT")
    reply = session.handle(c.Request(0x100C, 2, (0x10001, 0), ptp.object_info(info)))
    assert reply.code == c.OK and reply.params[2] == 3
    assert session.handle(c.Request(0x100D, 3, (), b"abc")).code == c.OK
    assert session.handle(c.Request(0x1009, 4, (3,))).data == b"abc"
    assert session.handle(c.Request(0x100C, 5, (0x10001, 0), b"\x01")).code == c.INVALID_PARAMETER


def test_capture_adds_object_and_events(session: c.PtpSession) -> None:
    reply = session.handle(c.Request(0x100E, 9, (0, 0)))
    assert reply.code == c.OK
    assert reply.events == (c.Event(c.OBJECT_ADDED, 9, (3,)), c.Event(c.CAPTURE_COMPLETE, 9))
    assert 3 in session.camera.store.objects


def test_properties(session: c.PtpSession) -> None:
    assert session.handle(c.Request(0x1015, 1, (0x5001,))).data == b"\x57"
    assert session.handle(c.Request(0x1016, 2, (0x5001,), b"\x01")).code == c.ACCESS_DENIED
    size = ptp.ptp_string("640x480")
    assert session.handle(c.Request(0x1016, 3, (0x5003,), size)).code == c.OK
    assert session.handle(c.Request(0x1015, 4, (0x5003,))).data == size
    bad = ptp.ptp_string("1x1")
    assert session.handle(c.Request(0x1016, 5, (0x5003,), bad)).code == c.INVALID_DEVICE_PROP_VALUE
    assert session.handle(c.Request(0x1014, 6, (0x5999,))).code == c.DEVICE_PROP_NOT_SUPPORTED
