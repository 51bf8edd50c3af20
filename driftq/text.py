"""Text from AWS and from states, made safe to show to a person.

A resource name, a tag key or an error message is data a stranger may have written. Shown
raw, it can drive the terminal (ANSI escapes that recolour or erase lines, OSC 52 that
writes the clipboard, OSC 8 links) or reorder what a reader sees (U+202E RIGHT-TO-LEFT
OVERRIDE and the other bidi controls, in a terminal, an HTML page or a Slack message), or
hide characters (zero-width spaces in an otherwise familiar name). Every human output (the
terminal summary, progress lines, error lines, the HTML report and e-mail, Slack text) passes
values through ``display``; machine output (report.json) keeps the data as it is.

Each such character is shown as a visible escape (``\\x1b``, ``\\u202e``), so the reader
sees both that something was there and what it was.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# C0 and C1 controls, DEL; line and paragraph separators; bidi embeddings, overrides and
# isolates; zero-width and other invisible format characters; BOM; surrogates (which
# cannot even be encoded for a terminal). Private-use and unassigned code points stay:
# they render as boxes, they do not act.
_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_KEEP_MULTILINE = {"\n", "\t"}
# the fast path: printable ASCII needs no look-up
_MAYBE_UNSAFE = re.compile(r"[^\x20-\x7e]")


def display(value: Any, multiline: bool = False) -> str:
    """``value`` as text with every control, format and bidi character escaped. With
    ``multiline``, newlines and tabs stay (a code block, a diff); otherwise they are escaped
    too, so one value cannot forge a second line of output."""
    text = value if isinstance(value, str) else str(value)
    if not _MAYBE_UNSAFE.search(text):
        return text
    return "".join(_escape(char, multiline) for char in text)


def _escape(char: str, multiline: bool) -> str:
    if " " <= char <= "~" or (multiline and char in _KEEP_MULTILINE):
        return char
    if unicodedata.category(char) not in _CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def is_safe(text: str) -> bool:
    """True when ``display`` would leave ``text`` as it is."""
    return display(text) == text
