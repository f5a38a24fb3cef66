"""spaCy entity spans -> canonical entity clusters inside one article.

Each mention is first cut to the name itself (streams.nlp.mentions). Clusters are then grown
from the longest full forms down, so every shorter form finds the full name it abbreviates:

- the same name, ignoring case ("De Mistura" = "de Mistura");
- a trailing part of a person's name ("de Mistura" -> "Staffan de Mistura", "Trump" -> "Donald Trump");
- an acronym of a name's capitalised words ("UN" -> "United Nations", "U.S." -> "United States").

A first name coordinated with a full name ("Paul and Dana Ortiz") stands for that first name
with the surname, unless the article uses the word as a surname too. A surname two people of the
article share goes to the one named more often (on a tie, the one named first), except where
honorifics of both genders tell them apart ("Mr. Clinton", "Mrs. Clinton"): the more frequent one
goes with the person named more often, the other with another full name (the last one before
its first mention) or, when there is none, with a person the article names only so.

A cluster's type is the label the model gave its longest full form, where it has the most
context; the short forms it tags differently ("de Mistura" as ORG) are its mistakes.
"""

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from schemas import Entity, EntityMention
from streams.nlp.countries import is_country
from streams.nlp.entity_types import DocEvidence, cluster_type
from streams.nlp.mentions import KEPT_LABELS, Mention, find_mentions, mention_of
from streams.nlp.repeats import known_names, repeated_mentions

# Labels under which a trailing part of a name stands for the whole (surnames).
_PERSONAL = frozenset({"PERSON"})
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "de", "&"})
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with",
                          "from", "as", "but", "is", "are", "vs", "via", "into", "over", "after", "about"})


