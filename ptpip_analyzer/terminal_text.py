"""Wire strings made safe for a terminal: the one place that decides how text is shown raw.

Camera and host names, DeviceInfo strings and ObjectInfo filenames come from the wire; printed
as they are, an Init Command Ack name of ``"\\x1b]0;pwned\\x07\\x1b[2JX"`` retitles the terminal
and clears the screen. ``escape`` shows every character that is not printable the way tshark
does (``format_text``): C escapes for the common controls, ``\\xNN`` for other C0/C1 controls,
``\\uNNNN`` for other invisible code points (format characters such as U+202E, which reverses
the text after it, line separators, unassigned code points). Printable text, the common case,
is returned unchanged. HTML output escapes with ``html.escape`` instead; JSON escapes itself.
"""

from __future__ import annotations

_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
          "\r": "\\r"}


def escape(text: str) -> str:
    """``text`` with every non-printable character written as a visible escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escaped(c) for c in text)


def _escaped(c: str) -> str:
    named = _NAMED.get(c)
    if named is not None:
        return named
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"
