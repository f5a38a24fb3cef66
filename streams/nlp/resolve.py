"""From a speaker as written to the canonical speaker: entity clusters, nominals and pronouns.

- A phrase whose head word lies in an entity mention names that entity ("US President Donald
  Trump" -> Donald Trump, e2). A phrase headed by a common noun is a nominal and stays as
  written ("United Nations officials", "the Chinese envoy").
- A relative pronoun ("the mayor, who said ...") is kept as the mention and named by the phrase
  it stands for.
- A pronoun stands for the most recent fitting speaker: he/she for the last speaker that is a
  person or a nominal, or the last person named as a subject, whichever came later; they for
  the last group; it for the last organisation. Nothing fits within a few paragraphs: no
  canonical speaker (the mention is still kept). "I", "we" and "you" are kept as written.
- he and she skip a person the article itself marks as of the other gender, by an honorific
  before one of the person's mentions ("Mr. Lee", "Ms. Park"); without one, nothing is assumed.
"""

import bisect
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc

from schemas import Entity
from streams.nlp.entities import EntityIndex, honorific_gender

_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_GROUP_TYPES = frozenset({"ORG", "GPE", "NORP"})
_REACH = 2500  # characters back a pronoun may look for its speaker (a few paragraphs)


@dataclass(frozen=True)
class Speaker:
    name: str | None
    mention: str | None
    entity: Entity | None
    kind: str  # person, group, nominal, unknown

    @property
    def entity_id(self) -> str | None:
        return self.entity.id if self.entity is not None else None


class Resolver:
    """Resolves speakers in reading order; remembers who spoke for the pronouns that follow."""

    def __init__(self, entities: EntityIndex, body: Doc, body_text: str | None = None):
        self.entities = entities
        self.history: list[tuple[str, int, Speaker]] = []  # (field, position, speaker)
        self._person_subjects = _person_subjects(entities, body)
        # (``Doc.text`` joins every token anew on each call: callers that have it pass it.)
        self._genders = _marked_genders(entities, body.text if body_text is None else body_text)
        self._full_names = _full_names(entities)

    def resolve(self, field: str, text: str, span: tuple[int, int] | None, head: tuple[int, int] | None,
                pronoun: str | None, position: int, stands_for: tuple[int, int] | None = None) -> Speaker:
        if span is None:
            return Speaker(None, None, None, "unknown")
        mention = text[span[0]:span[1]]
        if pronoun is not None:
            speaker = self._antecedent(field, pronoun, position, mention)
        else:
            name = text[stands_for[0]:stands_for[1]] if stands_for is not None else mention
            speaker = self._named(field, text, mention, head or span, name)
            self.history.append((field, position, speaker))
        return speaker

    def _named(self, field: str, text: str, mention: str, head: tuple[int, int], name: str) -> Speaker:
        entity = self.entities.cluster_at(field, head[0], head[1])
        if entity is not None and entity.type == "PERSON":
            entity = self._namesake(field, text, head[0], entity)
        if entity is not None and entity.type in _NAME_TYPES:
            kind = "person" if entity.type == "PERSON" else "group"
            return Speaker(entity.name, mention, entity, kind)
        return Speaker(name, mention, None, "nominal")

    def _antecedent(self, field: str, pronoun: str, position: int, mention: str) -> Speaker:
        if field != "body" or pronoun in ("first", "second"):
            return Speaker(None, mention, None, "unknown")
        best_pos, best = -1, None
        for f, pos, speaker in reversed(self.history):
            if f != field or pos >= position:
                continue
            if position - pos > _REACH:
                break
            if _fits(pronoun, speaker) and self._agrees(pronoun, speaker.entity):
                best_pos, best = pos, speaker
                break
        if pronoun in ("male", "female"):
            i = bisect.bisect_left(self._person_subjects, (position, "")) - 1
            while i >= 0 and not self._agrees(pronoun, self._person_subjects[i][2]):
                i -= 1
            if i >= 0:
                pos, entity = self._person_subjects[i][0], self._person_subjects[i][2]
                if pos > best_pos and position - pos <= _REACH:
                    best = Speaker(entity.name, entity.name, entity, "person")
        if best is None:
            return Speaker(None, mention, None, "unknown")
        return Speaker(best.name, mention, best.entity, best.kind)


    def _namesake(self, field: str, text: str, pos: int, entity: Entity) -> Entity:
        """A bare surname two people of the article share ("Clinton" beside Bill and Hillary Clinton)
        stands for the one named in full before it in its own paragraph ("Bill Clinton spoke with
        voters. ... Clinton said"); the clusters give it to the one named more often. Beyond the
        paragraph the one named more often is the writer's usual referent; a surname with an
        honorific is left to the clusters ("Mrs. Clinton": the honorific itself is how such copy
        tells them apart, ``streams.nlp.entities``). Full names that share their first word are
        one person ("Hillary Rodham Clinton")."""
        written = next((m for m in entity.mentions if m.field == field and m.start <= pos < m.end), None)
        if written is None or len(written.text.split()) != 1 or honorific_gender(text, pos) is not None:
            return entity
        para_start = text.rfind("\n", 0, pos) + 1
        last: dict[str, tuple[int, Entity]] = {}
        for f, start, e in self._full_names.get(written.text.lower(), []):
            if f == field and para_start <= start < pos:
                last[e.id] = max(last.get(e.id, (-1, e)), (start, e), key=lambda r: r[0])
        if not last:
            return entity
        _, nearest = max(last.values(), key=lambda r: r[0])
        if nearest.name.split()[0].lower() == entity.name.split()[0].lower():
            return entity
        return nearest

    def _agrees(self, pronoun: str, entity: Entity | None) -> bool:
        """False only for he/she and a person the article marks as of the other gender."""
        if pronoun not in ("male", "female") or entity is None:
            return True
        return self._genders.get(entity.id, pronoun) == pronoun


