"""Which side sends the data phase of each standard operation (ISO 15740 section 10.5).

"in" is camera to host (the USB term, as in PTP over USB), "out" host to camera, "none" an
operation without data phase. Operations missing here (vendor ones) are not checked.
"""

from __future__ import annotations

import enum

from ..model import Direction


class DataDirection(enum.Enum):
    IN = "in"  # responder -> initiator
    OUT = "out"  # initiator -> responder
    NONE = "none"

    @classmethod
    def of_sender(cls, direction: Direction) -> DataDirection:
        """The data direction when Start Data travels in ``direction``."""
        return cls.OUT if direction is Direction.TO_RESPONDER else cls.IN


_IN = (0x1001, 0x1004, 0x1005, 0x1007, 0x1008, 0x1009, 0x100A, 0x1014, 0x1015, 0x101B,
       0x1020, 0x1021, 0x1022, 0x1023, 0x1024, 0x1025)
_OUT = (0x100C, 0x100D, 0x1016)
_NONE = (0x1002, 0x1003, 0x1006, 0x100B, 0x100E, 0x100F, 0x1010, 0x1011, 0x1012, 0x1013,
         0x1017, 0x1018, 0x1019, 0x101A, 0x101C)

OPERATION_DATA_DIRECTION: dict[int, DataDirection] = {
    **{code: DataDirection.IN for code in _IN},
    **{code: DataDirection.OUT for code in _OUT},
    **{code: DataDirection.NONE for code in _NONE},
}


def expected_data_direction(opcode: int) -> DataDirection | None:
    """The defined data direction of a standard operation, None when unknown (vendor codes)."""
    return OPERATION_DATA_DIRECTION.get(opcode)
