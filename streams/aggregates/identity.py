"""Stream-wide identity: which canonical names ("forms") the stream has seen are one person or thing.

Inside one article the NLP already gives every cluster one canonical name ("de Mistura" is
"Staffan de Mistura"). Across articles the same person may be named only by a shorter form
("Trump" in one article, "Donald Trump" in another). The rules, documented in docs/aggregates.md:

1. Every form belongs to a **group**, the partition key of the aggregates. A PERSON's group is its
   type and surname (the last token that is no suffix such as "Jr." or "III"), lower-cased; any
   other type's group is its type and whole name, lower-cased, white space collapsed, without a
   leading "the" or a trailing possessive. All forms of a group land in one table partition, so
   resolving them is local to the worker that owns it.
2. In a PERSON group, form A is **shorter** than form B when A's tokens (honorifics such as "Mr."
   or "President" dropped) appear in B in the same order, case-insensitively, and both end with
   the surname: "Trump" < "Donald Trump" < "Donald J. Trump", "de Mistura" < "Staffan de Mistura".
3. A form that no other form of its group is longer than is **full**, and its own identity. Any
   other form joins the one full form it is shorter than. When it is shorter than two or more
   ("Clinton": "Hillary Clinton" and "Bill Clinton") it is **ambiguous**: it stays apart, under its
   own name, with the candidates listed; it is never merged by guess.
4. Other types: all forms of a group differ only in case, a leading "the" or a possessive, and
   join one identity, named by the longest form (ties: the first in sort order).

Resolution is a function of the set of forms seen, not of their order, and counts are kept per
form: a form that joins, or later turns ambiguous when a second full name appears, moves without
losing or double counting anything.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

PERSON = "PERSON"
# Titles in front of a name: dropped for the comparison, never for the form itself.
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "president", "vice", "sen", "senator", "rep",
    "representative", "gov", "governor", "secretary", "gen", "general", "judge", "justice", "minister",
    "prime", "chancellor", "mayor", "rev", "pope", "king", "queen", "prince", "princess",
})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Identity:
    group: str  # partition key, e.g. "PERSON:trump"
    name: str  # display name: the full form joined, or the form itself
    type: str
    ambiguous: tuple[str, ...] = ()  # the full forms an ambiguous form could be

    @property
    def key(self) -> str:
        """Stable key of the identity: its group and display name."""
        return f"{self.group}/{self.name}"


def _clean(name: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    return _POSSESSIVE.sub("", text).strip()


@lru_cache(maxsize=1 << 16)  # resolving a group compares every pair of its forms: tokenise each once
def tokens(name: str) -> tuple[str, ...]:
    """A person's name as lower-case tokens without honorifics (kept when nothing else is left)."""
    words = [w.strip(".,").lower() for w in _clean(name).split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    return tuple(words)


def surname(name: str) -> str:
    words = list(tokens(name))
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    return words[-1] if words else ""


@lru_cache(maxsize=1 << 16)  # every entity and speaker of every article asks: names repeat
def group_key(name: str, entity_type: str) -> str:
    if entity_type == PERSON:
        return f"{PERSON}:{surname(name)}"
    return f"{entity_type}:{_LEADING_THE.sub('', _clean(name)).lower()}"


def is_shorter(short: str, long: str) -> bool:
    """Rule 2: ``short``'s tokens appear in ``long`` in order, and both end with the same surname."""
    a, b = tokens(short), tokens(long)
    if len(a) >= len(b) or surname(short) != surname(long):
        return False
    rest = iter(b)
    return all(any(word == other for other in rest) for word in a)


def resolve(forms: Iterable[str], entity_type: str) -> dict[str, Identity]:
    """Form -> identity for the forms of one group (rules 3 and 4)."""
    forms = sorted(set(forms))
    if not forms:
        return {}
    group = group_key(forms[0], entity_type)
    if entity_type != PERSON:
        name = min(forms, key=lambda f: (-len(f), f))
        return {f: Identity(group, name, entity_type) for f in forms}
    # compare normalised token sequences, so "Mr. Trump" and "Trump" are one form for this purpose
    full = [f for f in forms if not any(is_shorter(f, other) for other in forms)]
    out = {}
    for form in forms:
        above = sorted({_canonical_full(g, full) for g in full if is_shorter(form, g)})
        if form in full:
            out[form] = Identity(group, _canonical_full(form, full), entity_type)
        elif len(above) == 1:
            out[form] = Identity(group, above[0], entity_type)
        else:
            out[form] = Identity(group, _canonical_full(form, forms), entity_type, tuple(above))
    return out


def _canonical_full(form: str, candidates: list[str]) -> str:
    """Forms with the same tokens ("Donald Trump", "President Donald Trump") are one identity,
    named by the shortest of them."""
    same = [f for f in candidates if tokens(f) == tokens(form)]
    return min(same, key=lambda f: (len(f), f))
