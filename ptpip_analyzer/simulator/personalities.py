"""Camera personalities: who a simulated camera is over PTP/IP, each fact with its source.

A personality is data: the DeviceInfo identity (VendorExtensionID and version, manufacturer,
model, the vendor operations and properties it adds to what the simulator implements), the
Init Command Ack name and GUID style, the behaviours the simulator reproduces, how it announces
itself (SSDP / mDNS) and the gphoto2 camera model that drives it. ``facts`` says where each
value comes from; "not sourced" means we found no public record and chose a plausible value,
and docs/cameras.md prints exactly that. Sources used (paths in github.com/gphoto/libgphoto2 at
tag libgphoto2-2_5_30-release unless said otherwise):

* ``seed``: ../shared/seed/gphoto-ptpip-documentation.txt (the first PTP/IP cameras; "MAC is
  used here for my camera, and repeated" for the Ack GUID).
* ``ptpip.c``: header comments (CoolPix P3 error after a correct transfer; Nikon WU-1 GUID
  0011223344556677) and ptp_ptpip_connect (Ricoh THETA's event port not ready at once).
* ``library.c``: fixup_cached_deviceinfo (Nikon/Canon/Sony reporting MTP ids; Olympus E-M),
  camera_init (Canon SetRemoteMode, Sony 0x9280/0x9281 over PTP/IP, Fuji's init), camera_exit
  (Olympus 0xD052), ptpip_models (the "(WLAN)" camera names).
* ``sony-pm-alt``: github.com/falk0069/sony-pm-alt (README and sony-pm-alt.py: SSDP NOTIFY
  types, USN and SERVER of a Sony ILCE-5000; the camera refuses a host GUID it was not paired
  with).
* ``theta-api``: github.com/ricohapi/theta-api-specs theta-web-api-v1.0 (PTP-IP on 15740,
  vendor_extension_version 100 for the RICOH THETA, 110 for the m15).
* ``nikon-mdns``: a published capture of a Nikon Z9's mDNS TXT record for ``_ptp._tcp``
  (guid=04b00450-0000-1001-8001-<MAC>, vid=A, pid=450) and apps browsing ``_nikon._tcp``.
* ``canon-ssdp``: Canon's SSDP service type urn:schemas-canon-com:service:
  ICPO-SmartPhoneEOSSystemService:1 as searched for by public camera tools.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..decode.encode_ptp import DataType
from ..decode.vendor import VendorExtensionId as Vid
from .profile import VendorProfile

NOT_SOURCED = "not sourced"
GPHOTO2_GENERIC = "PTP/IP Camera"


class Behaviour(enum.Enum):
    """Documented camera behaviour the simulator reproduces (docs/quirks.md lists each)."""

    ERROR_AFTER_TRANSFER = "error-after-transfer"  # GetObject answered GeneralError after all data
    DATA_THEN_EMPTY_END = "data-then-empty-end"  # all bytes in Data, End Data empty
    REGISTERED_GUID_ONLY = "registered-guid-only"  # Init Fail (reason 1) for an unknown host GUID
    REMOTE_MODE_AFTER_OPEN = "remote-mode-after-open"  # Canon SetRemoteMode/SetEventMode answered
    EVENT_PORT_LATE = "event-port-late"  # event connections refused for a moment after the Ack


class GuidStyle(enum.Enum):
    MAC_REPEATED = "mac-repeated"  # seed: the camera's MAC, repeated
    NIKON_WU1 = "nikon-wu1"  # ptpip.c: 0011223344556677
    USB_IDS_MAC = "usb-ids-mac"  # nikon-mdns: USB vendor/product id, fixed middle, MAC
    UPNP_UUID = "upnp-uuid"  # sony-pm-alt: 00000000-0001-0010-8000-<MAC>, the SSDP UUID
    RANDOM = "random"  # no public record: a fixed pseudo-random GUID


@dataclass(frozen=True, slots=True)
class Fact:
    topic: str
    value: str
    source: str


@dataclass(frozen=True, slots=True)
class Announcement:
    """How the camera tells the network it is there (decoded by ptpip_analyzer.discovery)."""

    ssdp_types: tuple[str, ...] = ()  # NT values of the SSDP NOTIFY ssdp:alive messages
    ssdp_server: str = ""
    mdns_services: tuple[str, ...] = ()  # e.g. "_ptp._tcp.local."
    mdns_txt: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Personality:
    name: str  # the --camera NAME
    title: str  # what the analyzer calls the camera ("Nikon CoolPix P3")
    profile: VendorProfile
    vendor_extension_version: int
    device_version: str
    ack_name: str
    guid_style: GuidStyle
    mac: bytes  # 6 bytes; made up for every personality (documentation range 02:...)
    gphoto2_model: str = GPHOTO2_GENERIC
    vendor_operations: tuple[int, ...] = ()  # advertised and answered (camera.VENDOR_HANDLERS)
    vendor_properties: tuple[tuple[int, int], ...] = ()  # (code, DataType), writable, value 0
    fuji_framing: bool = False  # Fuji's own framing on 55740-55742 (simulator/fuji.py)
    capture: bool = True  # InitiateCapture listed (gphoto2 --capture-image)
    behaviours: frozenset[Behaviour] = frozenset()
    announcement: Announcement = Announcement()
    usb_ids: tuple[int, int] = (0, 0)  # for GuidStyle.USB_IDS_MAC
    facts: tuple[Fact, ...] = field(default=())

    @property
    def guid(self) -> bytes:
        return make_guid(self.guid_style, self.mac, self.usb_ids)

    @property
    def uuid(self) -> str:
        """The UPnP / DNS-SD UUID, the GUID's 16 bytes in 8-4-4-4-12 form."""
        h = self.guid.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def make_guid(style: GuidStyle, mac: bytes, usb_ids: tuple[int, int] = (0, 0)) -> bytes:
    if style is GuidStyle.MAC_REPEATED:  # bytes 12-15 are not in the seed: zeros
        return mac + mac + bytes(4)
    if style is GuidStyle.NIKON_WU1:  # the comment gives 8 bytes; the other 8 are zeros
        return bytes.fromhex("0011223344556677") + bytes(8)
    if style is GuidStyle.USB_IDS_MAC:
        vid, pid = usb_ids
        return (vid.to_bytes(2, "big") + pid.to_bytes(2, "big")
                + bytes.fromhex("000010018001") + mac)
    if style is GuidStyle.UPNP_UUID:
        return bytes.fromhex("00000000000100108000") + mac
    return bytes.fromhex("5054504950534d01") + mac + b"\xa1\x01"


