"""export-objects' files: --force replaces a re-run's files, exit 1 when the capture lost
bytes of an object, the manifest says so."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.export.object_files import export_objects

CAPTURES = Path(__file__).parents[2] / "captures"
LOSS = CAPTURES / "synthetic" / "loss-midstream-vlan.pcap"  # 4 data segments lost
RESET = CAPTURES / "real" / "fault-reset-mid-transfer.pcapng"  # gphoto2; the camera resets


def test_a_rerun_makes_copies_and_force_replaces_them(tmp_path: Path) -> None:
    out = tmp_path / "objects"
    export_objects(CAPTURES / "real" / "gphoto2-get-all-files.pcapng", out)
    first = sorted(os.listdir(out))
    export_objects(CAPTURES / "real" / "gphoto2-get-all-files.pcapng", out)
    assert len(os.listdir(out)) == 2 * len(first)  # SIM_0001 (1).JPG, manifest (1).json ...
    forced = tmp_path / "forced"
    export_objects(CAPTURES / "real" / "gphoto2-get-all-files.pcapng", forced)
    (forced / "SIM_0001.JPG").write_bytes(b"stale")
    _, rows = export_objects(CAPTURES / "real" / "gphoto2-get-all-files.pcapng", forced,
                             force=True)
    assert sorted(os.listdir(forced)) == first
    assert (forced / "SIM_0001.JPG").stat().st_size == 20_000
    assert [r["file"] for r in json.loads((forced / "manifest.json").read_text())] == \
        [r.file for r in rows]


def test_force_never_writes_through_a_symlink(tmp_path: Path) -> None:
    out = tmp_path / "objects"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    (out / "SIM_0001.JPG").symlink_to(victim)
    _, rows = export_objects(CAPTURES / "real" / "gphoto2-get-all-files.pcapng", out,
                             force=True)
    assert victim.read_bytes() == b"keep me"
    assert "SIM_0001 (1).JPG" in [r.file for r in rows]


def test_capture_gaps_exit_1_and_show_in_the_manifest(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-objects", str(LOSS), "-d", str(tmp_path / "loss")]) == 1
    assert "1 object(s) incomplete because the capture lost bytes of them" in \
        capsys.readouterr().err
    (row,) = json.loads((tmp_path / "loss" / "manifest.json").read_text())
    assert (row["status"], row["capture_gaps"], row["file"]) == \
        ("partial", True, "object-00000001.bin.partial")


def test_an_object_cut_by_the_camera_is_partial_but_no_capture_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-objects", str(RESET), "-d", str(tmp_path / "reset")]) == 0
    assert "SIM_0001.JPG.partial" in capsys.readouterr().out
    (row,) = json.loads((tmp_path / "reset" / "manifest.json").read_text())
    assert (row["size"], row["capture_gaps"]) == (5000, False)
