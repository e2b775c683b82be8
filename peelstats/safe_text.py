"""Text from data made safe for XML: Word documents, spreadsheets and SVG charts.

XML 1.0 cannot hold most control characters: a label from an audit table or a police.uk file
carrying a vertical tab, an escape or a NUL makes python-docx and openpyxl refuse the text and
makes the chart renderer abort. Every text written into report.docx, estimates.xlsx or a chart
passes through :func:`xml_text`, which replaces each such character with U+FFFD (the
replacement character, so a reader sees that something was there) and leaves every other
character, tab, line feed and carriage return included, as it was.

Text from data printed on a terminal (a failure reason, a note) passes through
:func:`terminal_text`: an escape sequence could otherwise recolour or clear the terminal, and a
line break would split a one-line message.

The rule for spreadsheet formulas is :mod:`peelstats.data.safe_csv`'s.
"""

from __future__ import annotations

import re

#: characters XML 1.0 cannot hold: C0 controls other than tab, LF and CR; lone surrogates;
#: U+FFFE and U+FFFF
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD."""
    return NOT_XML.sub(REPLACEMENT, text)


def xml_safe(value):
    """``value`` with :func:`xml_text` applied to every string in it (in nested dicts, lists
    and tuples too, keys included); anything else unchanged."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {xml_safe(k): xml_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(v) for v in value)
    return value


#: characters a terminal acts on: C0 controls, DEL and C1 controls
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """``text`` as one line a terminal shows as it is: tab, line feed and carriage return as a
    space, every other control character as U+FFFD."""
    text = re.sub("[\t\n\r]+", " ", text)
    return _CONTROL.sub(REPLACEMENT, text)
