"""The shipped real-initiator corpus (captures/real, made by scripts/make_corpus.py): every file
dissects with every byte accounted for as a packet."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.engine import DissectOptions, dissect_file

CORPUS = Path(__file__).resolve().parents[2] / "captures" / "real"
FILES = sorted(CORPUS.glob("*.pcapng"))


def test_corpus_present() -> None:
    assert len(FILES) >= 15
    assert all(f.stat().st_size < 2_000_000 for f in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_corpus_fully_accounted(path: Path) -> None:
    result = dissect_file(path, DissectOptions(ports=frozenset(), heuristics=True))
    assert sum(1 for _ in result.records()) >= 2
    for key, books in result.accounting.items():
        assert books.total == books.packets and books.total > 0, (key, books)
