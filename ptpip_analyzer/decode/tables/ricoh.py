"""Ricoh / Pentax PTP extension (VendorExtensionID 0xD "Pentax" in libgphoto2; RICOH THETA).

Sources: RICOH THETA API reference, "PTP-IP Reference" and "USB API reference"
(https://ricohapi.github.io/docs/theta-web-api, https://ricohapi.github.io/docs/theta-usb-api,
https://docs-theta-api.ricoh360.com/usb-api/) for the THETA vendor operations; libgphoto2
camlibs/ptp2/ptp.h (commit 813de344e697) PTP_DPC_RICOH_ShutterSpeed. Pentax K-series PTP
vendor codes have no public documentation we could find: not listed.
"""

OPERATIONS: dict[int, str] = {
    0x99A1: "WlanPowerControl",
    0x99A8: "GetPluginHandles",
    0x99AA: "SetPluginInfo",
    0x99B7: "SetPluginOrders",
    0x99B8: "GetPluginOrders",
}

PROPERTIES: dict[int, str] = {
    0xD00F: "ShutterSpeed",
}