@dataclass
class EntityIndex:
    """The clusters of one article, and a lookup from a character span to its cluster."""

    entities: list[Entity] = field(default_factory=list)
    _by_field: dict[str, tuple[list[int], list[tuple[int, Entity]]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        rows: dict[str, list[tuple[int, int, Entity]]] = {}
        for entity in self.entities:
            for m in entity.mentions:
                rows.setdefault(m.field, []).append((m.start, m.end, entity))
        for name, items in rows.items():
            items.sort(key=lambda r: (r[0], r[1]))
            self._by_field[name] = ([r[0] for r in items], [(r[1], r[2]) for r in items])

    def cluster_at(self, field_name: str, start: int, end: int) -> Entity | None:
        """The cluster of a mention overlapping ``[start, end)``, the first one when several do."""
        starts, rest = self._by_field.get(field_name, ([], []))
        i = bisect.bisect_left(starts, end) - 1
        found = None
        # Mentions never overlap each other, so at most a few to the left can reach ``start``.
        while i >= 0 and rest[i][0] > start:
            found = rest[i][1]
            i -= 1
        return found


def _is_title_case(text: str) -> bool:
    """A headline Capitalised On Every Word gives no evidence of names by capitals."""
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", text) if w.lower() not in _SMALL_WORDS]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _key(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def _acronym(text: str) -> str | None:
    letters = text.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return letters
    return None


def _initials(text: str) -> str:
    parts = [w for w in re.split(r"[\s-]+", text) if w and w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0] for w in parts if w[0].isupper())


class _Cluster:
    def __init__(self, first: Mention, name: str):
        self.name = name
        self.form = first.text  # the longest form written, whose label the type follows
        self.label = first.label
        self.mentions = [first]
        self.words = [w.lower() for w in name.split()]
        self.first = _place(first)  # where the article first names it (mentions join out of order)

    def join(self, m: Mention) -> None:
        self.mentions.append(m)
        self.first = min(self.first, _place(m))


def _place(m: Mention) -> tuple[bool, int]:
    return m.field != "title", m.start


class _Clusters:
    """Clusters with the lookups that keep joining linear: by name, by initials, by surname."""

    def __init__(self, genders: dict[tuple[str, int], tuple[str, str]] | None = None,
                 full_forms: dict[tuple[str, int], str] | None = None) -> None:
        self.all: list[_Cluster] = []
        self.full_forms = full_forms or {}  # (field, start) -> the name a first name stands for
        self._by_key: dict[str, _Cluster] = {}
        self._by_initials: dict[str, _Cluster] = {}
        self._by_last_word: dict[str, list[_Cluster]] = {}
        # (field, start) of a one-word mention after an honorific -> (surname, gender); and the
        # genders of each surname that honorifics of both genders come with, most frequent first.
        self._genders = genders or {}
        self._ranked: dict[str, list[str]] = _ranked_genders(self._genders)
        self._gendered: dict[tuple[str, str], _Cluster] = {}  # (surname, gender) -> the person

    def add(self, m: Mention) -> None:
        gendered = self._gender_key(m)
        name = self.name_of(m)
        c = self._by_honorific(m, gendered) if gendered else self._find(name)
        if c is None:
            c = _Cluster(m, name)
            self.all.append(c)
            if len(c.words) > 1:
                self._by_initials.setdefault(_initials(c.name), c)
                if c.label in _PERSONAL:
                    self._by_last_word.setdefault(c.words[-1], []).append(c)
        else:
            c.join(m)
        if gendered:
            self._gendered.setdefault(gendered, c)  # not by name: a bare surname is either of them
        else:
            self._by_key.setdefault(_key(name), c)

    def name_of(self, m: Mention) -> str:
        """The name a mention is clustered by: its text, or the full name a first name stands for."""
        return self.full_forms.get((m.field, m.start), m.text)

    def _gender_key(self, m: Mention) -> tuple[str, str] | None:
        key = self._genders.get((m.field, m.start)) if len(m.words) == 1 else None
        return key if key is not None and key[0] in self._ranked else None

    def _find(self, name: str) -> _Cluster | None:
        c = self._by_key.get(_key(name))
        if c is not None:
            return c
        acronym = _acronym(name)
        if acronym and acronym in self._by_initials:
            return self._by_initials[acronym]
        words = [w.lower() for w in name.split()]
        tails = [c for c in self._by_last_word.get(words[-1], ())
                 if len(words) < len(c.words) and c.words[-len(words):] == words]
        if tails:
            # A surname shared by two people in the article goes to the more mentioned one (on a
            # tie, the one named first).
            return max(tails, key=_prominence)
        return None

    def _by_honorific(self, m: Mention, key: tuple[str, str]) -> _Cluster | None:
        """"Mrs. Clinton" in an article with "Mr. Clinton" too: the more frequent honorific goes
        with the person of that surname named more often (``_prominence``); the other with the last
        other person of that surname named in full before it (the most prominent of them when none
        was). None: a person the article names only so."""
        surname, gender = key
        tails = self._by_last_word.get(surname, [])
        major = (surname, self._ranked[surname][0])
        if major not in self._gendered and tails:
            self._gendered[major] = max(tails, key=_prominence)
        if key in self._gendered:
            return self._gendered[key]
        others = [c for c in tails if c is not self._gendered.get(major)]
        if not others:
            return None
        before = [(max((x.start for x in c.mentions if x.field == m.field and x.start < m.start), default=-1), c)
                  for c in others]
        start, chosen = max(before, key=lambda r: r[0])
        return chosen if start >= 0 else max(others, key=_prominence)


def _prominence(c: _Cluster) -> tuple[int, bool, int]:
    """The person named more often; on a tie, the one named first (the story's own)."""
    in_body, start = c.first
    return len(c.mentions), not in_body, -start


def _ranked_genders(genders: dict[tuple[str, int], tuple[str, str]]) -> dict[str, list[str]]:
    """Surname -> its honorifics' genders, most frequent first (the first in the text on a tie),
    for the surnames that come with honorifics of both genders."""
    counts: dict[str, dict[str, int]] = {}
    for place in sorted(genders, key=lambda r: (r[0] != "title", r[1])):
        surname, gender = genders[place]
        found = counts.setdefault(surname, {})
        found[gender] = found.get(gender, 0) + 1
    return {name: sorted(found, key=lambda g: -found[g]) for name, found in counts.items() if len(found) > 1}


_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+$")
_HONORIFIC_GENDER = {"Mr": "male", "Mrs": "female", "Ms": "female", "Miss": "female"}


def honorific_gender(text: str, start: int) -> str | None:
    """"male"/"female" when an honorific stands right before ``start`` ("Mrs. Clinton"), else None."""
    found = _HONORIFIC.search(text, max(0, start - 6), start)
    return _HONORIFIC_GENDER[found.group(1)] if found else None


def _cluster(mentions: list[Mention], genders: dict[tuple[str, int], tuple[str, str]] | None = None,
             full_forms: dict[tuple[str, int], str] | None = None) -> list[_Cluster]:
    clusters = _Clusters(genders, full_forms)
    # Longest forms first, so short forms and acronyms find their full name.
    names = {id(m): clusters.name_of(m) for m in mentions}
    for m in sorted(mentions, key=lambda m: (-len(names[id(m)].split()), -len(names[id(m)]), m.field != "title",
                                            m.start)):
        clusters.add(m)
    return clusters.all


def _coordinated_first_names(mentions: list[Mention], texts: dict[str, str]) -> dict[tuple[str, int], str]:
    """"Paul and Dana Ortiz": a first name coordinated with a person's full name shares its surname.
    (field, start) of such a first name -> the full name it stands for."""
    out = {}
    # A word some full name of the article ends with is a surname ("Reyes and Dana Ortiz" after "Luis Reyes").
    surnames = {m.words[-1].lower() for m in mentions if m.label in _PERSONAL and len(m.words) > 1}
    ordered = sorted(mentions, key=lambda m: (m.field, m.start))
    for m, n in zip(ordered, ordered[1:]):
        if m.field == n.field and m.label in _PERSONAL and n.label in _PERSONAL and len(m.words) == 1 \
                and len(n.words) == 2 and texts[m.field][m.end:n.start] == " and " and m.text.lower() not in surnames:
            out[(m.field, m.start)] = f"{m.text} {n.words[-1]}"
    return out


def _drop_title_noise(title: list[Mention], body_keys: set[str], title_text: str) -> list[Mention]:
    """In a Title Case headline, keep only entities the body also names (capitals prove nothing there)."""
    if not _is_title_case(title_text):
        return title
    return [m for m in title if _key(m.text) in body_keys or any(k.endswith(" " + _key(m.text)) for k in body_keys)
            or (_acronym(m.text) is not None)]


def _with_found_names(mentions: list[Mention], evidence: DocEvidence, field_name: str) -> list[Mention]:
    """The model's mentions, with the sides of results lines and the dateline it missed or cut
    wrongly ("Harrow 3" is the side "Harrow" and its score)."""
    text, doc = evidence.text, evidence.doc
    found = [(first, last, "GPE" if is_country(doc[first:last].text) else "ORG") for first, last in evidence.sides]
    if evidence.dateline:
        found.append((*evidence.dateline, "GPE"))
    kept = list(mentions)
    for first, last, label in sorted(found):
        overlapping = [m for m in kept if m.first < last and first < m.last]
        for m in overlapping:
            kept.remove(m)
        labels = [m.label for m in overlapping if m.label in KEPT_LABELS]
        kept.append(mention_of(doc, text, field_name, first, last, labels[0] if labels else label))
    return kept


def cluster_entities(title: Doc, body: Doc) -> EntityIndex:
    evidence = {"title": DocEvidence.of(title, "title"), "body": DocEvidence.of(body, "body")}
    title_text, body_text = evidence["title"].text, evidence["body"].text
    body_mentions = _with_found_names(find_mentions(body, "body", body_text), evidence["body"], "body")
    body_keys = {_key(m.text) for m in body_mentions}
    title_mentions = _drop_title_noise(
        _with_found_names(find_mentions(title, "title", title_text), evidence["title"], "title"), body_keys, title_text)
    names = known_names(title_mentions + body_mentions)
    title_mentions += repeated_mentions(title, "title", names, title_mentions, title_text)
    body_mentions += repeated_mentions(body, "body", names, body_mentions, body_text)
    mentions = title_mentions + body_mentions
    texts = {"title": title_text, "body": body_text}
    genders = {(m.field, m.start): (m.text.lower(), g) for m in mentions
               if len(m.words) == 1 and (g := honorific_gender(texts[m.field], m.start))}
    clusters = _cluster(mentions, genders, _coordinated_first_names(mentions, texts))
    field_rank = {"title": 0, "body": 1}
    for c in clusters:
        c.mentions.sort(key=lambda m: (field_rank[m.field], m.start))
    clusters.sort(key=lambda c: (field_rank[c.mentions[0].field], c.mentions[0].start))
    entities = [
        Entity(id=f"e{i}", name=c.name, type=cluster_type(c.mentions, _key(c.form), _key, evidence),
               count=len(c.mentions),
               mentions=[EntityMention(text=m.text, label=m.label, field=m.field, start=m.start, end=m.end)
                         for m in c.mentions])
        for i, c in enumerate(clusters, start=1)
    ]
    return EntityIndex(entities)
