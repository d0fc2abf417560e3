"""The sessions pane: one row per session, and the selected one explained in a tree.

The tree says what a developer asks first: did the handshake happen, who are the camera and
the initiator (names and GUIDs, escaped), which vendor's tables name the codes and why
(``Engine.vendor_reasons``), and the camera's DeviceInfo with its operations, events,
properties and formats named (the library's detail tree of the record that carried it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Tree

from ..decode import describe
from ..decode.tree import Node
from ..terminal_text import escape
from .line_table import Column, Row

if TYPE_CHECKING:
    from ..store import RecordStore
    from .loader import SessionsView

SESSION_COLUMNS = (Column("Ses", 3), Column("Camera", 22), Column("Camera name", 20),
                   Column("Initiator", 16), Column("Initiator name", 18), Column("Vendor", 8),
                   Column("Model", 16), Column("Handshake", 10), Column("Tx", 6),
                   Column("Failed", 6), Column("Findings", 0))


def _text(value: Any) -> str:
    return "" if value is None else escape(str(value))


def handshake(s: Mapping[str, Any]) -> str:
    if s.get("refused"):
        return "refused"
    return "seen" if s.get("handshake_seen") else "not seen"


def session_row(s: Mapping[str, Any]) -> Row:
    cells = (str(s.get("session")), _text(s.get("camera")), _text(s.get("camera_name")),
             _text(s.get("initiator")), _text(s.get("initiator_name")), _text(s.get("vendor")),
             _text(s.get("model")), handshake(s), _text(s.get("transactions")),
             _text(s.get("failed")), _text(s.get("findings")))
    kind = "failed" if s.get("refused") else "warning" if s.get("failed") else ""
    return Row(cells, kind)


def session_tree(s: Mapping[str, Any], view: SessionsView, store: RecordStore) -> Node:
    """Everything known about one session, as detail-tree nodes (all text escaped)."""
    command = int(s["command_stream"])
    reasons = view.vendor_reasons.get(command, [])
    vendor = Node("Vendor", _text(s.get("vendor")) or "not detected (standard names)",
                  [Node("because", escape(r)) for r in reasons])
    kids = [Node("Handshake", handshake(s)),
            Node("Camera", f"{_text(s.get('camera'))} \"{_text(s.get('camera_name'))}\""),
            Node("Camera GUID", _text(s.get("camera_guid"))),
            Node("Initiator", f"{_text(s.get('initiator'))} "
                              f"\"{_text(s.get('initiator_name'))}\""),
            Node("Initiator GUID", _text(s.get("initiator_guid"))),
            vendor,
            Node("Manufacturer / model", f"{_text(s.get('manufacturer'))} / "
                                         f"{_text(s.get('model'))}"),
            Node("Connection number", _text(s.get("connection_number"))),
            Node("Streams", f"command {command}, event {_text(s.get('event_stream')) or '-'}"),
            Node("Bytes", f"to camera {s.get('bytes_to_camera')}, to host "
                          f"{s.get('bytes_to_host')}"),
            Node("Transactions", f"{s.get('transactions')} ({s.get('failed')} failed), "
                                 f"{s.get('findings')} findings")]
    info = view.device_info.get(command)
    if info is not None:
        stored = store[info]
        tree = describe.detail_tree(stored.record, stored.annotation)
        kids.extend(n for n in tree.children if n.label.startswith("DeviceInfo"))
    else:
        kids.append(Node("DeviceInfo", "not in the capture"))
    kids.append(_discovery_node(s, view))
    return Node(f"Session {s.get('session')}", "", kids)


def _discovery_node(s: Mapping[str, Any], view: SessionsView) -> Node:
    """The SSDP / mDNS / UPnP messages that led to this session (analyze.discovery)."""
    found = view.discovery
    if found is None or found.empty:
        return Node("Discovery", "none in the capture")
    mine = found[found["session"] == s.get("session")]
    if mine.empty:
        return Node("Discovery", "nothing linked to this session")
    kids = [Node(f"frame {r['frame']} {_text(r['protocol'])} {_text(r['kind'])}",
                 " ".join(_text(r[k]) for k in ("service", "name", "location", "manufacturer",
                                                 "model", "uuid", "problem")
                          if isinstance(r[k], str)),
                 [Node("linked by", _text(r["link"]))])
            for r in mine.head(MAX_DISCOVERY).to_dict("records")]
    more = f", {len(mine) - MAX_DISCOVERY} more" if len(mine) > MAX_DISCOVERY else ""
    described = [Node("UPnP description", f"\"{_text(s.get('described_name'))}\", "
                                          f"{_text(s.get('described_model'))}, UDN "
                                          f"{_text(s.get('described_udn'))}")] \
        if isinstance(s.get("described_name"), str) or isinstance(s.get("described_udn"), str) \
        else []
    return Node("Discovery", f"{len(mine)} messages ({_text(s.get('announced'))}){more}",
                described + kids)


MAX_DISCOVERY = 50  # messages shown per session (a camera announcing every second: hours)


class SessionTree(Tree[None]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("no session selected"), id=id)

    def show(self, node: Node) -> None:
        self.clear()
        self.root.set_label(Text(node.label))
        for child in node.children:
            _add(self.root, child)
        self.root.expand()
        for branch in self.root.children[:8]:
            branch.expand()


def _add(parent: Any, node: Node) -> None:
    label = Text(f"{node.label}: {node.value}" if node.value else node.label)
    if node.children:
        branch = parent.add(label)
        for child in node.children:
            _add(branch, child)
    else:
        parent.add_leaf(label)
