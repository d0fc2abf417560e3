"""The help screen (``?``): every key, and how to find a failed transaction's bytes."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

HELP = """\
ptpip-analyzer tui: the termshark of PTP/IP

 p  packets        t  transactions   s  sessions     f  findings     g  graphs
 /  display filter on the pane shown (Enter applies, empty clears, Esc closes)
 :  go to frame    n / N  next / previous row matching the last filter
 x  hex view       w  Wireshark's lower layers (tshark)       ?  help   q  quit
 up/down, PgUp/PgDn, Home/End move; Enter opens; Tab moves between regions; mouse too.

Enter on a finding:     jump to the packet it points at.
Enter on a transaction: show only its packets.
Enter on a session:     follow it (only its connections' packets); Esc in packets clears.
Graphs: left/right move the cursor, shift+left/right select a time range, Enter shows
        only that range in packets and transactions, Esc clears it.

Filter examples (the CLI's -Y language):
  code == GetObject            transaction_id in {12..15}      type_name == "event"
  ok == false   (transactions) severity >= warning  (findings)

A failed transaction: f, Enter on its finding, then read its fields (detail tree), x for
its bytes, t and / opcode_name == "GetObject" for the operation, g for its throughput.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "close")]

    def compose(self) -> ComposeResult:
        yield Static(HELP, id="help-text", markup=False)
