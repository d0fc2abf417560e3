"""Device property state over time: a timeline of values, and a before/after diff.

Built on ``decode.annotate``: DevicePropDesc (GetDevicePropDesc) gives each property's data
type and current value; GetDevicePropValue data phases later values; SetDevicePropValue data
phases the value the host set, counted once the camera answers OK (ISO 15740 10.5.22: a
refused set changes nothing); a DevicePropChanged event (0x4006) says the value changed
without saying to what (``new_value`` None) until the next read. Vendor "get event" dumps
(``decode.event_dumps``) add theirs: a Canon EOS PropValueChanged record carries the new
value (typed by the session's DevicePropDesc or libgphoto2's EOS type table); a
DevicePropChanged listed by Nikon GetEvent / GetEventEx names the property only, as the
standard event does. One row per observed change; a value read again unchanged gives no row.
Sessions are told apart by the camera's address.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..decode.annotate import Annotation, Annotator
from ..decode.codes import property_name
from ..decode.dataset_types import DevicePropDesc, DevicePropValue, EventDump, PropertyValue
from ..decode.datasets import Decoded
from ..model import Connection, Packet, Record, format_address
from ..protocol import RESPONSE_OK as OK
from .property_values import value_text

SET_VALUE = 0x1016
PROP_CHANGED = 0x4006


@dataclass(frozen=True, slots=True)
class PropertyChange:
    time: float
    frame: int
    session: str  # the camera's address
    property: int
    property_name: str
    old_value: PropertyValue | None  # None: not known before
    new_value: PropertyValue | None  # None: announced by DevicePropChanged, value unread
    source: str  # GetDevicePropDesc, GetDevicePropValue, SetDevicePropValue, DevicePropChanged,
    # or the vendor event dump: "canon GetEvent", "nikon GetEvent", "nikon GetEventEx"
    transaction_id: int | None


class PropertyTimeline:
    """Feed ``(conn, record, annotation)``; collects ``PropertyChange`` rows."""

    def __init__(self) -> None:
        self.state: dict[tuple[str, int], PropertyValue | None] = {}
        self.rows: list[PropertyChange] = []
        self._pending_sets: dict[tuple[int, int], DevicePropValue] = {}
        # the latest DevicePropDesc per (session, property): its form and writability, for
        # the device_info table (a handful per session, never per packet)
        self.descs: dict[tuple[str, int], DevicePropDesc] = {}

    def feed(self, conn: Connection, record: Record, note: Annotation) -> None:
        if not isinstance(record, Packet):
            return
        session = format_address(conn.responder.address)
        if isinstance(note.dataset, Decoded):
            self._dataset(session, record, note)
        if record.ptype == 7 and note.opcode == SET_VALUE and record.transaction_id is not None:
            value = self._pending_sets.pop((record.stream, record.transaction_id), None)
            if value is not None and record.code == OK and value.code is not None:
                self._observe(session, record, value.code, value.value, "SetDevicePropValue",
                              note.vendor)
        elif record.ptype == 8 and record.code == PROP_CHANGED and record.params:
            self._observe(session, record, record.params[0], None, "DevicePropChanged",
                          note.vendor)

    def _dataset(self, session: str, record: Packet, note: Annotation) -> None:
        assert isinstance(note.dataset, Decoded)
        value = note.dataset.value
        if isinstance(value, DevicePropDesc):
            self.descs[(session, value.code)] = value
            self._observe(session, record, value.code, value.current, "GetDevicePropDesc",
                          note.vendor)
        elif isinstance(value, DevicePropValue) and value.code is not None:
            if note.opcode == SET_VALUE and record.transaction_id is not None:
                self._pending_sets[(record.stream, record.transaction_id)] = value
            else:
                self._observe(session, record, value.code, value.value, "GetDevicePropValue",
                              note.vendor)
        elif isinstance(value, EventDump):
            for event in value.events:
                if event.property is not None:
                    self._observe(session, record, event.property, event.value, value.source,
                                  note.vendor)

    def _observe(self, session: str, p: Packet, code: int, new: PropertyValue | None,
                 source: str, vendor: str | None) -> None:
        key = (session, code)
        old = self.state.get(key)
        if key in self.state and old == new and new is not None:
            return
        self.state[key] = new if new is not None else old
        self.rows.append(PropertyChange(p.time, p.frame, session, code,
                                        property_name(code, vendor), old, new, source,
                                        p.transaction_id))


def properties(pairs: Iterable[tuple[Connection, Record]],
               vendor: str | None = None) -> list[PropertyChange]:
    """The property timeline of a capture (``Capture.properties``)."""
    annotator = Annotator(vendor)
    timeline = PropertyTimeline()
    for conn, record in pairs:
        timeline.feed(conn, record, annotator.feed(conn, record))
    return timeline.rows


def values_at(rows: Iterable[PropertyChange], time: float
              ) -> dict[tuple[str, int], PropertyValue | None]:
    """Each (session, property)'s last known value at ``time`` (inclusive)."""
    state: dict[tuple[str, int], PropertyValue | None] = {}
    for row in rows:
        if row.time > time:
            break
        if row.new_value is not None or (row.session, row.property) not in state:
            state[(row.session, row.property)] = row.new_value
    return state


def diff(rows: list[PropertyChange], before: float, after: float
         ) -> Iterator[tuple[str, int, PropertyValue | None, PropertyValue | None]]:
    """(session, property, value before, value after) for every property that differs."""
    old, new = values_at(rows, before), values_at(rows, after)
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            yield key[0], key[1], old.get(key), new.get(key)


def readings(timeline: PropertyTimeline, vendors: list[str | None]
             ) -> tuple[list[str | None], list[str | None]]:
    """The old and new value of each of ``timeline``'s rows read for humans
    (``property_values.value_text``) in its session's vendor table (``vendors``, one per row),
    for the properties table's ``old_text`` and ``new_text``."""
    old, new = [], []
    for row, vendor in zip(timeline.rows, vendors, strict=True):
        desc = timeline.descs.get((row.session, row.property))
        form = desc.form if desc is not None else None
        old.append(value_text(row.property, row.old_value, vendor, form))
        new.append(value_text(row.property, row.new_value, vendor, form))
    return old, new
