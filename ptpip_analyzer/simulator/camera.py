"""The PTP camera behind the simulator, sans-IO: requests (with data) in, replies out.

``Camera`` is the device (storage, properties, identity) shared by every initiator;
``PtpSession`` is one command connection's view (its session id, a pending SendObjectInfo).
Response codes follow ISO 15740 section 11; the table of handlers is the list of operations
advertised in DeviceInfo, so what we claim and what we do cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..decode import encode_ptp as ptp
from ..protocol import GET_OBJECT, INITIATE_CAPTURE
from . import store as st
from .personalities import SONY_9280, Behaviour, Personality
from .profile import DEVICE_VERSION, SERIAL_NUMBER, Properties, VendorProfile
from .received import DatasetError, read_object_info, read_property_value

OK, GENERAL_ERROR, SESSION_NOT_OPEN = 0x2001, 0x2002, 0x2003
OPERATION_NOT_SUPPORTED, PARAMETER_NOT_SUPPORTED = 0x2005, 0x2006
INVALID_STORAGE_ID, INVALID_OBJECT_HANDLE, DEVICE_PROP_NOT_SUPPORTED = 0x2008, 0x2009, 0x200A
ACCESS_DENIED, NO_THUMBNAIL, NO_VALID_OBJECT_INFO = 0x200F, 0x2010, 0x2015
INVALID_DEVICE_PROP_VALUE, INVALID_PARAMETER, SESSION_ALREADY_OPEN = 0x201C, 0x201D, 0x201E
STORE_FULL = 0x200C
OBJECT_ADDED, CAPTURE_COMPLETE = 0x4002, 0x400D
ALL_OBJECTS = 0xFFFFFFFF
# Operations whose data phase goes initiator -> camera (ISO 15740 section 10.5).
DATA_TO_CAMERA = frozenset({0x100C, 0x100D, 0x1016})
EVENTS_SUPPORTED = (OBJECT_ADDED, CAPTURE_COMPLETE)


@dataclass(frozen=True, slots=True)
class Request:
    code: int
    transaction_id: int
    params: tuple[int, ...] = ()
    data: bytes | None = None  # the initiator's data phase, for DATA_TO_CAMERA operations

    def param(self, index: int) -> int:
        return self.params[index] if index < len(self.params) else 0


@dataclass(frozen=True, slots=True)
class Event:
    code: int
    transaction_id: int
    params: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    code: int
    params: tuple[int, ...] = ()
    data: bytes | None = None  # the camera's data phase, if any
    events: tuple[Event, ...] = ()


class Camera:
    """The device: identity, storage and properties, shared by all initiators."""

    def __init__(self, profile: VendorProfile, store: st.ObjectStore,
                 properties: Properties | None = None, capture_size: int = 0,
                 personality: Personality | None = None) -> None:
        self.profile = personality.profile if personality is not None else profile
        self.personality = personality
        self.store = store
        self.properties = properties or Properties()
        self.capture_size = capture_size or st.DEFAULT_OBJECT_SIZE
        for code, data_type in personality.vendor_properties if personality is not None else ():
            self.properties.add_vendor(code, data_type)
        self.operations = _operations(personality)
        self.behaviours = personality.behaviours if personality is not None else frozenset()

    def device_info(self) -> bytes:
        who = self.personality
        return ptp.device_info(ptp.DeviceInfo(
            vendor_extension_id=self.profile.vendor_extension_id,
            vendor_extension_desc=self.profile.vendor_extension_desc,
            operations=sorted(self.operations), events=EVENTS_SUPPORTED,
            properties=self.properties.codes(),
            capture_formats=(st.FORMAT_EXIF_JPEG,),
            image_formats=(st.FORMAT_EXIF_JPEG, st.FORMAT_JFIF, st.FORMAT_UNDEFINED),
            manufacturer=self.profile.manufacturer, model=self.profile.model,
            device_version=who.device_version if who else DEVICE_VERSION,
            serial_number=SERIAL_NUMBER,
            vendor_extension_version=who.vendor_extension_version if who else 100,
        ))


def _operations(personality: Personality | None) -> dict[int, tuple[Handler, bool]]:
    """The handlers a camera answers: the standard set, less InitiateCapture where the
    personality has no standard capture, plus the vendor operations it advertises."""
    if personality is None:
        return dict(_HANDLERS)
    table = {code: entry for code, entry in _HANDLERS.items()
             if personality.capture or code != INITIATE_CAPTURE}
    table.update({code: VENDOR_HANDLERS[code] for code in personality.vendor_operations})
    return table


class PtpSession:
    """One initiator's PTP session state over one command connection."""

    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.session_id = 0
        self.pending: tuple[ptp.ObjectInfo, int] | None = None  # SendObjectInfo, new handle

    def expects_data(self, code: int) -> bool:
        return code in DATA_TO_CAMERA or (code == SONY_9280 and code in self.camera.operations)

    def handle(self, request: Request) -> Reply:
        entry = self.camera.operations.get(request.code)
        if entry is None:
            return Reply(OPERATION_NOT_SUPPORTED)
        handler, needs_session = entry
        if needs_session and not self.session_id:
            return Reply(SESSION_NOT_OPEN)
        try:
            reply = handler(self, request)
        except DatasetError:
            return Reply(INVALID_PARAMETER)
        return self._as_personality(request, reply)

    def _as_personality(self, request: Request, reply: Reply) -> Reply:
        """CoolPix P3 (ptpip.c header): an error response after a correct transfer."""
        if (Behaviour.ERROR_AFTER_TRANSFER in self.camera.behaviours
                and request.code == GET_OBJECT and reply.code == OK and reply.data):
            return Reply(GENERAL_ERROR, reply.params, reply.data, reply.events)
        return reply

    def _object(self, request: Request) -> st.StoredObject | None:
        return self.camera.store.objects.get(request.param(0))

    # -- session and device ------------------------------------------------------------
    def open_session(self, request: Request) -> Reply:
        if self.session_id:
            return Reply(SESSION_ALREADY_OPEN, (self.session_id,))
        if request.param(0) == 0:
            return Reply(INVALID_PARAMETER)
        self.session_id = request.param(0)
        return Reply(OK)

    def close_session(self, request: Request) -> Reply:
        self.session_id = 0
        self.pending = None
        return Reply(OK)

    def get_device_info(self, request: Request) -> Reply:
        return Reply(OK, data=self.camera.device_info())

    def get_storage_ids(self, request: Request) -> Reply:
        return Reply(OK, data=ptp.array_u32([st.STORAGE_ID]))

    def get_storage_info(self, request: Request) -> Reply:
        if request.param(0) != st.STORAGE_ID:
            return Reply(INVALID_STORAGE_ID)
        return Reply(OK, data=ptp.storage_info(self.camera.store.storage_info()))

    # -- objects -----------------------------------------------------------------------
    def _listing(self, request: Request) -> list[int] | Reply:
        storage, parent = request.param(0), request.param(2)
        if storage not in (st.ALL_STORAGES, st.STORAGE_ID):
            return Reply(INVALID_STORAGE_ID)
        if parent not in (0, ALL_OBJECTS) and parent not in self.camera.store.objects:
            return Reply(INVALID_OBJECT_HANDLE)
        if parent not in (0, ALL_OBJECTS):
            return []  # every object is a file in the root: no children
        return self.camera.store.handles(storage, request.param(1))

    def get_num_objects(self, request: Request) -> Reply:
        listing = self._listing(request)
        return listing if isinstance(listing, Reply) else Reply(OK, (len(listing),))

    def get_object_handles(self, request: Request) -> Reply:
        listing = self._listing(request)
        return listing if isinstance(listing, Reply) else Reply(OK, data=ptp.array_u32(listing))

    def get_object_info(self, request: Request) -> Reply:
        obj = self._object(request)
        if obj is None:
            return Reply(INVALID_OBJECT_HANDLE)
        return Reply(OK, data=ptp.object_info(obj.info))

    def get_object(self, request: Request) -> Reply:
        obj = self._object(request)
        return Reply(INVALID_OBJECT_HANDLE) if obj is None else Reply(OK, data=obj.data)

    def get_partial_object(self, request: Request) -> Reply:
        obj = self._object(request)
        if obj is None:
            return Reply(INVALID_OBJECT_HANDLE)
        offset, limit = request.param(1), request.param(2)
        if offset > len(obj.data):
            return Reply(INVALID_PARAMETER)
        chunk = obj.data[offset:offset + limit]
        return Reply(OK, (len(chunk),), data=chunk)

    def get_thumb(self, request: Request) -> Reply:
        obj = self._object(request)
        if obj is None:
            return Reply(INVALID_OBJECT_HANDLE)
        return Reply(NO_THUMBNAIL) if obj.thumb is None else Reply(OK, data=obj.thumb)

    def delete_object(self, request: Request) -> Reply:
        handle = request.param(0)
        if handle == ALL_OBJECTS:
            self.camera.store.objects.clear()
        elif self.camera.store.objects.pop(handle, None) is None:
            return Reply(INVALID_OBJECT_HANDLE)
        return Reply(OK)

    def send_object_info(self, request: Request) -> Reply:
        if request.param(0) not in (0, st.STORAGE_ID):
            return Reply(INVALID_STORAGE_ID)
        info = read_object_info(request.data or b"")
        if info.compressed_size > self.camera.store.storage_info().free_space:
            return Reply(STORE_FULL)
        handle = self.camera.store.next_handle
        self.pending = (info, handle)
        return Reply(OK, (st.STORAGE_ID, 0, handle))

    def send_object(self, request: Request) -> Reply:
        if self.pending is None:
            return Reply(NO_VALID_OBJECT_INFO)
        info, _ = self.pending
        self.pending = None
        self.camera.store.add_info(info, request.data or b"")
        return Reply(OK)

    def initiate_capture(self, request: Request) -> Reply:
        handle = st.capture(self.camera.store, self.camera.capture_size)
        tid = request.transaction_id
        return Reply(OK, events=(Event(OBJECT_ADDED, tid, (handle,)),
                                 Event(CAPTURE_COMPLETE, tid)))

    # -- vendor operations a personality advertises (library.c camera_init) --------------
    def vendor_ok(self, request: Request) -> Reply:
        """Canon SetRemoteMode / SetEventMode, Sony 0x9280 (its data is taken, not read),
        Fuji's InitiateOpenCapture / TerminateOpenCapture (no live view is simulated)."""
        return Reply(OK)

    def sony_9281(self, request: Request) -> Reply:
        """Sony 0x9281 returns data gphoto2 frees unread; its layout is not sourced: a u32 0."""
        return Reply(OK, data=bytes(4))

    # -- properties --------------------------------------------------------------------
    def get_device_prop_desc(self, request: Request) -> Reply:
        desc = self.camera.properties.desc(request.param(0))
        if desc is None:
            return Reply(DEVICE_PROP_NOT_SUPPORTED)
        return Reply(OK, data=ptp.device_prop_desc(desc))

    def get_device_prop_value(self, request: Request) -> Reply:
        desc = self.camera.properties.desc(request.param(0))
        if desc is None:
            return Reply(DEVICE_PROP_NOT_SUPPORTED)
        return Reply(OK, data=ptp.property_value(desc.data_type, desc.current))

    def set_device_prop_value(self, request: Request) -> Reply:
        desc = self.camera.properties.desc(request.param(0))
        if desc is None:
            return Reply(DEVICE_PROP_NOT_SUPPORTED)
        if not desc.writable:
            return Reply(ACCESS_DENIED)
        value = read_property_value(request.data or b"", desc.data_type)
        ok = self.camera.properties.set(desc.code, value)
        return Reply(OK if ok else INVALID_DEVICE_PROP_VALUE)


