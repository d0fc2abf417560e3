"""Sigma fp PTP extension (libgphoto2 pseudo vendor id 0xFFFB).

Source: libgphoto2 camlibs/ptp2/ptp.h at commit 813de344e697
(https://github.com/gphoto/libgphoto2/blob/813de344e697eee4443e4ca38b6923f1db46eef2/camlibs/ptp2/ptp.h),
the PTP_*_SIGMA_* defines, taken as facts (code and name, the prefix dropped)
by a one-off extraction; the first name wins where ptp.h defines a code twice.
"""

OPERATIONS: dict[int, str] = {
    0x9010: "FP_GetCamConfig",
    0x9011: "FP_GetCamStatus",
    0x9012: "FP_GetDataGroup1",
    0x9013: "FP_GetDataGroup2",
    0x9014: "FP_GetDataGroup3",
    0x9015: "FP_GetCaptureStatus",
    0x9016: "FP_SetDataGroup1",
    0x9017: "FP_SetDataGroup2",
    0x9018: "FP_SetDataGroup3",
    0x9019: "FP_ClockAdjust",
    0x901B: "FP_Snap",
    0x901C: "FP_ClearImageDBSingle",
    0x901D: "FP_ClearImageDBAll",
    0x9020: "FP_GetPictFileInfo",
    0x9021: "FP_GetPartialPictFile",
    0x9022: "FP_GetBigPartialPictFile",
    0x9023: "FP_GetDataGroup4",
    0x9024: "FP_SetDataGroup4",
    0x9025: "FP_GetCamSentInfo2",
    0x9026: "FP_GetCamSentInfo3",
    0x9027: "FP_GetDataGroup5",
    0x9028: "FP_SetDataGroup5",
    0x9029: "FP_GetDataGroup6",
    0x902A: "FP_SetDataGroup6",
    0x902B: "FP_GetCamViewFrame",
    0x902C: "FP_GetCamStatus2",
    0x902D: "FP_GetPictFileInfo2",
    0x9030: "FP_GetCamCanSetInfo5",
    0x9031: "FP_GetCamDataGroupFocus",
    0x9032: "FP_SetCamDataGroupFocus",
    0x9033: "FP_GetCamDataGroupMovie",
    0x9034: "FP_SetCamDataGroupMovie",
    0x9035: "FP_GetCameraInfo",
    0x9036: "FP_GetMovieFileInfo",
    0x9037: "FP_GetPartialMovieFile",
}
