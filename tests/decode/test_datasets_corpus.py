"""Every dataset in the shipped captures decodes to what the simulator or initiator put there."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.decode.data_phases import DataPhaseAssembler
from ptpip_analyzer.decode.dataset_decoder import decode_dataset
from ptpip_analyzer.decode.dataset_types import DeviceInfo, DevicePropDesc, ObjectInfo, Range
from ptpip_analyzer.decode.datasets import Decoded
from ptpip_analyzer.engine import dissect_file

CAPTURES = Path(__file__).resolve().parents[2] / "captures"
ALL = sorted(p for p in CAPTURES.rglob("*") if p.suffix in (".pcap", ".pcapng")
             and "hostile" not in p.parts)  # captures/hostile: tests/test_hostile_captures.py


def datasets(path: Path) -> list[Decoded]:
    assembler = DataPhaseAssembler()
    out = []
    phases = [ph for conn, rec in dissect_file(path).records()
              for ph in assembler.feed(conn, rec)] + assembler.close()
    for phase in phases:
        if phase.payload is None or phase.opcode is None or not phase.complete:
            continue
        result = decode_dataset(phase.opcode, phase.payload, phase.params)
        if result is None or path.parent.name == "synthetic":
            continue  # damaged on purpose, and their DeviceInfo is 0x64 then 300 zero bytes
        assert isinstance(result, Decoded), (path.name, phase, result)
        assert result.trailing == 0, (path.name, result)
        out.append(result)
    return out


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_dataset_decodes(path: Path) -> None:
    datasets(path)


def test_nikon_device_info_and_prop_descs() -> None:
    found = datasets(CAPTURES / "real" / "gphoto2-summary-nikon.pcapng")
    info = next(d.value for d in found if isinstance(d.value, DeviceInfo))
    assert (info.vendor_extension_id, info.manufacturer, info.model) == (
        0xA, "Nikon Corporation", "D750")
    assert 0x1014 in info.operations and info.properties == (0x5001, 0x5003, 0x5011)
    descs = {d.value.code: d.value for d in found if isinstance(d.value, DevicePropDesc)}
    assert descs[0x5001].current == 87 and descs[0x5001].form == Range(0, 100, 1)
    assert descs[0x5003].form == ("320x240", "640x480", "1280x960")
    assert descs[0x5011].data_type == 0xFFFF and descs[0x5011].current.startswith("2024")


def test_uploaded_object_info() -> None:
    found = datasets(CAPTURES / "real" / "gphoto2-upload-file.pcapng")
    sent = [d.value for d in found if isinstance(d.value, ObjectInfo)]
    assert sent and sent[-1].parent_object == 0xFFFFFFFF and sent[-1].capture_date == ""
    assert sent[-1].object_format == 0x3801 and sent[-1].filename.endswith((".JPG", ".jpg"))


def test_listed_objects() -> None:
    found = datasets(CAPTURES / "real" / "gphoto2-list-files.pcapng")
    names = [d.value.filename for d in found if isinstance(d.value, ObjectInfo)]
    assert len(names) == 3 and all(n.upper().endswith(".JPG") for n in names)
    assert all(d.value.compressed_size == 20000 for d in found  # type: ignore[union-attr]
               if isinstance(d.value, ObjectInfo))
