"""The validator's rule catalogue, as data: one ``Rule`` per check, with a stable id.

Findings, ``docs/rules.md`` (written by ``scripts/gen_rules_doc.py``) and tests share these ids.
Severities follow Wireshark's expert info: an *error* breaks PTP/IP or PTP, a *warning* is
suspicious but survivable, a *note* records something allowed that is worth knowing. Behaviour
that real initiators and cameras show (../shared/PROTOCOL.md) is never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Finding, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    explanation: str

    def finding(self, frame: int, stream: int, session: int | None,
                transaction_id: int | None, message: str) -> Finding:
        return Finding(self.id, self.severity, frame, stream, session, transaction_id, message)


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

# -- Handshakes: PROTOCOL.md "Sequences" (1 -> 2 | 5 on the command connection, 3 -> 4 | 5 on
# the event connection).
HANDSHAKE_NOT_CAPTURED = Rule(
    "PTPIP-HS-001", N, "Handshake not in capture",
    "The connection's first packet is not an Init Command/Event Request. The capture probably "
    "started after the handshake; the connection's role is taken from its traffic.")
ACK_WITHOUT_REQUEST = Rule(
    "PTPIP-HS-002", E, "Handshake answer without request",
    "An Init Command Ack, Init Event Ack or Init Fail arrived on a connection that has no pending "
    "Init Request of the matching kind.")
SECOND_HANDSHAKE = Rule(
    "PTPIP-HS-003", E, "Second handshake",
    "An Init Command or Init Event Request was sent on a connection whose handshake already ran; "
    "each TCP connection carries exactly one handshake.")
PACKET_BEFORE_ACK = Rule(
    "PTPIP-HS-004", E, "Packet before the handshake finished",
    "A non-handshake packet was sent while the Init Request was still waiting for its Ack.")
INIT_FAIL = Rule(
    "PTPIP-HS-005", N, "Camera refused the connection",
    "The camera answered the Init Request with Init Fail (reason 1: initiator rejected, e.g. an "
    "unpaired GUID; 2: busy; 3: unspecified). Normal for Nikon and Sony with unknown hosts.")
PACKET_AFTER_INIT_FAIL = Rule(
    "PTPIP-HS-006", E, "Traffic after Init Fail",
    "A packet was sent on a connection after the camera refused it with Init Fail; the connection "
    "should close.")
HANDSHAKE_UNANSWERED = Rule(
    "PTPIP-HS-007", W, "Init Request never answered",
    "The capture ends with an Init Command or Init Event Request that got neither Ack nor Fail.")
OTHER_PROTOCOL_VERSION = Rule(
    "PTPIP-HS-008", N, "Protocol version other than 1.0",
    "The Init Request or Ack carries a protocol version other than 0x00010000. Several clients "
    "do this and cameras accept it; recorded for information.")

# -- Event connection and session pairing.
UNKNOWN_CONNECTION_NUMBER = Rule(
    "PTPIP-EV-001", E, "Event connection number unknown",
    "The connection number in the Init Event Request matches no Init Command Ack the camera gave "
    "to the same initiator address, so the event connection belongs to no session.")
EVENT_CONNECTION_TOO_EARLY = Rule(
    "PTPIP-EV-002", E, "Event connection before the command Ack",
    "The Init Event Request was sent before the camera handed out its connection number in the "
    "Init Command Ack; the event connection must be opened after the command handshake.")
EVENT_FOR_UNKNOWN_TRANSACTION = Rule(
    "PTPIP-EV-003", N, "Event refers to an unseen transaction",
    "An Event carries a transaction id (other than 0 and 0xFFFFFFFF, which mean none) that the "
    "session's command connection never used in the capture.")
EVENT_CONNECTION_CLOSED = Rule(
    "PTPIP-EV-004", W, "Camera closed the event connection",
    "The camera closed (FIN) or reset (RST) the event connection while a session was open on "
    "its command connection: the host hears of no more events (ObjectAdded, CaptureComplete). "
    "libgphoto2 does not notice and carries on.")

# -- Packets in the wrong place.
WRONG_CONNECTION = Rule(
    "PTPIP-PK-001", E, "Packet type on the wrong connection",
    "Operations, responses and data phases belong on the command connection, events on the event "
    "connection; this packet type was seen on the other one.")
WRONG_SENDER = Rule(
    "PTPIP-PK-002", E, "Packet type from the wrong side",
    "Requests (Init, Operation Request) come from the initiator; Acks, Init Fail, Operation "
    "Responses and Events come from the camera. This packet came from the other side.")
UNKNOWN_PACKET_TYPE = Rule(
    "PTPIP-PK-003", E, "Unknown packet type",
    "PTP/IP defines packet types 1 to 14; this packet has another type.")
CAPTURE_GAP = Rule(
    "PTPIP-PK-004", N, "Bytes missing from the capture",
    "The capture lost bytes of this connection. Its state is uncertain: checks pause and resume "
    "at the next Operation Request.")
MALFORMED_BYTES = Rule(
    "PTPIP-PK-005", W, "Malformed bytes",
    "Bytes on this connection could not be read as PTP/IP packets. The connection's state is "
    "uncertain until the next Operation Request.")

# -- Probes: PROTOCOL.md "Sequences" (keep-alive on either connection, outside a data phase).
PROBE_UNANSWERED = Rule(
    "PTPIP-PR-001", W, "Probe Request without Probe Response",
    "A Probe Request got no Probe Response from the other side before the next probe or the end "
    "of the capture, although that side answered other probes on the connection.")
PROBE_RESPONSE_UNASKED = Rule(
    "PTPIP-PR-002", W, "Probe Response without Probe Request",
    "A Probe Response arrived although the other side had no Probe Request pending.")
PROBE_IN_DATA_PHASE = Rule(
    "PTPIP-PR-003", W, "Probe inside a data phase",
    "A probe was sent on the command connection between Start Data and End Data; probes belong "
    "outside data phases.")
PROBES_NEVER_ANSWERED = Rule(
    "PTPIP-PR-004", N, "Probes never answered on this connection",
    "One side never answered any Probe Request on this connection (one note, however many "
    "probes). Real, common behaviour: libgphoto2 2.5.30 and 2.5.34 never answer probes "
    "(../shared/PROTOCOL.md), and their sessions work. A side that answers some probes and "
    "misses others gets PTPIP-PR-001.")

# -- Transactions: PROTOCOL.md "Sequences" (6 -> [9 -> 10* -> 12] -> 7, one at a time).
REQUEST_WHILE_BUSY = Rule(
    "PTPIP-TX-001", E, "Operation Request while a transaction runs",
    "A new Operation Request was sent before the running transaction got its Operation Response; "
    "PTP allows one transaction at a time per session.")
RESPONSE_WITHOUT_REQUEST = Rule(
    "PTPIP-TX-002", E, "Operation Response without request",
    "An Operation Response arrived while no transaction was running.")
RESPONSE_ID_MISMATCH = Rule(
    "PTPIP-TX-003", E, "Response for another transaction",
    "The Operation Response's transaction id differs from the running request's.")
DATA_ID_MISMATCH = Rule(
    "PTPIP-TX-004", E, "Data phase for another transaction",
    "A Start Data, Data or End Data packet carries a transaction id other than the running "
    "request's.")
OPEN_SESSION_ID_NOT_ZERO = Rule(
    "PTPIP-TX-005", W, "OpenSession with transaction id other than 0",
    "PTP (ISO 15740 section 9.3.1) sends OpenSession with transaction id 0.")
TRANSACTION_ID_OUT_OF_SEQUENCE = Rule(
    "PTPIP-TX-006", W, "Transaction id out of sequence",
    "Within a session each transaction id is the previous one plus one, wrapping from 0xFFFFFFFE "
    "to 1 (ISO 15740 section 9.3.1).")
RESERVED_TRANSACTION_ID = Rule(
    "PTPIP-TX-007", W, "Reserved transaction id",
    "Transaction id 0xFFFFFFFF is reserved, and 0 belongs to OpenSession and session-less "
    "operations only; this request used one inside a session.")
OPERATION_BEFORE_OPEN_SESSION = Rule(
    "PTPIP-TX-008", N, "Standard operation before OpenSession",
    "A standard operation other than GetDeviceInfo was sent before OpenSession; the camera will "
    "usually answer SessionNotOpen. Vendor operations before OpenSession are common and allowed.")
REQUEST_UNANSWERED = Rule(
    "PTPIP-TX-009", W, "Operation Request never answered",
    "The capture ends while a transaction still waits for its Operation Response (or data).")

# -- Data phases: PROTOCOL.md "Packet types" and "Sequences".
DATA_WITHOUT_START = Rule(
    "PTPIP-DP-001", E, "Data without Start Data",
    "A Data or End Data packet arrived outside a data phase (no Start Data before it).")
START_DATA_WITHOUT_REQUEST = Rule(
    "PTPIP-DP-002", E, "Start Data without request",
    "A Start Data packet arrived while no transaction was running.")
SECOND_START_DATA = Rule(
    "PTPIP-DP-003", E, "Second data phase",
    "A transaction has at most one data phase, but a second Start Data arrived.")
DATA_DIRECTION_MISMATCH = Rule(
    "PTPIP-DP-004", E, "Data sent by the wrong side",
    "The side that sent Start Data is not the one the operation defines as the data sender (e.g. "
    "the camera for GetObject, the initiator for SendObject), or the operation has no data phase.")
DATA_FROM_BOTH_SIDES = Rule(
    "PTPIP-DP-005", E, "Data phase from both sides",
    "A Data or End Data packet came from the side that did not send the Start Data.")
DATA_PHASE_FIELD_MISMATCH = Rule(
    "PTPIP-DP-006", N, "Data-phase field disagrees with the data sent",
    "The Operation Request's data-phase field (1: none or camera to host, 2: host to camera) does "
    "not match who sent the data. The field is advisory: several initiators always send 1.")
DATA_LENGTH_MISMATCH = Rule(
    "PTPIP-DP-007", E, "Data length differs from Start Data",
    "The bytes in Data and End Data packets do not add up to the total announced in Start Data.")
RESPONSE_DURING_DATA = Rule(
    "PTPIP-DP-008", W, "Response before End Data",
    "The Operation Response arrived after Start Data but before End Data or Cancel, leaving the "
    "data phase unfinished.")
UNKNOWN_DATA_LENGTH = Rule(
    "PTPIP-DP-009", N, "Start Data of unknown length",
    "Start Data announced 0xFFFFFFFFFFFFFFFF (length not known in advance), which PTP/IP "
    "allows. libgphoto2 cannot receive it: ptp_ptpip_getdata (camlibs/ptp2/ptpip.c) reads the "
    "total as 32 bits and reads until 0xFFFFFFFF bytes have come, so it waits and times out.")

# -- Cancel: PROTOCOL.md "Sequences" (Cancel ends the data phase; a response still follows).
CANCEL_WITHOUT_TRANSACTION = Rule(
    "PTPIP-CN-001", E, "Cancel for no running transaction",
    "A Cancel packet names a transaction id that is not the running transaction's.")
CANCEL_NOT_HONOURED = Rule(
    "PTPIP-CN-002", N, "Cancelled transaction answered OK",
    "After a Cancel the camera still answered OK (not TransactionCancelled 0x201F): it either "
    "ignored the Cancel or got it after the transfer had finished.")

# -- TCP: validate/tcp.py, from reassembly/tcp_analysis.py (counted as Wireshark's tcp.analysis).
RESET_MID_TRANSACTION = Rule(
    "PTPIP-TCP-001", W, "Connection reset during a transaction",
    "The command connection was reset (TCP RST) while a transaction ran: its response, and what "
    "was left of its data phase, never came. The finding names the RST's frame and sender and "
    "the transaction cut off. A reset of an idle connection is no finding (libgphoto2 closes a "
    "probed event connection that way).")
RETRANSMISSION_TIMEOUT = Rule(
    "PTPIP-TCP-002", W, "Retransmission timeout",
    "A sender retransmitted after waiting 0.2 s or more without progress: segments or their ACKs "
    "were lost (typical of a weak Wi-Fi link) and the transfer stalled until a timer fired. The "
    "wait runs from the direction's last new segment to the retransmission.")
ZERO_WINDOW_STALL = Rule(
    "PTPIP-TCP-003", W, "Zero window stall",
    "A receiver advertised a zero TCP window for 0.2 s or more: its application did not read, so "
    "the peer could not send. The finding names the first zero-window frame and the wait.")

RULES: tuple[Rule, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Rule))
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
