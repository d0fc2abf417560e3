"""The detail tree of the selected record: ``describe.detail_tree`` as a Textual ``Tree``.

Labels are the library's (already escaped) text, shown as plain text, never as markup. Each
node keeps its field's byte range (``Node.span``); highlighting a node posts ``FieldSelected``
so the hex view can mark those bytes.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..decode.tree import Node


class DetailTree(Tree[Node]):
    class FieldSelected(Message):
        def __init__(self, span: tuple[int, int] | None) -> None:
            super().__init__()
            self.span = span

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("no packet selected"), id=id)
        self.show_root = True
        self.guide_depth = 3

    def show(self, tree: Node | None, extra: list[Node] = ()) -> None:  # type: ignore[assignment]
        """Show ``tree`` (and ``extra`` top-level nodes after it, e.g. the record's findings)."""
        self.clear()
        if tree is None:
            self.root.set_label(Text("no packet selected"))
            return
        self.root.set_label(_label(tree))
        self.root.data = tree
        for child in tree.children:
            _add(self.root, child)
        for node in extra:
            _add(self.root, node)
        self.root.expand_all()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Node]) -> None:
        event.stop()
        data = event.node.data
        self.post_message(self.FieldSelected(data.span if data is not None else None))


def _label(node: Node) -> Text:
    return Text(f"{node.label}: {node.value}" if node.value else node.label)


def _add(parent: TreeNode[Node], node: Node) -> None:
    if node.children:
        branch = parent.add(_label(node), data=node)
        for child in node.children:
            _add(branch, child)
    else:
        parent.add_leaf(_label(node), data=node)
