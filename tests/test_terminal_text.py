"""Terminal escaping of wire strings (ptpip_analyzer.terminal_text), as tshark shows them."""

from __future__ import annotations

import pytest

from ptpip_analyzer.terminal_text import escape


@pytest.mark.parametrize("raw, shown", [
    ("Canon EOS R5", "Canon EOS R5"),
    ("Ünïcödé カメラ", "Ünïcödé カメラ"),
    ("\x1b]0;pwned\x07\x1b[2JX", "\\x1b]0;pwned\\a\\x1b[2JX"),
    ("a\tb\nc\rd\x00e\x7f", "a\\tb\\nc\\rd\\x00e\\x7f"),
    ("\x9b2J", "\\x9b2J"),  # C1 CSI: a one-byte escape introducer on some terminals
    ("rtl\u202egpj.exe", "rtl\\u202egpj.exe"),
    ("\U000e0041", "\\U000e0041"),
])
def test_control_and_invisible_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert escape(raw) == shown
    assert escape(raw).isprintable()
