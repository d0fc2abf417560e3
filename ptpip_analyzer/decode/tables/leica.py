"""Leica PTP extension (libgphoto2 pseudo vendor id 0xFFFC).

Source: libgphoto2 camlibs/ptp2/ptp.h at commit 813de344e697
(https://github.com/gphoto/libgphoto2/blob/813de344e697eee4443e4ca38b6923f1db46eef2/camlibs/ptp2/ptp.h),
the PTP_*_LEICA_* defines, taken as facts (code and name, the prefix dropped)
by a one-off extraction; the first name wins where ptp.h defines a code twice.
"""

OPERATIONS: dict[int, str] = {
    0x9001: "SetCameraSettings",
    0x9002: "GetCameraSettings",
    0x9003: "GetLensParameter",
    0x9004: "LEReleaseStages",
    0x9005: "LEOpenSession",
    0x9006: "LECloseSession",
    0x9007: "RequestObjectTransferReady",
    0x9008: "GetGeoTrackingData",
    0x900A: "OpenDebugSession",
    0x900B: "CloseDebugSession",
    0x900C: "GetDebugBuffer",
    0x900D: "DebugCommandString",
    0x900E: "GetDebugRoute",
    0x900F: "SetIPTCData",
    0x9010: "GetIPTCData",
    0x9016: "LEControlAutoFocus",
    0x9019: "LEControlBulbExposure",
    0x901A: "LEControlContinuousExposure",
    0x901B: "901b",
    0x901C: "LEControlPhotoLiveView",
    0x901D: "LEKeepSessionActive",
    0x901E: "LEMoveLens",
    0x9020: "Get3DAxisData",
    0x9021: "LESetZoomMode",
    0x9022: "LESetFocusCrossPosition",
    0x9024: "LESetDisplayWindowPosition",
    0x9025: "LEGetStreamData",
    0x9030: "OpenLiveViewSession",
    0x9031: "CloseLiveViewSession",
    0x9036: "LESetDateTime",
    0x9037: "GetObjectPropListPaginated",
    0x9100: "OpenProductionSession",
    0x9101: "CloseProductionSession",
    0x9102: "UpdateFirmware",
    0x9103: "OpenOSDSession",
    0x9104: "CloseOSDSession",
    0x9105: "GetOSDData",
    0x9106: "GetFirmwareStruct",
    0x910B: "GetDebugMenu",
    0x910C: "SetDebugMenu",
    0x910D: "OdinMessage",
    0x910E: "GetDebugObjectHandles",
    0x910F: "GetDebugObject",
    0x9110: "DeleteDebugObject",
    0x9111: "GetDebugObjectInfo",
    0x9112: "WriteDebugObject",
    0x9113: "CreateDebugObject",
    0x9114: "Calibrate3DAxis",
    0x9115: "MagneticCalibration",
    0x9116: "GetViewFinderData",
}


PROPERTIES: dict[int, str] = {
    0xD018: "ExternalShooting",
}
