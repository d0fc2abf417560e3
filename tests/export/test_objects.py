"""Objects out of captures: byte-identical to what the simulator served, hostile names tamed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ptpip_analyzer.export.object_files import export_objects
from ptpip_analyzer.simulator import store as st
from ptpip_analyzer.simulator.jpeg import make_jpeg

from .sessions import Script, hostile_capture, info

REAL = Path(__file__).parents[2] / "captures" / "real"


def served(count: int = 3, size: int = 20_000) -> dict[str, bytes]:
    """What the corpus' simulator serves (scripts/make_corpus.py: --generate 3, 20 000 bytes)."""
    store = st.ObjectStore()
    st.generate(store, count, size)
    return {o.info.filename: o.data for o in store.objects.values()}


@pytest.mark.parametrize("capture", ["gphoto2-get-all-files", "ptpy-download"])
def test_downloads_are_byte_identical_to_the_simulators_objects(capture: str,
                                                                 tmp_path: Path) -> None:
    _, rows = export_objects(REAL / f"{capture}.pcapng", tmp_path)
    expected = served()
    assert sorted(r.file for r in rows) == sorted(expected)
    for row in rows:
        assert (tmp_path / row.file).read_bytes() == expected[row.file]
        assert row.status == "complete" and row.kind == "object" and row.holes == []
        assert row.sha256 == hashlib.sha256(expected[row.file]).hexdigest()


def test_upload_is_named_from_send_object_info(tmp_path: Path) -> None:
    _, rows = export_objects(REAL / "gphoto2-upload-file.pcapng", tmp_path)
    [row] = rows
    assert (row.file, row.kind, row.status, row.opcode) == ("UPLOAD.JPG", "sent", "complete",
                                                             0x100D)
    assert (tmp_path / "UPLOAD.JPG").read_bytes() == make_jpeg(seed=4242, size=20_000)


@pytest.mark.parametrize("capture, size, hole", [
    ("fault-reset-mid-transfer", 5000, [(5000, 15000)]),
    ("fault-short-data", 19_900, [(19_900, 100)]),
    ("fault-long-data", 20_100, []),
])
def test_broken_transfers_are_marked_partial(capture: str, size: int,
                                             hole: list[tuple[int, int]], tmp_path: Path) -> None:
    _, rows = export_objects(REAL / f"{capture}.pcapng", tmp_path)
    [row] = rows
    assert row.status == "partial" and row.file == "SIM_0001.JPG.partial" and row.reason
    assert row.size == size and row.holes == hole
    assert (tmp_path / row.file).read_bytes() == served()["SIM_0001.JPG"][:size] or \
        capture == "fault-long-data"


def test_hostile_names_are_sanitised(tmp_path: Path) -> None:
    capture, objects = hostile_capture(tmp_path / "hostile.pcapng")
    out = tmp_path / "out"
    out.mkdir()
    (out / "SAME.JPG").write_bytes(b"already here")
    _, rows = export_objects(capture, out)
    names = [r.file for r in rows]
    assert names == ["passwd", "olute.JPG", "evil.JPG", "_CON", "_nul.txt", "bellline.JPG",
                     "object-00000007.jpg", "SAME (1).JPG", "same (2).JPG", "rtlgpj.exe",
                     "manifest (1).json", "object-0000000C.jpg"]
    assert {p.name for p in out.iterdir()} == set(names) | {"SAME.JPG", "manifest.json",
                                                            "manifest.csv"}
    assert (out / "SAME.JPG").read_bytes() == b"already here"
    for row in rows:
        assert (out / row.file).read_bytes() == objects[row.handle]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest[0]["name_on_wire"] == "../../etc/passwd"
    assert not (tmp_path / "etc").exists()


def test_partial_reads_are_joined_and_holes_named(tmp_path: Path) -> None:
    data = make_jpeg(seed=7, size=50_000)
    s = Script()
    s.transaction(0x1008, [5], data_in=info("BIG.JPG", len(data)))
    for offset in (0, 16384, 40000):  # 32768..40000 never read
        piece = data[offset:offset + 16384]
        s.transaction(0x101B, [5, offset, 16384], data_in=piece, response_params=[len(piece)])
    s.transaction(0x1008, [6], data_in=info("WHOLE.JPG", 1000))
    for offset in (0, 600):
        s.transaction(0x101B, [6, offset, 600], data_in=data[offset:min(offset + 600, 1000)])
    _, rows = export_objects(s.save(tmp_path / "partial.pcapng"), tmp_path / "out")
    big, whole = rows
    assert (big.file, big.status, big.holes) == ("BIG.JPG.partial", "partial", [(32768, 7232)])
    written = (tmp_path / "out" / big.file).read_bytes()
    assert written[:32768] == data[:32768] and written[40000:] == data[40000:50000]
    assert written[32768:40000] == bytes(7232) and len(big.transaction_ids) == 3
    assert (whole.file, whole.status) == ("WHOLE.JPG", "complete")
    assert (tmp_path / "out" / "WHOLE.JPG").read_bytes() == data[:1000]


def test_thumbnails_are_named_after_their_object(tmp_path: Path) -> None:
    thumb = make_jpeg(seed=3, width=16, height=16)
    s = Script()
    s.transaction(0x1008, [1], data_in=info("IMG_0001.JPG", 5000, thumb=len(thumb)))
    s.transaction(0x100A, [1], data_in=thumb)
    s.transaction(0x100A, [2], data_in=thumb, response=0x2009)  # no ObjectInfo; error response
    _, rows = export_objects(s.save(tmp_path / "thumb.pcapng"), tmp_path / "out")
    assert [(r.file, r.kind, r.status) for r in rows] == [
        ("IMG_0001_thumb.jpg", "thumb", "complete"),
        ("object-00000002_thumb.jpg.partial", "thumb", "partial")]
    assert "response 0x2009" in rows[1].reason


def test_export_objects_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ptpip_analyzer.cli import main
    assert main(["export-objects", str(REAL / "fault-short-data.pcapng"), "-d",
                 str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "partial  object      19900 SIM_0001.JPG.partial" in out
    assert "1 object(s), 1 partial" in out
    assert (tmp_path / "manifest.csv").read_text().count("\n") == 2
