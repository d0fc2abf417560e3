"""TCP findings (validate/tcp.py) on captures made by the project's writer and the simulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptpip_analyzer.engine import Dissection, EngineOptions
from ptpip_analyzer.model import Finding
from ptpip_analyzer.sources import tcp_trouble

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "captures" / "real"


def _findings(path: Path) -> list[Finding]:
    d = Dissection(path, EngineOptions(annotate=False, validate=True))
    for _ in d.records():
        pass
    return [f for f in d.engine.findings if f.rule.startswith("PTPIP-TCP-")]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("tcp-findings")
    paths = {}
    for name, script in (("lossy", tcp_trouble.lossy_download()),
                         ("reset", tcp_trouble.reset_mid_download())):
        paths[name] = out / f"{name}.pcapng"
        with open(paths[name], "wb") as f:
            tcp_trouble.write_pcapng(script, f)
    return paths


def test_reset_names_its_frame_and_the_getobject_it_cut(written: dict[str, Path]) -> None:
    (finding,) = _findings(written["reset"])
    assert (finding.rule, finding.frame, finding.transaction_id, finding.session) == \
        ("PTPIP-TCP-001", 76, 3, 1)
    assert finding.message.startswith("connection reset by the camera (RST in frame 76) while "
                                      "GetObject (transaction 3, frame 31) ran")


def test_simulator_reset_mid_transfer_under_gphoto2() -> None:
    (finding,) = _findings(REAL / "fault-reset-mid-transfer.pcapng")
    assert (finding.rule, finding.frame, finding.transaction_id) == ("PTPIP-TCP-001", 56, 8)
    assert "GetObject (transaction 8, frame 52)" in finding.message
    assert "5,000 of the 20,000 data bytes announced came in whole packets" in finding.message


def test_stalls_over_the_threshold_are_findings_on_their_transaction(
        written: dict[str, Path]) -> None:
    found = {(f.rule, f.transaction_id): f for f in _findings(written["lossy"])}
    assert set(found) == {("PTPIP-TCP-002", 3), ("PTPIP-TCP-003", 3)}
    assert "after 0.300 s without progress" in found["PTPIP-TCP-002", 3].message
    assert "the host advertised a zero window" in found["PTPIP-TCP-003", 3].message
    assert "could not send for 0.500 s during GetObject" in found["PTPIP-TCP-003", 3].message


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.pcapng")
                                        if p.name != "fault-reset-mid-transfer.pcapng"))
def test_no_tcp_finding_on_real_initiator_sessions(name: str) -> None:
    # fault-long-data ends with the camera's RST after the transaction was answered, and
    # libgphoto2 resets probed event connections: neither cuts a transaction off
    assert _findings(REAL / name) == []