Handler = Callable[[PtpSession, Request], Reply]
# operation code -> (handler, needs an open session); ISO 15740 section 10.4.
_HANDLERS: dict[int, tuple[Handler, bool]] = {
    0x1001: (PtpSession.get_device_info, False),
    0x1002: (PtpSession.open_session, False),
    0x1003: (PtpSession.close_session, True),
    0x1004: (PtpSession.get_storage_ids, True),
    0x1005: (PtpSession.get_storage_info, True),
    0x1006: (PtpSession.get_num_objects, True),
    0x1007: (PtpSession.get_object_handles, True),
    0x1008: (PtpSession.get_object_info, True),
    0x1009: (PtpSession.get_object, True),
    0x100A: (PtpSession.get_thumb, True),
    0x100B: (PtpSession.delete_object, True),
    0x100C: (PtpSession.send_object_info, True),
    0x100D: (PtpSession.send_object, True),
    0x100E: (PtpSession.initiate_capture, True),
    0x1014: (PtpSession.get_device_prop_desc, True),
    0x1015: (PtpSession.get_device_prop_value, True),
    0x1016: (PtpSession.set_device_prop_value, True),
    0x101B: (PtpSession.get_partial_object, True),
}
VENDOR_HANDLERS: dict[int, tuple[Handler, bool]] = {
    0x9114: (PtpSession.vendor_ok, True), 0x9115: (PtpSession.vendor_ok, True),
    0x9280: (PtpSession.vendor_ok, True), 0x9281: (PtpSession.sony_9281, True),
    # InitiateOpenCapture / TerminateOpenCapture: Fuji's init starts its event queue with it
    0x101C: (PtpSession.vendor_ok, True), 0x1018: (PtpSession.vendor_ok, True),
}
