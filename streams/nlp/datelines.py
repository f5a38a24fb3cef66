"""Datelines: "WASHINGTON (AP) —", "NEW YORK, Dec. 11 (UPI) —", "RENO, Nev. —", "New York (AFP) –"
opening a paragraph.

A dateline says where the story was filed; it is no part of the sentence after it, though the
parser often makes the place that sentence's subject ("ORLANDO, Fla. - President Barack Obama
met ..." with Obama in apposition to ORLANDO). The statement rules never take a speaker from it.
"""

import re

from streams.nlp.quotes import paragraph_starts

# A place in capitals, optionally a state or date after a comma and an agency in parentheses,
# then a dash; or, as AFP writes them ("New York (AFP) -"), a place in title case whose agency
# in parentheses is then required (a capitalised word and a dash alone open many sentences).
_DASH = r"[ \t]*(?:-{1,2}|\u2014|\u2013|\u2015)[ \t]+"
_AFTER_PLACE = r"(?:,[ \t]+[A-Z][\w.' ]{0,25})?"
_AGENCY = r"[ \t]*\([^)\n]{1,30}\)"
_DATELINE = re.compile(rf"(?P<place>[A-Z][A-Z.'\- ]{{0,28}}[A-Z.]){_AFTER_PLACE}(?:{_AGENCY})?{_DASH}"
                       rf"|(?P<titled>[A-Z][a-z]+(?: [A-Z][a-z]+){{0,3}}){_AFTER_PLACE}{_AGENCY}{_DASH}")


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of the datelines opening paragraphs, the dash included."""
    spans = []
    for start in paragraph_starts(text):
        m = _DATELINE.match(text, start)
        if m is not None:
            spans.append((m.start(), m.end()))
    return spans
