"""Names that compete: the sides of a results line, a fixture, a standings row, "X beat Y".

A sports desk publishes tables ("Rovers 2 Athletic 1", "Boston at Oakland", "Rovers 5 2 2 1
9 7 8") where clubs named after their towns are what the small model knows least: it calls
them places, or people, or misses them. Their position in such a line is the evidence that
they are sides. Lines are read as a string of token shapes, one letter per token, matched by
regular expressions; the match groups give back the token offsets of each side.
"""

import re

from spacy.tokens import Doc

# Shapes: C capitalised word, p particle inside a name, n number, v "versus", ( ) brackets, x other.
_PARTICLES = frozenset({"of", "the", "de", "del", "la", "le", "van", "der", "von", "and", "&", "'s"})
_VERSUS = frozenset({"v", "v.", "vs", "vs.", "at"})
_NAME = r"(C(?:p{0,2}C){0,4})(?:\(C{1,3}\))?"
# A result: two sides with their scores, perhaps a note in brackets after ("after extra time").
_RESULT = re.compile(rf"{_NAME}n{_NAME}n(?:\(.*\))?")
# A fixture: two sides and "v" or "at" between them, nothing else on the line.
_FIXTURE = re.compile(rf"{_NAME}v{_NAME}")
# A standings row: a side and a row of at least three figures.
_STANDING = re.compile(rf"{_NAME}n{{3,}}")
# Prose: "Leicester beat Derby", "Kent drew with Essex". Word forms, since the lemmatizer may be off.
_WIN_VERBS = frozenset({"beat", "beats", "defeated", "defeat", "defeats", "thrashed", "edged", "routed",
                        "crushed", "overcame", "outplayed", "trounced", "downed", "upset", "eliminated",
                        "knocked"})
_WITH_VERBS = frozenset({"drew", "draw", "draws", "tied"})
_LOSE_VERBS = frozenset({"lost", "lose", "loses", "fell", "bowed"})
# Cheap looks at the text first: most lines are prose, most articles never "beat" anyone.
_MAX_ROW_CHARS = 160
_ROW_HINT = re.compile(r"\d|\b(?:v|vs|at|AT)\b")
_VERB_HINT = re.compile(r"\b(?:%s)\b" % "|".join(sorted(_WIN_VERBS | _WITH_VERBS | _LOSE_VERBS)), re.IGNORECASE)


def competitor_spans(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """Token offsets ``(first, last)`` of every side named in a result, fixture or standings line,
    or as the subject or object of a verb of winning, drawing or losing."""
    text = doc.text if text is None else text  # spaCy rebuilds doc.text on every access
    spans = []
    for start, end in _table_lines(text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            spans.extend(_table_sides(doc, span.start, span.end))
    spans.extend(_prose_sides(doc, text))
    return sorted(set(spans))


def _table_lines(text: str):
    """Character offsets of the lines that may be table rows: short, with a figure or a "v"."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if len(line) <= _MAX_ROW_CHARS and _ROW_HINT.search(line):
            yield start, end
        start = end + 1


def _table_sides(doc: Doc, first: int, last: int) -> list[tuple[int, int]]:
    tokens = [i for i in range(first, last) if not doc[i].is_space]
    if len(tokens) < 3:
        return []
    shapes = "".join(_shape(doc[i]) for i in tokens)
    for pattern in (_RESULT, _FIXTURE, _STANDING):
        m = pattern.fullmatch(shapes)
        if m:
            return [(tokens[m.start(g)], tokens[m.end(g) - 1] + 1) for g in range(1, (m.re.groups or 0) + 1)
                    if m.group(g)]
    return []


def _shape(tok) -> str:
    text = tok.text
    if text in "()":
        return text
    if any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        return "n"
    if text.lower() in _VERSUS and not text[:1].isupper() or text in ("AT", "V", "VS"):
        return "v"
    if text.lower() in _PARTICLES and not text[:1].isupper():
        return "p"
    if text[:1].isupper() and any(ch.isalpha() for ch in text):
        return "C"
    return "x"


def _prose_sides(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Subjects and objects of "beat", "drew with", "lost to", as the parser links them."""
    sides = []
    for match in _VERB_HINT.finditer(text):
        span = doc.char_span(match.start(), match.end())
        if span is None:
            continue
        tok = span[0]
        word = tok.lower_
        if word in _WIN_VERBS:
            objects = [c for c in tok.children if c.dep_ == "dobj"]
        else:
            preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "to", "against")]
            objects = [g for p in preps for g in p.children if g.dep_ == "pobj"]
        subjects = [c for c in tok.children if c.dep_ == "nsubj"]
        if subjects and objects:
            sides.extend(_name_of(doc, t) for t in subjects + objects)
    return [s for s in sides if s]


def _name_of(doc: Doc, head) -> tuple[int, int] | None:
    """The proper-noun run ending at ``head`` (compound names: "Notts County")."""
    if not head.text[:1].isupper():
        return None
    first = head.i
    while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].head.i == head.i \
            and doc[first - 1].text[:1].isupper():
        first -= 1
    return first, head.i + 1
