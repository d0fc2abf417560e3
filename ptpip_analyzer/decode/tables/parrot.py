"""Parrot (drone cameras) PTP extension (VendorExtensionID 0x1B).

Source: libgphoto2 camlibs/ptp2/ptp.h at commit 813de344e697
(https://github.com/gphoto/libgphoto2/blob/813de344e697eee4443e4ca38b6923f1db46eef2/camlibs/ptp2/ptp.h),
the PTP_*_PARROT_* defines, taken as facts (code and name, the prefix dropped)
by a one-off extraction; the first name wins where ptp.h defines a code twice.
"""

OPERATIONS: dict[int, str] = {
    0x9201: "GetSunshineValues",
    0x9202: "GetTemperatureValues",
    0x9203: "GetAngleValues",
    0x9204: "GetGpsValues",
    0x9205: "GetGyroscopeValues",
    0x9206: "GetAccelerometerValues",
    0x9207: "GetMagnetometerValues",
    0x9208: "GetImuValues",
    0x9209: "GetStatusMask",
    0x920A: "EjectStorage",
    0x9210: "StartMagnetoCalib",
    0x9211: "StopMagnetoCalib",
    0x9212: "MagnetoCalibStatus",
    0x9213: "SendFirmwareUpdate",
}


EVENTS: dict[int, str] = {
    0xC201: "Status",
    0xC202: "MagnetoCalibrationStatus",
}


PROPERTIES: dict[int, str] = {
    0xD201: "PhotoSensorEnableMask",
    0xD202: "PhotoSensorsKeepOn",
    0xD203: "MultispectralImageSize",
    0xD204: "MainBitDepth",
    0xD205: "MultispectralBitDepth",
    0xD206: "HeatingEnable",
    0xD207: "WifiStatus",
    0xD208: "WifiSSID",
    0xD209: "WifiEncryptionType",
    0xD20A: "WifiPassphrase",
    0xD20B: "WifiChannel",
    0xD20C: "Localization",
    0xD20D: "WifiMode",
    0xD210: "AntiFlickeringFrequency",
    0xD211: "DisplayOverlayMask",
    0xD212: "GPSInterval",
    0xD213: "MultisensorsExposureMeteringMode",
    0xD214: "MultisensorsExposureTime",
    0xD215: "MultisensorsExposureProgramMode",
    0xD216: "MultisensorsExposureIndex",
    0xD217: "MultisensorsIrradianceGain",
    0xD218: "MultisensorsIrradianceIntegrationTime",
    0xD219: "OverlapRate",
}
