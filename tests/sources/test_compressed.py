"""Compressed captures (*.pcap.gz, .xz, .bz2) are read while streaming, like Wireshark does."""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Callable
from pathlib import Path

import pytest

from ptpip_analyzer.cli import main
from ptpip_analyzer.engine import dissect_file

BASIC = Path(__file__).resolve().parent.parent.parent / "captures" / "synthetic" / \
    "basic-ethernet.pcap"


def keys(path: Path) -> list[tuple[int, int, int]]:
    return [(r.frame, r.offset, r.length) for _, r in dissect_file(path).records()]


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".xz", lzma.compress),
                                              (".bz2", bz2.compress)])
def test_compressed_capture_decodes_like_the_plain_one(
        tmp_path: Path, suffix: str, compress: Callable[[bytes], bytes]) -> None:
    packed = tmp_path / f"basic.pcap{suffix}"
    packed.write_bytes(compress(BASIC.read_bytes()))
    assert keys(packed) == keys(BASIC)


def test_truncated_gzip_keeps_what_precedes_the_cut(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cut = tmp_path / "cut.pcap.gz"
    cut.write_bytes(gzip.compress(BASIC.read_bytes())[:30_000])
    assert main(["dissect", str(cut)]) == 1
    out = capsys.readouterr()
    assert out.out.count("\n") > 5
    assert out.err.count("error:") == 1 and "compressed file is corrupt or truncated" in out.err
