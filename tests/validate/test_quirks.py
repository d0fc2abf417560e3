"""Known camera quirks (validate/quirks.py): a note naming the camera instead of a finding, and
only for the cameras the quirk's source names. docs/quirks.md lists every one."""

from __future__ import annotations

import re
from pathlib import Path

from ptpip_analyzer.decode.codes import PacketType as P
from ptpip_analyzer.model import Severity
from ptpip_analyzer.validate.quirks import QUIRKS

from .transcript import GET_OBJECT, Transcript

GENERAL_ERROR = 0x2002
DOC = Path(__file__).resolve().parents[2] / "docs" / "quirks.md"
OTHER_HOST = bytes([192, 168, 1, 20])


def camera_session(name: str, guid: bytes = bytes(16)) -> Transcript:
    t = Transcript()
    t.host(P.INIT_COMMAND_REQUEST, 0, guid=bytes(16), name="host", version=0x10000)
    t.camera(P.INIT_COMMAND_ACK, 0, connection_number=1, guid=guid, name=name, version=0x10000)
    t.event_handshake()
    t.transaction(0x1002, 0)
    return t


def test_coolpix_p3_error_after_a_complete_transfer_is_a_note_naming_it() -> None:
    t = camera_session("COOLPIX P3")
    t.transaction(GET_OBJECT, 1, data=5000, response=GENERAL_ERROR)
    response = len(t.pairs)
    findings = t.result().findings
    assert [(f.rule, f.frame, f.severity, f.session) for f in findings] == [
        ("PTPIP-QK-001", response, Severity.NOTE, 1)]
    assert findings[0].message.startswith("known Nikon COOLPIX P3 behaviour: error response")


def test_the_same_answer_from_another_camera_or_without_data_is_not_a_quirk() -> None:
    other = camera_session("COOLPIX P4")
    other.transaction(GET_OBJECT, 1, data=5000, response=GENERAL_ERROR)
    assert other.findings() == []
    no_data = camera_session("COOLPIX P3")
    no_data.transaction(GET_OBJECT, 1, response=GENERAL_ERROR)
    no_data.transaction(GET_OBJECT, 2, data=10)
    assert no_data.findings() == []


def _refused_after(name: str) -> list[tuple[str, Severity, str]]:
    t = camera_session(name)
    t.connection(4, host=OTHER_HOST)
    t.host(P.INIT_COMMAND_REQUEST, 4, guid=bytes([9] * 16), name="stranger", version=0x10000)
    t.camera(P.INIT_FAIL, 4, reason=1)
    return [(f.rule, f.severity, f.message) for f in t.result().findings]


def test_nikon_and_sony_refusing_an_unpaired_host_relax_the_init_fail_finding() -> None:
    [(rule, severity, message)] = _refused_after("Z 9")
    assert (rule, severity) == ("PTPIP-QK-002", Severity.NOTE)
    assert message.startswith("known Nikon Z 9 behaviour") and "relaxes PTPIP-HS-005" in message
    assert [r for r, _, _ in _refused_after("ILCE-5000")] == ["PTPIP-QK-003"]
    assert [r for r, _, _ in _refused_after("Canon EOS R6")] == ["PTPIP-HS-005"]


def test_nikon_wu1_fixed_guid_is_named() -> None:
    t = camera_session("", guid=bytes.fromhex("00112233445566770000000000000000"))
    assert [f.rule for f in t.result().findings] == ["PTPIP-QK-004"]


def test_every_quirk_is_a_note_with_a_source() -> None:
    assert len({q.rule.id for q in QUIRKS}) == len(QUIRKS)
    assert all(q.rule.severity is Severity.NOTE and q.source for q in QUIRKS)


def test_docs_list_every_quirk_its_source_and_the_rule_it_relaxes() -> None:
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(PTPIP-QK-\d+)` .*$",
                                                         DOC.read_text(), re.MULTILINE)}
    assert set(rows) == {q.rule.id for q in QUIRKS}
    for q in QUIRKS:
        assert all(f"`{r}`" in rows[q.rule.id] for r in q.relaxes), q.rule.id
        assert q.relaxes or "| none" in rows[q.rule.id], q.rule.id
        assert q.source.split(" ")[0].strip('"') in rows[q.rule.id], q.rule.id
