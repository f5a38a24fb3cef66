"""Datelines: "WASHINGTON (AP) —", "NEW YORK, Dec. 11 (UPI) —", "RENO, Nev. —" opening a paragraph.

A dateline says where the story was filed; it is no part of the sentence after it, though the
parser often makes the place that sentence's subject ("ORLANDO, Fla. - President Barack Obama
met ..." with Obama in apposition to ORLANDO). The statement rules never take a speaker from it.
"""

import re

from streams.nlp.quotes import paragraph_starts

# A place in capitals, optionally a state or date after a comma and an agency in parentheses,
# then a dash.
_DATELINE = re.compile(r"(?P<place>[A-Z][A-Z.'\- ]{0,28}[A-Z.])(?:,[ \t]+[A-Z][\w.' ]{0,25})?"
                       r"(?:[ \t]*\([^)\n]{1,30}\))?[ \t]*(?:-{1,2}|\u2014|\u2013|\u2015)[ \t]+")


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of the datelines opening paragraphs, the dash included."""
    spans = []
    for start in paragraph_starts(text):
        m = _DATELINE.match(text, start)
        if m is not None:
            spans.append((m.start(), m.end()))
    return spans
