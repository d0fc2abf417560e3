"""What the engine tells a face about its decisions: why a session's vendor is what it is."""

from __future__ import annotations

from pathlib import Path

from ptpip_analyzer.engine import Dissection, EngineOptions

REAL = Path(__file__).resolve().parent.parent / "captures" / "real"


def _engine(path: Path, **options: object) -> Dissection:
    run = Dissection(path, EngineOptions(**options))  # type: ignore[arg-type]
    for _ in run.items():
        pass
    return run


def test_vendor_reasons_name_the_evidence() -> None:
    run = _engine(REAL / "gphoto2-summary-nikon.pcapng")
    command = next(c for c in run.connections if c.role.value == "command")
    assert run.engine.vendor_of(command.stream) == "nikon"
    reasons = run.engine.vendor_reasons(command.stream)
    assert any('Manufacturer "Nikon Corporation" -> nikon' in r for r in reasons), reasons


def test_a_vendor_given_as_option_has_no_evidence() -> None:
    run = _engine(REAL / "gphoto2-summary-nikon.pcapng", vendor="canon")
    assert run.engine.vendor_of(0) == "canon"
    assert run.engine.vendor_reasons(0) == []
    assert run.engine.vendor_reasons(999) == []
