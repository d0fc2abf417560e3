"""Shipped captures validate as expected: clean ones clean, faulty ones with exactly their faults.

Transport damage in the synthetic captures (PK-004 gaps, PK-005 malformed bytes, HS-001 for a
capture starting mid-stream) is the reassembly/framing layers' story and is not listed here.
Faults are named by (rule, transaction id) so that re-recording a capture doesn't break them.
"""

from pathlib import Path

import pytest

from ptpip_analyzer.engine import DissectOptions, dissect_file, validate_records

CAPTURES = sorted(p for p in (Path(__file__).resolve().parents[2] / "captures").rglob("*")
                  if p.suffix in (".pcap", ".pcapng") and "hostile" not in p.parts)  # captures/hostile: tests/test_hostile_captures.py
TRANSPORT = {"PTPIP-PK-004", "PTPIP-PK-005", "PTPIP-HS-001"}
EXPECTED: dict[str, list[tuple[str, int | None]]] = {
    "fault-long-data.pcapng": [("PTPIP-DP-007", 8)],
    "fault-short-data.pcapng": [("PTPIP-DP-007", 8)],
    # the response says 9 while 8 runs: filed under 8, the transaction left unanswered
    "fault-wrong-transaction-id.pcapng": [("PTPIP-TX-003", 8)],
    "fault-unknown-length.pcapng": [("PTPIP-DP-009", 8)],  # a note: gphoto2 can't take it
    "fault-reset-mid-transfer.pcapng": [("PTPIP-TX-009", 8)],
    "gphoto2-interrupted.pcapng": [("PTPIP-TX-001", 3)],  # request 3 sent before response 2
    "gphoto2-refused.pcapng": [("PTPIP-HS-005", None)],
    "ptpy-download.pcapng": [("PTPIP-HS-008", None)],  # ptpy's version field
    "scripted-cancel-ignored.pcapng": [("PTPIP-CN-002", 1)],  # the camera ignored the Cancel
    "camera-coolpix-p3.pcapng": [("PTPIP-QK-001", 7)],  # its error after a complete GetObject
    # Fuji framing: libgphoto2's second Init Command Request and the data phases in one
    # container are known behaviour (quirks QK-006, QK-005); 3 runs. Its request has no
    # PTP/IP version (framing_fuji.py), so no HS-008
    "camera-fujifilm-x.pcapng": [("PTPIP-QK-006", None), ("PTPIP-QK-005", 1)] * 3,
}


def test_the_corpus_is_shipped() -> None:
    assert len(CAPTURES) >= 20, "captures/ lost its corpus"


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_shipped_capture_validates_as_expected(path: Path) -> None:
    result = validate_records(dissect_file(path, DissectOptions()).records())
    found = [(f.rule, f.transaction_id) for f in result.findings if f.rule not in TRANSPORT]
    assert found == EXPECTED.get(path.name, [])
    assert all(f.session is not None for f in result.findings if result.sessions
               and f.rule != "PTPIP-PK-005")
    assert all(t.session is not None for t in result.transactions)


def test_capture_of_the_camera_side_only_has_no_errors(camera_only_capture: Path) -> None:
    from ptpip_analyzer.model import Severity

    result = validate_records(dissect_file(camera_only_capture, DissectOptions()).records())
    assert not [f for f in result.findings if f.severity >= Severity.WARNING]
    assert {f.rule for f in result.findings} == {"PTPIP-PK-004", "PTPIP-HS-001"}


def test_unknown_packet_type_is_reported_by_its_rule(tmp_path: Path) -> None:
    import struct

    from ptpip_analyzer.decode import encode
    from ptpip_analyzer.sources import pcap_writer as w
    from ptpip_analyzer.sources import synthetic as syn

    conv = w.TcpConversation(("10.0.0.2", 40000), ("10.0.0.1", 15740))
    conv.handshake()
    conv.send(True, encode.init_command_request(syn.GUID, "host"))
    conv.send(False, encode.init_command_ack(1, syn.CAMERA_GUID, "cam"))
    conv.send(False, struct.pack("<II", 16, 99) + bytes(8) + encode.probe_request())
    path = tmp_path / "odd.pcap"
    with open(path, "wb") as f:
        w.write_pcap(f, w.frames_for(conv.ip_packets(), w.LINKTYPE_ETHERNET),
                     w.LINKTYPE_ETHERNET)
    result = validate_records(dissect_file(path, DissectOptions()).records())
    assert "PTPIP-PK-003" in {f.rule for f in result.findings}


def test_event_connection_closed_by_the_camera_mid_session() -> None:
    """The FIN comes from the TCP layer (the engine tells the validator at the end): EV-004 on
    the capture where the camera drops the event connection after OpenSession, and on no
    other shipped capture (closes that answer the host's, or after CloseSession, are fine)."""
    from ptpip_analyzer.engine import Dissection, EngineOptions

    flagged = {}
    for path in CAPTURES:
        source = Dissection(path, EngineOptions(annotate=False))
        for _ in source.items():
            pass
        found = [(f.frame, f.stream) for f in source.engine.findings
                 if f.rule == "PTPIP-EV-004"]
        if found:
            flagged[path.name] = found
    assert flagged == {"fault-drop-event.pcapng": [(17, 1)]}  # frame 17: the camera's FIN
