"""The ``discovery`` table: SSDP / mDNS / UPnP description messages, linked to sessions.

One row per decoded discovery message (the engine's ``discovery`` decoder,
ptpip_analyzer.discovery); ``session`` is the PTP/IP session it leads to (same camera GUID as
the record's UUID, else the same camera address) and ``link`` says which of the two matched;
the sessions table's ``announced`` sums it up per session. ``DiscoveryTable`` keeps the table
for a live view: each record's row is built once, links again only when sessions change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..discovery.decoder import SessionIdentity, SessionLinks
from ..model import Discovery, format_address
from .schema import SCHEMAS, frame
from .tables import session_span

if TYPE_CHECKING:
    from ..validate.sessions import Session
    from .collect import CaptureCollector


def identities(c: CaptureCollector, sessions: Sequence[Session]) -> list[SessionIdentity]:
    """Each session's camera address and GUID (its command connection's handshake) and its
    first packet's time, as the sessions table has them, read from the collector's facts."""
    out = []
    for s in sessions:
        command = c.streams.get(s.command_stream)
        if command is None:
            continue
        start = session_span(c, s)[0]
        assert start is not None  # (its command connection has facts)
        out.append(SessionIdentity(s.number, command.responder.address, command.camera_guid,
                                   start))
    return out


def discovery_frame(records: Sequence[Discovery], known: Sequence[SessionIdentity]
                    ) -> pd.DataFrame:
    return DiscoveryTable().update(records, known)


class DiscoveryTable:
    """The discovery table of a run that goes on (the TUI's sessions pane): ``update`` builds
    rows only for records new since its last call and links all rows again only when the
    sessions' identities changed; with neither, it gives the same frame back."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Any]] = {c.name: [] for c in SCHEMAS["discovery"]}
        self.count = 0  # records in ``rows``
        self._known: list[SessionIdentity] | None = None
        self._links = SessionLinks(())
        self._frame: pd.DataFrame | None = None

    def update(self, records: Sequence[Discovery], known: Sequence[SessionIdentity]
               ) -> pd.DataFrame:
        known = list(known)
        relink = known != self._known
        if self._frame is not None and not relink and len(records) == self.count:
            return self._frame
        if relink:
            self._known, self._links = known, SessionLinks(known)
            self.rows["session"], self.rows["link"] = [], []
            self._link(records[:self.count])
        for r in records[self.count:]:
            for name, value in _row(r).items():
                self.rows[name].append(value)
        self._link(records[self.count:])
        self.count = len(records)
        self._frame = frame("discovery", {k: list(v) for k, v in self.rows.items()})
        return self._frame

    def _link(self, records: Sequence[Discovery]) -> None:
        for r in records:
            number, reason = self._links.link(r)
            self.rows["session"].append(number)
            self.rows["link"].append(reason)


def with_announced(sessions: pd.DataFrame, discovery: pd.DataFrame) -> pd.DataFrame:
    """The sessions table with ``announced`` (the discovery protocols linked to each) and the
    ``described_*`` columns (the last device description linked to it)."""
    linked = discovery.dropna(subset=["session"])
    by_session = {int(n): ", ".join(dict.fromkeys(str(p) for p in group["protocol"]))
                  for n, group in linked.groupby("session", observed=True)}
    documents = linked[(linked["protocol"] == "upnp-description") & linked["problem"].isna()]
    described = {int(r["session"]): r for r in documents.to_dict("records")}
    out = sessions.copy()
    numbers = [int(n) for n in sessions["session"]]

    def column(values: list[object]) -> pd.Series:
        return pd.Series(values, dtype="string", index=sessions.index)

    out["announced"] = column([by_session.get(n) for n in numbers])
    out["described_name"] = column([_text(described.get(n), "name") for n in numbers])
    out["described_model"] = column([_model(described.get(n)) for n in numbers])
    out["described_udn"] = column([_text(described.get(n), "uuid") for n in numbers])
    return out


def _text(row: dict[str, Any] | None, name: str) -> str | None:
    value = row.get(name) if row is not None else None
    return value if isinstance(value, str) else None


def _model(row: dict[str, Any] | None) -> str | None:
    parts = [p for p in (_text(row, "manufacturer"), _text(row, "model")) if p]
    return " ".join(parts) or None


def _row(r: Discovery) -> dict[str, Any]:
    return {
        "frame": r.frame, "time": r.time, "protocol": r.protocol, "kind": r.kind,
        "src": str(r.src), "dst": str(r.dst),
        "camera": format_address(r.camera) if r.camera is not None else None,
        "uuid": r.uuid, "service": r.service, "name": r.name, "location": r.location,
        "port": r.port, "manufacturer": r.manufacturer, "model": r.model, "server": r.server,
        "txt": "; ".join(f"{k}={v}" for k, v in r.txt) or None, "problem": r.problem,
    }
