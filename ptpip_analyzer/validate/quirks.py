"""Known camera quirks: real camera behaviour reported as a note naming the camera.

A quirk is data (``QUIRKS``): the cameras it belongs to (a pattern on the camera's name), what
they do, the source that documents it and the rules it relaxes. ``CameraQuirks`` is sans-IO
like the rest of the validator: the validator hands it each Init Command Ack and Init Fail
and, only for ``watched`` streams (a camera with a quirk after the handshake), the other
packets, together with the findings the rules produced; it returns the findings with the
relaxed ones replaced by the quirk's note. The camera is named by its Init Command Ack
(friendly name, or the GUID for adapters with a fixed one), remembered per camera address so
that a later refusal (Init Fail, which carries no name) is named too. docs/quirks.md lists
every quirk (checked by tests/validate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..decode.vendor import NAME_PATTERNS, camera_name, vendor_of_name
from ..model import Connection, Direction, Finding, Packet
from ..protocol import RESPONSE_OK, TRANSACTION_CANCELLED, PacketType
from . import rules
from .rules import N, Rule

INIT_FAIL_RULE = rules.INIT_FAIL.id


@dataclass(frozen=True, slots=True)
class Quirk:
    rule: Rule  # its own id, always a note
    cameras: re.Pattern[str]  # matched against the camera's name (case-insensitive)
    relaxes: tuple[str, ...]  # rules whose findings the note replaces (none: adds a note)
    source: str
    variant: str | None = None  # only on connections of this framing variant ("fuji")
    whose: str | None = None  # whose behaviour it is when not the camera's ("libgphoto2")


def _quirk(qid: str, title: str, behaviour: str, cameras: str, relaxes: tuple[str, ...],
           source: str, variant: str | None = None, whose: str | None = None) -> Quirk:
    return Quirk(Rule(qid, N, title, behaviour), re.compile(cameras, re.IGNORECASE), relaxes,
                 source, variant, whose)


ERROR_AFTER_TRANSFER = _quirk(
    "PTPIP-QK-001", "Error response after a complete transfer",
    "The camera answers GetObject with an error response although the whole object arrived "
    "(End Data received); the object is complete, the failed response is the camera's habit.",
    r"coolpix ?p3\b", (),
    "libgphoto2 camlibs/ptp2/ptpip.c header: \"Coolpix P3 ... reports an error when "
    "transfers finish correctly\"")
NIKON_UNPAIRED = _quirk(
    "PTPIP-QK-002", "Nikon refuses an unpaired host",
    "The camera answers Init Fail (reason 1) to a host GUID it was not paired with; pairing "
    "happens on the camera, then the same host is accepted.",
    NAME_PATTERNS["nikon"].pattern, (INIT_FAIL_RULE,),
    "PROTOCOL.md (Nikon and Sony accept only a registered host GUID)")
SONY_UNPAIRED = _quirk(
    "PTPIP-QK-003", "Sony refuses an unpaired host",
    "The camera answers Init Fail (reason 1) to a host GUID other than the one of the "
    "computer it was linked with (PlayMemories).",
    NAME_PATTERNS["sony"].pattern, (INIT_FAIL_RULE,),
    "github.com/falk0069/sony-pm-alt README (\"First time will probably fail since the GUID "
    "will be wrong\")")
WU1_FIXED_GUID = _quirk(
    "PTPIP-QK-004", "Nikon WU-1 adapter's fixed GUID",
    "The Init Command Ack carries the GUID 0011223344556677...: Nikon WU-1 wireless adapters "
    "may use it for every camera, so it does not tell cameras apart.",
    r"^0011223344556677", (),
    "libgphoto2 camlibs/ptp2/ptpip.c header: \"Nikon WU-1* adapters might use "
    "0011223344556677 as GUID always\"")
FUJI_ONE_CONTAINER = _quirk(
    "PTPIP-QK-005", "Data phase in one container",
    "Fuji's own framing sends a data phase as one USB-style data container, without Start "
    "Data (the analyzer shows it as End Data): not a data packet outside a data phase. One "
    "note per connection.",
    NAME_PATTERNS["fuji"].pattern, (rules.DATA_WITHOUT_START.id,),
    "libgphoto2 camlibs/ptp2/fujiptpip.c (ptp_fujiptpip_senddata / getdata)", "fuji")
FUJI_DOUBLE_INIT = _quirk(
    "PTPIP-QK-006", "Sends the Init Command Request twice",
    "libgphoto2 2.5.30 sends Fuji's Init Command Request twice on one connection when the "
    "first succeeds (its connect loop runs while connect_tries < 2), and the camera answers "
    "each: not a second handshake.",
    NAME_PATTERNS["fuji"].pattern, (rules.SECOND_HANDSHAKE.id, rules.ACK_WITHOUT_REQUEST.id),
    "libgphoto2 camlibs/ptp2/fujiptpip.c ptp_fujiptpip_connect", "fuji", "libgphoto2")
QUIRKS: tuple[Quirk, ...] = (ERROR_AFTER_TRANSFER, NIKON_UNPAIRED, SONY_UNPAIRED, WU1_FIXED_GUID,
                             FUJI_ONE_CONTAINER, FUJI_DOUBLE_INIT)
_PER_TRANSACTION = (ERROR_AFTER_TRANSFER,)
_IN_MAIN_LOOP = (FUJI_ONE_CONTAINER, FUJI_DOUBLE_INIT)  # relax findings after the Ack
# tested per packet by the validator: plain ints hash faster than the IntEnum members
HANDSHAKE_ANSWERS = frozenset({int(PacketType.INIT_COMMAND_ACK), int(PacketType.INIT_FAIL)})


@dataclass(slots=True)
class _Camera:
    name: str
    quirks: tuple[Quirk, ...]
    noted: set[tuple[int, str]] = field(default_factory=set)  # (stream, quirk id) noted once


class CameraQuirks:
    def __init__(self) -> None:
        self.cameras: dict[bytes, _Camera] = {}  # camera address -> who it is (with quirks)
        self.names: dict[bytes, str] = {}  # camera address -> its name, every named camera
        self.watched: dict[int, int | None] = {}  # stream -> tid of the last End Data seen

    def review(self, conn: Connection, session: int | None, packet: Packet,
               findings: list[Finding]) -> list[Finding]:
        if packet.ptype == PacketType.INIT_COMMAND_ACK:
            added = self._on_ack(conn, session, packet)
            return self._relax(conn, findings) + added
        if packet.ptype == PacketType.INIT_FAIL:
            return self._relax(conn, findings)
        return self._relax(conn, findings) + self._on_main_loop(conn, session, packet)

    def _on_ack(self, conn: Connection, session: int | None, packet: Packet) -> list[Finding]:
        name = camera_name(vendor_of_name(packet.name or ""), packet.name or "")
        guid = (packet.guid or b"").hex()
        if name and vendor_of_name(name) is not None:
            self.names[conn.responder.address] = name
        mine = tuple(q for q in QUIRKS if q.cameras.search(name) or q.cameras.search(guid))
        if not mine:
            return []
        known = self.cameras.get(conn.responder.address)
        if known is None or known.name != name:
            self.cameras[conn.responder.address] = _Camera(name, mine)
        if any(q in _PER_TRANSACTION or q in _IN_MAIN_LOOP for q in mine):
            self.watched.setdefault(conn.stream, None)
        if WU1_FIXED_GUID in mine:
            return [_note(WU1_FIXED_GUID, name or "Nikon WU-1", packet, conn, session)]
        return []

    def _relax(self, conn: Connection, findings: list[Finding]) -> list[Finding]:
        camera = self.cameras.get(conn.responder.address)
        if camera is None or not findings:
            return findings
        out = []
        for f in findings:
            quirk = next((q for q in camera.quirks if f.rule in q.relaxes
                          and q.variant in (None, conn.variant)), None)
            if quirk is None:
                out.append(f)
            elif quirk.variant is None or (f.stream, quirk.rule.id) not in camera.noted:
                camera.noted.add((f.stream, quirk.rule.id))  # a variant's: once a connection
                out.append(_replace(f, quirk, camera.name))
        return out

    def _on_main_loop(self, conn: Connection, session: int | None,
                      packet: Packet) -> list[Finding]:
        if packet.direction is not Direction.TO_INITIATOR:
            return []
        if packet.ptype == PacketType.END_DATA:
            self.watched[conn.stream] = packet.transaction_id
        elif packet.ptype == PacketType.OPERATION_RESPONSE:
            completed, self.watched[conn.stream] = self.watched[conn.stream], None
            failed = packet.code not in (RESPONSE_OK, TRANSACTION_CANCELLED)
            camera = self.cameras.get(conn.responder.address)
            if failed and completed is not None and completed == packet.transaction_id \
                    and camera is not None and ERROR_AFTER_TRANSFER in camera.quirks:
                return [_note(ERROR_AFTER_TRANSFER, camera.name, packet, conn, session)]
        return []


def _known(quirk: Quirk, camera: str) -> str:
    title = quirk.rule.title[0].lower() + quirk.rule.title[1:]
    if quirk.whose is not None:
        return f"known {quirk.whose} behaviour with {camera}: {title}"
    return f"known {camera} behaviour: {title}"


def _note(quirk: Quirk, camera: str, packet: Packet, conn: Connection,
          session: int | None) -> Finding:
    return Finding(quirk.rule.id, N, packet.frame, conn.stream, session, packet.transaction_id,
                   f"{_known(quirk, camera)} ({quirk.source})")


def _replace(finding: Finding, quirk: Quirk, camera: str) -> Finding:
    return Finding(quirk.rule.id, N, finding.frame, finding.stream, finding.session,
                   finding.transaction_id, f"{_known(quirk, camera)} ({finding.message}; "
                   f"relaxes {finding.rule})")
