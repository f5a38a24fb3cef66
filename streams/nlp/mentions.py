"""spaCy entity spans -> the names they contain, cut at token boundaries.

The small model's spans often carry more than the name: "the" before it, a possessive "'s"
after it, a score ("Durham 114"), a line break into the next table row ("Pohang 3 Ulsan 2"),
a dash between a country and a player ("Romania - Ana Popa"), or a common noun that only
describes it ("Interfax news agency"). Cutting by tokens, never by characters, keeps the period
that belongs to an abbreviation ("U.S.", "Corp.") while punctuation tokens fall away.
"""

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from streams.nlp.titles import PERSON_TITLES

KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
# Names of things that may carry a number ("Apollo 13", "Euro 2024"); people, organisations
# and places do not, so a number inside their span separates two names or ends the name.
_NUMBERED = frozenset({"EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "FAC"})
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019", "s'", "s\u2019"})
_SEPARATORS = frozenset({"-", "--", "\u2013", "\u2014", "/", "|", ";", ":", "(", ")", "[", "]", ",", "+"})


@dataclass
class Mention:
    text: str
    label: str
    field: str
    start: int  # character offsets in the field's text
    end: int
    doc: Doc | None = None
    first: int = 0  # token offsets in doc
    last: int = 0  # exclusive

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def span(self) -> Span:
        return self.doc[self.first:self.last]


def find_mentions(doc: Doc, field_name: str, text: str | None = None) -> list[Mention]:
    """The names inside the model's entity spans of ``doc``, each cut to the name itself.

    ``text`` is ``doc.text``, which spaCy rebuilds from the tokens on every access: callers that
    have it pass it.
    """
    out, text = [], doc.text if text is None else text
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        for first, last in _pieces(doc, ent.start, ent.end, ent.label_):
            first, last = _trim(doc, first, last, ent.label_)
            first = _extend_left(doc, first, last)
            if first < last:
                m = mention_of(doc, text, field_name, first, last, ent.label_)
                # A name has at least one capital letter; lower-case spans are the model's noise.
                if any(ch.isupper() for ch in m.text):
                    out.append(m)
    return out


def mention_of(doc: Doc, text: str, field_name: str, first: int, last: int, label: str) -> Mention:
    """The mention of tokens ``[first, last)`` of ``doc``, whose text is ``text``."""
    start = doc[first].idx
    end = doc[last - 1].idx + len(doc[last - 1].text)
    return Mention(text[start:end], label, field_name, start, end, doc, first, last)


def _pieces(doc: Doc, first: int, last: int, label: str) -> list[tuple[int, int]]:
    """The span split where one name ends and another begins: line breaks, numbers, dashes."""
    pieces, begin = [], first
    for i in range(first, last):
        tok = doc[i]
        if _breaks(tok, label):
            pieces.append((begin, i))
            begin = i + 1
        elif "\n" in tok.whitespace_:
            pieces.append((begin, i + 1))
            begin = i + 1
    pieces.append((begin, last))
    return [(a, b) for a, b in pieces if a < b]


def _breaks(tok, label: str) -> bool:
    if tok.is_space:
        return True
    if tok.text in _SEPARATORS and (tok.whitespace_ or tok.i == 0 or tok.doc[tok.i - 1].whitespace_):
        return True  # a free-standing dash or bracket, not the hyphen of "Mercedes-Benz"
    return label not in _NUMBERED and _is_number(tok.text)


def _trim(doc: Doc, first: int, last: int, label: str) -> tuple[int, int]:
    """Drop leading articles and punctuation; trailing possessives, punctuation, common nouns, scores."""
    numbered = label in _NUMBERED
    while first < last and (doc[first].is_punct or doc[first].lower_ in _ARTICLES or doc[first].is_space):
        first += 1
    while last > first:
        tok = doc[last - 1]
        if tok.is_punct or tok.is_space or tok.text in _POSSESSIVES or (not numbered and _is_number(tok.text)):
            last -= 1
        elif tok.is_lower and tok.is_alpha and last - 1 > first:
            last -= 1  # "Interfax news agency": what follows the name describes it
        else:
            break
    return first, last


def _extend_left(doc: Doc, first: int, last: int) -> int:
    """Take in the capitalised words the model left out before a name ("Eko" of "Eko Harbour
    bridge"): words outside any entity that the parser attaches inside the name, not titles."""
    while first > 0:
        tok = doc[first - 1]
        if not (tok.is_alpha and tok.text[:1].isupper() and not tok.is_sent_start and not tok.ent_type_
                and tok.dep_ == "compound" and first <= tok.head.i < last and tok.lower_ not in PERSON_TITLES):
            break
        first -= 1
    return first


def _is_number(text: str) -> bool:
    """A score, a count, a date or a time ("2-0", "114", "1996-08-30"); "3M" and "G7" are words."""
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)
