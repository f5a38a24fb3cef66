"""The other mentions of names the article already names, where the model passed them by.

The small model decides span by span: it tags "Lebedev" in one sentence and passes it by in
the next, or finds a club in the results line and not in the report above it. A name the
article uses once is the same name everywhere in it, so every further occurrence of a found
name (or of a person's surname) is a mention too.

A capitalised word at the start of a sentence is only a name if the article never writes it
in lower case: "Such" opens a sentence as often as it names a cricketer.
"""

import re

from spacy.tokens import Doc

from streams.nlp.mentions import Mention, mention_of
from streams.nlp.titles import PERSON_TITLES

_MAX_WORDS = 6
_LOWER_WORD = re.compile(r"\b[a-z][a-z'-]*\b")


def known_names(mentions: list[Mention]) -> dict[tuple[str, ...], str]:
    """Lower-cased word tuples of every name found -> its label; persons' surnames too."""
    names: dict[tuple[str, ...], str] = {}
    for m in sorted(mentions, key=lambda m: -len(m.words)):
        words = tuple(w.lower() for w in m.words)
        if len(words) <= _MAX_WORDS and len(m.text) > 1:
            names.setdefault(words, m.label)
        if m.label == "PERSON" and len(words) > 1 and len(words[-1]) > 2:
            names.setdefault(words[-1:], m.label)
    return names


def repeated_mentions(doc: Doc, field_name: str, names: dict[tuple[str, ...], str],
                      taken: list[Mention], text: str | None = None) -> list[Mention]:
    """Mentions of ``names`` in ``doc`` outside the spans already ``taken``."""
    if not names:
        return []
    covered = {i for m in taken for i in range(m.first, m.last)}
    starts: dict[str, list[tuple[str, ...]]] = {}
    for words in names:
        starts.setdefault(words[0], []).append(words)
    for options in starts.values():
        options.sort(key=len, reverse=True)
    text = doc.text if text is None else text
    lower_words = set(_LOWER_WORD.findall(text))
    # Only where a name's first word is written: a regular expression finds those in one pass.
    first_words = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(w) for w in sorted(starts, key=len, reverse=True)),
                             re.IGNORECASE)
    found, after = [], 0
    for hit in first_words.finditer(text):
        if not text[hit.start()].isupper():
            continue  # a name is written with its capital
        span = doc.char_span(hit.start(), hit.end())
        if span is None or span.start < after:
            continue
        match = _match_at(doc, span.start, starts, covered, lower_words)
        if match:
            found.append(mention_of(doc, text, field_name, span.start, span.start + len(match), names[match]))
            after = span.start + len(match)
    return found


def _match_at(doc: Doc, i: int, starts, covered: set[int], lower_words: set[str]) -> tuple[str, ...] | None:
    tok = doc[i]
    if i in covered or not tok.text[:1].isupper() or tok.lower_ not in starts:
        return None
    for words in starts[tok.lower_]:
        end = i + len(words)
        if end > len(doc) or any(j in covered for j in range(i, end)):
            continue
        if tuple(t.lower_ for t in doc[i:end]) != words:
            continue
        if _capitalised(doc, end) or (i > 0 and _name_word(doc[i - 1], lower_words)):
            continue  # part of a longer name ("Kent" in "Kent Brown" or "East Kent")
        if len(words) == 1 and tok.is_sent_start and tok.lower_ in lower_words:
            continue
        return words
    return None


def _name_word(tok, lower_words: set[str]) -> bool:
    """Capitalised, not a title, and not just a common word opening a sentence."""
    return (_capitalised(tok.doc, tok.i) and tok.lower_ not in PERSON_TITLES
            and not (tok.is_sent_start and tok.lower_ in lower_words))


def _capitalised(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].is_alpha and doc[i].text[:1].isupper()