# VendorExtensionIDs: libgphoto2 ptp.h PTP_VENDOR_*.
KODAK, MICROSOFT, NIKON = Vid.EASTMAN_KODAK, Vid.MICROSOFT, Vid.NIKON
CANON, FUJI, MTP = Vid.CANON, Vid.FUJI, Vid.MTP
CANON_SET_REMOTE_MODE, CANON_SET_EVENT_MODE = 0x9114, 0x9115
SONY_9280, SONY_9281 = 0x9280, 0x9281
OLYMPUS_PC_MODE = 0xD052
UINT16, UINT32 = DataType.UINT16, DataType.UINT32
INITIATE_OPEN_CAPTURE, TERMINATE_OPEN_CAPTURE = 0x101C, 0x1018
FUJI_PRIORITY_MODE, FUJI_INIT_SEQUENCE, FUJI_APP_VERSION = 0xD207, 0xDF01, 0xDF24  # ptp.h
# The properties libgphoto2 adds to a Fuji's DeviceInfo (library.c fixup_cached_deviceinfo,
# most marked "seen on xt3") and so asks about: listed, so that each is answered with data;
# their types and values are not sourced (UINT16 0 here; ExposureTime UINT32 as in PTP)
FUJI_EXPOSURE_TIME = 0x500D
FUJI_ADDED_PROPERTIES = (
    0x5007, 0xD38C, 0xD171, 0xD21C, 0xD347, 0xD170, 0xD242, 0xD174, 0xD168, 0xD173, 0xD230,
    0xD16E, 0xD372, 0xD020, 0xD022, 0xD023, 0xD024, 0xD025, 0xD026, 0xD027, 0xD029, 0xD16F,
    0xD02F, 0xD395, 0xD320, 0xD321, 0xD322, 0xD323, 0xD346, 0xD34A, 0xD34B, 0xD34D, 0xD351,
    0xD35E, 0xD365, 0xD366, 0xD374, 0xD310, 0xD359, 0xD375, 0xD376, 0xD36E, 0xD33F, 0xD364,
    0xD34E, 0xD02E, 0xD36D, 0xD38A, 0xD36A, 0xD36B, 0xD36F, 0xD370, 0xD222, 0xD223, 0xD38D,
    0xD38E, 0xD17B)

