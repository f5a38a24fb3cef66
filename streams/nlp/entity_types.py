"""A cluster's type from the evidence of the whole article, not from one span's label.

The full forms of the name vote with the labels the model gave them (a short form, "de Mistura"
after "Staffan de Mistura", is seen with less context: its label only breaks ties), and what
the article does with any of its mentions adds votes:
a name that competes in a results line or "beats" another is a side: a club (an organisation)
unless it is a country's name (a national side) or written as a person's name.
"""

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from streams.nlp.countries import is_country
from streams.nlp.mentions import Mention
from streams.nlp.teams import competitor_spans

FULL_FORM_VOTE = 1.0
SIDE_VOTE = 2.0
_PLACES = ("GPE", "LOC", "FAC")


@dataclass
class DocEvidence:
    """What one parsed field says about the names in it, looked up by token offsets."""

    doc: Doc
    sides: set[tuple[int, int]] = field(default_factory=set)

    @classmethod
    def of(cls, doc: Doc) -> "DocEvidence":
        return cls(doc, set(competitor_spans(doc)))

    def votes(self, m: Mention) -> Counter:
        votes = Counter()
        if (m.first, m.last) in self.sides and not _personal_form(m):
            # A national side is its country, as in the model's own labels; a town's side is a club.
            votes["GPE" if is_country(m.text) else "ORG"] += SIDE_VOTE
        return votes


def cluster_type(mentions: list[Mention], full_key: str, key, evidence: dict[str, DocEvidence]) -> str:
    """The label with the most votes; ties go to the label most mentions were given."""
    votes, found, overall = Counter(), Counter(), Counter()
    for m in mentions:
        overall[m.label] += 1
        if key(m.text) == full_key:
            votes[m.label] += FULL_FORM_VOTE
        if m.doc is not None and m.field in evidence:
            found.update(evidence[m.field].votes(m))
    if found["ORG"] and not found["GPE"]:
        # A side named after its town: the model's place labels say only what the name also means.
        for label in _PLACES:
            votes.pop(label, None)
    votes.update(found)
    return max(votes, key=lambda lab: (votes[lab], overall[lab], lab))


def _personal_form(m: Mention) -> bool:
    """Written as a person: the model says PERSON over two words or more, or with an initial."""
    words = m.words
    return m.label == "PERSON" and (len(words) > 1 or any(len(w) == 2 and w.endswith(".") for w in words))