def _marked_genders(entities: EntityIndex, body: str) -> dict[str, str]:
    """Entity id -> "male"/"female" for persons with an honorific before a body mention; a person
    marked both ways (two people of one surname merged) is left unmarked."""
    out: dict[str, str] = {}
    for entity in entities.entities:
        if entity.type != "PERSON":
            continue
        found = set()
        for mention in entity.mentions:
            gender = honorific_gender(body, mention.start) if mention.field == "body" else None
            if gender is not None:
                found.add(gender)
        if len(found) == 1:
            out[entity.id] = found.pop()
    return out


def _full_names(entities: EntityIndex) -> dict[str, list[tuple[str, int, Entity]]]:
    """Surname -> (field, position, person) for every mention of a person by more than one word."""
    out: dict[str, list[tuple[str, int, Entity]]] = {}
    for entity in entities.entities:
        if entity.type != "PERSON":
            continue
        for m in entity.mentions:
            words = m.text.split()
            if len(words) > 1:
                out.setdefault(words[-1].lower(), []).append((m.field, m.start, entity))
    return out


def _fits(pronoun: str, speaker: Speaker) -> bool:
    if speaker.name is None:
        return False
    if pronoun in ("male", "female"):
        return speaker.kind == "person" or (speaker.kind == "nominal" and not speaker.name.lower().endswith("s"))
    if pronoun == "plural":
        return speaker.kind == "group" or (speaker.kind == "nominal" and speaker.name.lower().endswith("s"))
    if pronoun == "thing":
        return speaker.kind == "group" or (speaker.entity is not None and speaker.entity.type in _GROUP_TYPES)
    return False


def _person_subjects(entities: EntityIndex, body: Doc) -> list[tuple[int, str, Entity]]:
    """Body positions where a person is the grammatical subject: pronouns' usual antecedents."""
    out = []
    token_starts = body.to_array([IDX]).tolist() if len(body) else []
    for entity in entities.entities:
        if entity.type != "PERSON":
            continue
        for m in entity.mentions:
            if m.field != "body":
                continue
            last = bisect.bisect_right(token_starts, m.end - 1) - 1
            if last >= 0 and body[last].dep_ in ("nsubj", "nsubjpass"):
                out.append((m.start, entity.id, entity))
    out.sort(key=lambda r: (r[0], r[1]))
    return out
