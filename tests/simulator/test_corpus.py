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
        assert books.total == books.packets, (key, books)
    # Fuji's event and JPEG connections may carry no bytes at all; the others all do
    assert sum(books.total > 0 for books in result.accounting.values()) >= 2


CAMERA_SESSIONS = sorted(CORPUS.glob("camera-*.pcapng"))


def test_every_personality_has_a_shipped_session() -> None:
    from ptpip_analyzer.simulator.personalities import PERSONALITIES
    assert [p.stem.removeprefix("camera-") for p in CAMERA_SESSIONS] == sorted(PERSONALITIES)


@pytest.mark.parametrize("path", CAMERA_SESSIONS, ids=lambda p: p.stem)
def test_camera_session_names_its_camera_and_has_no_errors(path: Path) -> None:
    import ptpip_analyzer
    from ptpip_analyzer.simulator.personalities import PERSONALITIES
    who = PERSONALITIES[path.stem.removeprefix("camera-")]
    cap = ptpip_analyzer.load(path)
    assert set(cap.sessions["model"]) == {who.profile.model}
    assert set(cap.sessions["camera_name"]) == {who.ack_name}
    assert set(cap.sessions["camera_guid"]) == {who.guid.hex()}
    assert not (cap.findings["severity"] == "error").any()


@pytest.mark.parametrize("path", CAMERA_SESSIONS, ids=lambda p: p.stem)
def test_validate_names_the_camera_of_each_session(path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from ptpip_analyzer.cli import main
    from ptpip_analyzer.simulator.personalities import PERSONALITIES
    who = PERSONALITIES[path.stem.removeprefix("camera-")]
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith("Session ")]
    assert headers and all(', camera "' in line and line.endswith(f'{who.ack_name}"')
                           for line in headers), headers
    assert " 0 error(s)" in out
