"""Excerpts: the chosen transactions and their context, read back by us and by tshark."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.engine import dissect_file, validate_records
from ptpip_analyzer.export.excerpt import ExcerptError, parse_selection, plan
from ptpip_analyzer.export.frame_copy import write_excerpt
from ptpip_analyzer.model import Malformed, Packet

from .sessions import Script

REAL = Path(__file__).parents[2] / "captures" / "real"
GET_ALL = REAL / "gphoto2-get-all-files.pcapng"


def excerpt(capture: Path, out: Path, ids: set[int], trim: bool = False,
            session: int | None = None) -> Path:
    chosen = plan(capture, ids, session, trim_data=trim)
    with open(out, "wb") as f:
        write_excerpt(capture, chosen, f)
    return out


def rows(path: Path) -> list[tuple[int | None, int, int, int | None, int]]:
    result = validate_records(dissect_file(path).records())
    return [(t.session, t.transaction_id, t.opcode, t.response_code, t.data_bytes)
            for t in result.transactions]


def test_selection_syntax() -> None:
    assert parse_selection("12-15, 20,0x1F") == {12, 13, 14, 15, 20, 31}
    with pytest.raises(ValueError):
        parse_selection("5-3")


@pytest.mark.parametrize("trim", [False, True])
def test_excerpt_holds_the_chosen_transactions_and_opensession(trim: bool,
                                                               tmp_path: Path) -> None:
    out = excerpt(GET_ALL, tmp_path / "x.pcapng", {8, 9}, trim)
    assert rows(out) == [(1, 0, 0x1002, 0x2001, 0), (1, 8, 0x1009, 0x2001, 20_000),
                         (1, 9, 0x1009, 0x2001, 20_000)]
    records = [r for _, r in dissect_file(out).records()]
    assert not any(isinstance(r, Malformed) for r in records)
    init = [r.ptype for r in records if isinstance(r, Packet) and r.ptype <= 5]
    assert init == [1, 2, 3, 4]
    size = out.stat().st_size
    assert size < 3600 if trim else 40_000 < size < GET_ALL.stat().st_size  # with comments


def test_trimmed_data_is_reported_as_missing_not_changed(tmp_path: Path) -> None:
    out = excerpt(GET_ALL, tmp_path / "x.pcapng", {8}, trim=True)
    [end] = [r for _, r in dissect_file(out).records()
             if isinstance(r, Packet) and r.ptype == 12]
    assert (end.transaction_id, end.data_length, end.missing) == (8, 20_000, 20_000)


def test_tshark_reads_the_excerpt(tmp_path: Path) -> None:
    tshark = shutil.which("tshark")
    assert tshark, "MISSING TOOL: tshark (apt package tshark; scripts/setup.sh installs it)"
    out = excerpt(GET_ALL, tmp_path / "x.pcapng", {8, 9}, trim=True)
    port = next(c.responder.port for c in plan(GET_ALL, {8}).connections.values())
    run = subprocess.run([tshark, "-r", str(out), "-d", f"tcp.port=={port},ptpip", "-Y",
                          "ptpip", "-T", "fields", "-e", "ptpip.pktType", "-e",
                          "ptpip.transactionID"], capture_output=True, text=True, check=True)
    decoded = [tuple(int(v, 16) for v in line.split()) for line in run.stdout.splitlines()]
    assert decoded == [(1,), (2,), (3,), (4,), (6, 0), (7, 0)] + [
        (ptype, tid) for tid in (8, 9) for ptype in (6, 9, 12, 7)]


def test_big_data_phase_is_cut_but_datasets_stay(tmp_path: Path) -> None:
    s = Script(mss=1448)
    s.transaction(0x1001, data_in=b"\x64\x00" + bytes(300))
    big = bytes(range(256)) * 2000  # 512 000 bytes in 64 KiB Data packets
    s.transaction(0x1009, [1], data_in=big)
    capture = s.save(tmp_path / "big.pcapng")
    out = excerpt(capture, tmp_path / "x.pcapng", {1, 2}, trim=True)
    assert out.stat().st_size < capture.stat().st_size // 5
    assert rows(out) == rows(capture)
    kept = [r for _, r in dissect_file(out).records() if isinstance(r, Packet)]
    data = [r for r in kept if r.ptype in (10, 12) and r.transaction_id == 2]
    assert len(data) == 8 and all(r.missing == r.length - 12 for r in data)


def test_excerpt_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "small.pcapng"
    assert main(["excerpt", str(GET_ALL), "--transactions", "5-6", "--session", "1",
                 "-o", str(out)]) == 0
    assert "tid 5 GetObjectInfo" in capsys.readouterr().out
    assert [r[1] for r in rows(out)] == [0, 5, 6]
    assert main(["excerpt", str(GET_ALL), "--transactions", "500", "-o", str(out)]) == 2
    with pytest.raises(ExcerptError):
        plan(GET_ALL, {1}, session=7)


def test_every_frame_keeps_its_original_number(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = excerpt(GET_ALL, tmp_path / "one.pcapng", {8})
    shown = subprocess.run(["tshark", "-n", "-r", str(out), "-T", "fields", "-e", "frame.number",
                            "-e", "frame.comment", "-e", "tcp.seq_raw"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    original = subprocess.run(["tshark", "-n", "-r", str(GET_ALL), "-T", "fields",
                               "-e", "frame.number", "-e", "tcp.seq_raw"],
                              capture_output=True, text=True, check=True).stdout.splitlines()
    seq_of = dict(line.split("\t") for line in original)
    for line in shown:
        _, comment, seq = line.split("\t")
        number = comment.removeprefix("original frame ")
        assert seq_of[number] == seq  # the comment names the very frame it was copied from
    assert main(["dissect", str(out), "-Y", "code == GetObject"]) == 1  # frames left out: gaps
    line = capsys.readouterr().out.strip()
    assert line.startswith("11 ") and line.endswith("[original frame 52]")
    info = subprocess.run(["capinfos", str(out)], capture_output=True, text=True,
                          check=True).stdout
    assert "excerpt of gphoto2-get-all-files.pcapng" in info


@pytest.mark.parametrize(("capture", "sent"), [("fault-short-data", 19_900),
                                               ("fault-long-data", 20_100)])
def test_trimmed_excerpt_still_shows_the_length_finding(capture: str, sent: int,
                                                        tmp_path: Path) -> None:
    # the simulator's data phase is 100 bytes off what Start Data announced (gphoto2 session)
    original = [f for f in validate_records(dissect_file(REAL / f"{capture}.pcapng").records())
                .findings if f.rule == "PTPIP-DP-007"]
    out = excerpt(REAL / f"{capture}.pcapng", tmp_path / "x.pcapng", {8}, trim=True)
    assert out.stat().st_size < 6000  # the object's bytes are gone ...
    result = validate_records(dissect_file(out).records())
    found = [f for f in result.findings if f.rule == "PTPIP-DP-007"]
    # ... its lengths are not: the same finding, on the same transaction
    assert [(f.transaction_id, f.message) for f in found] == \
        [(f.transaction_id, f.message) for f in original] == \
        [(8, f"GetObject (transaction 8) announced 20000 data bytes but sent {sent}")]
    [row] = [t for t in result.transactions if t.transaction_id == 8]
    assert row.data_bytes == sent
