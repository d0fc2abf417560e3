"""Every shipped capture validates without errors: their sessions are what real initiators do
(gphoto2-like flows, synthetic pathologies such as loss and reordering that the transport
layers report, not protocol faults). Malformed bytes (PK-005) are the only warnings allowed."""

from pathlib import Path

import pytest

from ptpip_analyzer.analyze.transactions import validate_records
from ptpip_analyzer.model import Severity
from ptpip_analyzer.pipeline import DissectOptions, dissect_file

CAPTURES = sorted(p for p in (Path(__file__).resolve().parents[2] / "captures").rglob("*")
                  if p.suffix in (".pcap", ".pcapng"))


@pytest.mark.skipif(not CAPTURES, reason="no shipped captures")
@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_shipped_capture_has_no_protocol_errors(path: Path) -> None:
    result = validate_records(dissect_file(path, DissectOptions()).records())
    serious = [(f.rule, f.frame, f.message) for f in result.findings
               if f.severity >= Severity.WARNING and f.rule != "PTPIP-PK-005"]
    assert serious == []
    if result.sessions:
        assert all(t.session is not None for t in result.transactions)