_SEED = "seed (the first PTP/IP cameras)"
_ACK_NOT_SOURCED = Fact("Init Command Ack name", "the model string", NOT_SOURCED)
_STANDARD_OPS = (
    Fact("standard operations", "the ISO 15740 set the simulator implements",
         "our choice: the camera's own full list is " + NOT_SOURCED),
    Fact("parameters", "responses and events carry only the parameters they have (not padded "
         "to 5 / 3)", "our choice: whether this camera pads is " + NOT_SOURCED))


def _coolpix(model: str, behaviours: frozenset[Behaviour] = frozenset(),
             extra: tuple[Fact, ...] = ()) -> Personality:
    name = "coolpix-" + model.lower()
    return Personality(
        name=name, title=f"Nikon CoolPix {model}",
        profile=VendorProfile(NIKON, "", "Nikon Corporation", f"COOLPIX {model}"),
        vendor_extension_version=100, device_version="COOLPIX " + model + " V1.0",
        ack_name=f"COOLPIX {model}", guid_style=GuidStyle.MAC_REPEATED,
        mac=bytes.fromhex("020000d0") + model.encode("ascii"), behaviours=behaviours,
        facts=(Fact("camera", f"Nikon CoolPix {model} used PTP/IP", _SEED),
               Fact("VendorExtensionID", "0xA (Nikon)", "ptp.h PTP_VENDOR_NIKON; the value "
                    "this model reports is " + NOT_SOURCED),
               Fact("Manufacturer", "Nikon Corporation", "library.c matches \"Nikon\"; the "
                    "exact string for this model is " + NOT_SOURCED),
               Fact("Model", f"COOLPIX {model}", NOT_SOURCED),
               Fact("GUID style", "MAC, repeated", "seed (\"MAC is used here for my camera, and "
                    "repeated\"; the camera is not named, bytes 12-15 " + NOT_SOURCED + ")"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS, *extra))


def _current(name: str, title: str, profile: VendorProfile, **kw: object) -> Personality:
    defaults: dict[str, object] = {"vendor_extension_version": 100, "device_version": "1.00",
                                   "ack_name": profile.model, "guid_style": GuidStyle.RANDOM}
    defaults.update(kw)
    fields: dict[str, object] = {"name": name, "title": title, "profile": profile, **defaults}
    return Personality(**fields)  # type: ignore[arg-type]


def _first_camera(name: str, title: str, vendor_id: str, profile: VendorProfile, mac: str,
                  *extra: Fact) -> Personality:
    """One of the seed's first PTP/IP cameras other than the CoolPix line."""
    return _current(
        name, title, profile, mac=bytes.fromhex(mac), guid_style=GuidStyle.MAC_REPEATED,
        facts=(Fact("camera", f"{title} used PTP/IP", _SEED),
               Fact("VendorExtensionID", vendor_id, "ptp.h PTP_VENDOR_*; the value this model "
                    "reports is " + NOT_SOURCED),
               Fact("Manufacturer / Model", f"{profile.manufacturer} / {profile.model}",
                    NOT_SOURCED),
               Fact("GUID style", "MAC, repeated", "seed (camera not named)"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS, *extra))


_P3_ERROR = Fact("behaviour", "answers an error (GeneralError 0x2002 here; the code is "
                 + NOT_SOURCED + ") after a correct GetObject transfer",
                 "ptpip.c header: \"Coolpix P3 ... reports an error when transfers finish "
                 "correctly\"")

PERSONALITIES: dict[str, Personality] = {p.name: p for p in (
    _coolpix("P1"), _coolpix("P2"),
    _coolpix("P3", frozenset({Behaviour.ERROR_AFTER_TRANSFER}), (_P3_ERROR,)),
    _coolpix("P4"), _coolpix("S6"),
    _first_camera("easyshare-one", "Kodak EasyShare One", "0x1 (Kodak)",
                  VendorProfile(KODAK, "", "Eastman Kodak Company", "Kodak EasyShare One"),
                  "02000000e101"),
    _first_camera("powershot-sd430", "Canon PowerShot SD430", "0xB (Canon)",
                  VendorProfile(CANON, "", "Canon Inc.", "Canon PowerShot SD430 WIRELESS"),
                  "02000000c401",
                  Fact("discovery", "PowerShots pair over UPnP/SSDP before PTP/IP",
                       "PROTOCOL.md (project note); the SD430's messages are " + NOT_SOURCED)),
    _current(
        "nikon-z", "Nikon Z (Z 9)",
        VendorProfile(NIKON, "", "Nikon Corporation", "Z 9"),
        mac=bytes.fromhex("020000397a9d"), guid_style=GuidStyle.USB_IDS_MAC,
        usb_ids=(0x04B0, 0x0450), gphoto2_model="Nikon DSLR (WLAN)",
        behaviours=frozenset({Behaviour.REGISTERED_GUID_ONLY}),
        announcement=Announcement(mdns_services=("_ptp._tcp.local.", "_nikon._tcp.local."),
                                  mdns_txt=(("vid", "A"), ("pid", "450"), ("ver", "1"))),
        facts=(Fact("VendorExtensionID", "0xA", "nikon-mdns (TXT vid=A)"),
               Fact("GUID style", "04b00450-0000-1001-8001-<MAC>", "nikon-mdns (TXT guid=); "
                    "that the Ack carries the same GUID is " + NOT_SOURCED),
               Fact("discovery", "mDNS _ptp._tcp (TXT guid, vid, pid, ver) and _nikon._tcp",
                    "nikon-mdns"),
               Fact("behaviour", "refuses a host GUID it was not paired with: Init Fail 1",
                    "PROTOCOL.md (Nikon, Sony); for Nikon specifically " + NOT_SOURCED),
               Fact("gphoto2 model", "Nikon DSLR (WLAN)", "library.c ptpip_models"),
               Fact("Model", "Z 9", "nikon-mdns (pid 0x450 is the Z 9's USB id)"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS)),
    _current(
        "canon-eos", "Canon EOS (EOS R6)",
        VendorProfile(MICROSOFT, "microsoft.com: 1.0", "Canon Inc.", "Canon EOS R6"),
        mac=bytes.fromhex("02000000e05e"), gphoto2_model="Canon EOS (WLAN)",
        vendor_operations=(CANON_SET_REMOTE_MODE, CANON_SET_EVENT_MODE),
        behaviours=frozenset({Behaviour.REMOTE_MODE_AFTER_OPEN}),
        announcement=Announcement(
            ssdp_types=("upnp:rootdevice",
                        "urn:schemas-canon-com:service:ICPO-SmartPhoneEOSSystemService:1"),
            ssdp_server="Camera OS/1.0 UPnP/1.0 Canon Device Discovery/1.0"),
        facts=(Fact("VendorExtensionID", "0x6 (Microsoft) with Manufacturer Canon",
                    "library.c: \"Newer Canons say that they are MTP devices\" (USB and "
                    "PTP/IP); that the R6 does is " + NOT_SOURCED),
               Fact("behaviour", "SetRemoteMode (0x9114) after OpenSession and GetDeviceInfo; "
                    "SetEventMode (0x9115) before capture", "library.c camera_init, config.c "
                    "camera_prepare_canon_eos_capture"),
               Fact("discovery", "SSDP ICPO-SmartPhoneEOSSystemService", "canon-ssdp; SERVER "
                    "string " + NOT_SOURCED),
               Fact("capture", "EOS RemoteRelease path not simulated: InitiateCapture listed "
                    "instead", "our choice"),
               Fact("gphoto2 model", "Canon EOS (WLAN)", "library.c ptpip_models"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS)),
    _current(
        "sony-alpha", "Sony Alpha (ILCE-5000)",
        VendorProfile(MTP, "microsoft.com: 1.0; sony.net: 1.0", "Sony Corporation",
                      "ILCE-5000"),
        mac=bytes.fromhex("020000a9899a"), guid_style=GuidStyle.UPNP_UUID,
        vendor_operations=(SONY_9280, SONY_9281), capture=False,
        behaviours=frozenset({Behaviour.DATA_THEN_EMPTY_END, Behaviour.REGISTERED_GUID_ONLY}),
        announcement=Announcement(
            ssdp_types=("upnp:rootdevice", "urn:microsoft-com:device:mtp:1",
                        "urn:microsoft-com:service:MtpNullService:1"),
            ssdp_server="FedoraCore/2 UPnP/1.0 MINT-X/1.8.1"),
        facts=(Fact("VendorExtensionID", "0xFFFFFFFF (MTP) with Manufacturer \"Sony "
                    "Corporation\"", "library.c (\"Mostly for PTP/IP mode\")"),
               Fact("discovery", "SSDP NOTIFY upnp:rootdevice, urn:microsoft-com:device:mtp:1,"
                    " MtpNullService; USN uuid:00000000-0001-0010-8000-<MAC>; SERVER "
                    "FedoraCore/2 UPnP/1.0 MINT-X/1.8.1", "sony-pm-alt"),
               Fact("GUID style", "the SSDP UUID's bytes", "sony-pm-alt gives the UUID; that "
                    "the Ack uses it is " + NOT_SOURCED),
               Fact("behaviour", "refuses a host GUID it was not paired with", "sony-pm-alt "
                    "(\"First time will probably fail since the GUID will be wrong\")"),
               Fact("behaviour", "0x9280 (data out) and 0x9281 (data in) before the file "
                    "system is read", "library.c camera_init (PTP/IP only)"),
               Fact("behaviour", "all data in Data packets, an empty End Data",
                    "PROTOCOL.md (project note); primary source " + NOT_SOURCED),
               Fact("capture", "Sony capture (SetControlDeviceB) not simulated: no "
                    "InitiateCapture", "library.c camera_capture"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS)),
    _current(
        "fujifilm-x", "Fujifilm X (X-T3)",
        VendorProfile(FUJI, "", "FUJIFILM", "X-T3"),
        mac=bytes.fromhex("020000f00f13"), capture=False, fuji_framing=True,
        gphoto2_model="Fuji X (WLAN)",
        vendor_operations=(INITIATE_OPEN_CAPTURE, TERMINATE_OPEN_CAPTURE),
        vendor_properties=((FUJI_PRIORITY_MODE, UINT16), (FUJI_INIT_SEQUENCE, UINT16),
                           (FUJI_APP_VERSION, UINT32), (FUJI_EXPOSURE_TIME, UINT32),
                           *((code, UINT16) for code in FUJI_ADDED_PROPERTIES)),
        facts=(Fact("VendorExtensionID", "0xE (Fuji)", "ptp.h PTP_VENDOR_FUJI"),
               Fact("framing", "own framing: ports 55740 (commands, data), 55741 (events), "
                    "55742 (JPEG); an 82-byte Init Command Request with magic 0x8F53E4F2, then "
                    "USB-style containers, no Start/End Data, no event handshake",
                    "fujiptpip.c"),
               Fact("behaviour", "gphoto2 sets InitSequence (0xDF01) to 5, reads and writes "
                    "back AppVersion (0xDF24), sends InitiateOpenCapture (0x101C), then opens "
                    "the event and JPEG ports; PriorityMode (0xD207) set to 1 at exit",
                    "library.c camera_init, config.c camera_unprepare_capture"),
               Fact("behaviour", "libgphoto2 2.5.30 sends the Init Command Request twice on "
                    "success (its connect loop runs while connect_tries < 2); each gets an Ack",
                    "fujiptpip.c ptp_fujiptpip_connect; how a real camera answers the second "
                    "is " + NOT_SOURCED),
               Fact("AppVersion value", "0", NOT_SOURCED),
               Fact("properties", "those libgphoto2 adds for Fuji (library.c "
                    "fixup_cached_deviceinfo, \"seen on xt3\"), so that it gets data for each",
                    "library.c; their types and values are " + NOT_SOURCED + " (UINT16 0)"),
               Fact("capture", "gphoto2 takes Fuji's own capture path (camera_fuji_capture) "
                    "for VendorExtensionID 0xE; not simulated: no InitiateCapture",
                    "library.c camera_capture"),
               Fact("live view", "port 55742 accepts connections and sends nothing",
                    "our choice"),
               Fact("gphoto2 model", "Fuji X (WLAN)", "library.c ptpip_models"),
               Fact("Model", "X-T3", NOT_SOURCED), _ACK_NOT_SOURCED, *_STANDARD_OPS)),
    _current(
        "ricoh-theta", "Ricoh THETA",
        VendorProfile(MICROSOFT, "", "RICOH", "RICOH THETA"),
        vendor_extension_version=100, mac=bytes.fromhex("02000007e7a0"),
        gphoto2_model="Ricoh Theta (WLAN)",
        behaviours=frozenset({Behaviour.EVENT_PORT_LATE}),
        facts=(Fact("transport", "PTP-IP on port 15740 (RICOH THETA 2013 and m15)",
                    "theta-api"),
               Fact("vendor_extension_version", "100 (THETA; 110 for the m15)", "theta-api"),
               Fact("VendorExtensionID", "0x6", "theta-api says a fixed value; which one is "
                    + NOT_SOURCED),
               Fact("behaviour", "event connection refused for a moment after the command "
                    "Ack", "ptpip.c (\"seen on Ricoh Theta, camera is not immediately "
                    "ready\"); the delay is " + NOT_SOURCED + " (150 ms here). libgphoto2 "
                    "2.5.30 retries on the same socket, which fails on Linux: with the delay on "
                    "gphoto2 cannot connect (simulate --event-port-delay 0 turns it off)"),
               Fact("gphoto2 model", "Ricoh Theta (WLAN)", "library.c ptpip_models"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS)),
    _current(
        "olympus-om", "Olympus OM-D (E-M1)",
        VendorProfile(MICROSOFT, "", "OLYMPUS", "E-M1"),
        mac=bytes.fromhex("020000e0e001"), vendor_properties=((OLYMPUS_PC_MODE, UINT16),),
        capture=False,
        facts=(Fact("Manufacturer / Model", "OLYMPUS / E-M...", "library.c: Manufacturer "
                    "\"OLYMPUS\" and a Model starting \"E-M\" select the OM-D code"),
               Fact("behaviour", "property 0xD052 set to 1 at start (PC mode) and 0 at exit",
                    "ptp.c ptp_olympus_init_pc_mode, library.c camera_exit"),
               Fact("capture", "OM-D capture path not simulated: no InitiateCapture",
                    "library.c camera_capture"),
               _ACK_NOT_SOURCED, *_STANDARD_OPS)),
)}


def personality(name: str) -> Personality:
    try:
        return PERSONALITIES[name]
    except KeyError:
        raise ValueError(f"unknown camera {name!r}; known: "
                         f"{', '.join(PERSONALITIES)}") from None


def listing() -> list[str]:
    """One line per personality for ``simulate --camera list``."""
    return [f"{p.name:<16} {p.title:<24} {p.profile.manufacturer} / {p.profile.model}; "
            f"gphoto2 --camera \"{p.gphoto2_model}\"" for p in PERSONALITIES.values()]
