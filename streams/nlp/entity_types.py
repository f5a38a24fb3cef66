"""A cluster's type from the evidence of the whole article, not from one span's label.

The full forms of the name vote with the labels the model gave them (a short form, "de Mistura"
after "Staffan de Mistura", is seen with less context: its label only breaks ties), and what
the article does with any of its mentions adds votes:

- a side in a results line or of "beat" is a club, unless it is a country (a national side)
  or written as a person's name (streams.nlp.teams);
- a title or role before a name, or a role or an age in apposition ("Mr.", "striker",
  "Lars Eklund, the union's head", "Smith, 35,") makes a person;
- the owner of a role ("Sporting manager Rui Costa", "a spokeswoman for Acme") is an
  organisation, or a place for a role of government ("British Columbia Premier David Chen");
- a company suffix or an organisation's head noun ("Acme Corp", "Workers' Union") makes an
  organisation, a place's head noun ("Eko Harbour", "Lake Tana") a place;
- the object of "in" or "near", a dateline, and the name in front of a natural disaster
  ("the Kamloops wildfire") are places.

Evidence is a vote, not a rule: it outweighs one label of the model, not several.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from streams.nlp.countries import is_country
from streams.nlp.mentions import Mention
from streams.nlp.titles import GOVERNING_ROLES, ORGANISATION_ROLES, PERSON_TITLES
from streams.nlp.teams import competitor_spans

MODEL_VOTE = 1.0  # each full form's label
STRONG = 2.0
WEAK = 1.5
PLACE = "PLACE"  # a vote for whichever place label (GPE, LOC, FAC) the model prefers
_PLACES = ("GPE", "LOC", "FAC")

# Last words of organisations' names: company suffixes and organisations' head nouns.
# Not "bank": the West Bank is a place, and the model knows its banks.
ORGANISATION_HEADS = frozenset("""
inc inc. corp corp. co co. ltd ltd. plc llc llp sa s.a. ag nv n.v. bv gmbh spa s.p.a. ab asa oy bhd
pty kk group holdings holding bancorp bancshares industries corporation company companies
union party ministry department council committee commission association
university college institute agency exchange board authority organisation organization
foundation fund trust society league club army front movement church parliament assembly senate
congress government police service services airlines airways press newspaper times post journal
herald telegraph tribune gazette television radio network systems software technologies motors
communications securities partners investments brothers bros bros. insurance
""".split())
# Last words of places' names: structures (FAC) and natural features (LOC). Not "city" or
# "county": Manchester City and Notts County play football.
PLACE_HEADS = {word: "FAC" for word in """
harbour harbor airport bridge station street road avenue square park stadium tunnel dam court
""".split()} | {word: "LOC" for word in """
river lake sea ocean bay gulf island islands mountain mountains valley desert coast peninsula strait
canal
""".split()}
# Words that make a court a court of law ("Supreme Court", "Court of Appeal").
_LAW_COURT = frozenset("supreme high federal constitutional district appeal appeals appellate crown magistrates "
                       "criminal civil justice international military tax family juvenile state county superior "
                       "circuit arbitration human rights european".split())
# A name in front of one of these is where it happened ("the Kamloops wildfire").
_DISASTERS = frozenset("wildfire wildfires fire fires blaze earthquake quake floods flood flooding "
                       "storm storms tornado hurricane eruption landslide drought".split())
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}")
_PLACE_PREPOSITIONS = frozenset({"in", "near", "across", "throughout", "outside"})
# The model's precision per label, from its package meta ("performance" / "ents_per_type"):
# between an even ORG and GPE vote, GPE is more often right.
_PRECISION = {"GPE": 0.914, "NORP": 0.903, "PERSON": 0.857, "ORG": 0.79, "LOC": 0.736, "EVENT": 0.634,
              "PRODUCT": 0.529, "WORK_OF_ART": 0.474, "LAW": 0.446, "FAC": 0.39}
_HAPPENINGS = frozenset({"EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
_AGE_MIN, _AGE_MAX = 15, 110


@dataclass
class DocEvidence:
    """What one parsed field says about the names in it, looked up by token offsets."""

    doc: Doc
    text: str  # doc.text, read once
    sides: set[tuple[int, int]] = field(default_factory=set)
    dateline: tuple[int, int] | None = None

    @classmethod
    def of(cls, doc: Doc, field_name: str) -> "DocEvidence":
        text = doc.text
        return cls(doc, text, set(competitor_spans(doc, text)), dateline_span(doc) if field_name == "body" else None)

    def votes(self, m: Mention) -> Counter:
        votes = Counter()
        if (m.first, m.last) in self.sides and not _personal_form(m):
            # A national side is its country, as in the model's own labels; a town's side is a club.
            votes[PLACE if is_country(m.text) else "ORG"] += STRONG
        if (m.first, m.last) == self.dateline:
            votes[PLACE] += STRONG
        root = m.span.root
        for label, weight in (_person_votes(self.doc, m, root), _owner_votes(self.doc, m, root), _head_votes(m),
                              _place_votes(m, root)):
            if label:
                votes[label] += weight
        return votes


def cluster_type(mentions: list[Mention], full_key: str, key, evidence: dict[str, DocEvidence]) -> str:
    """The label with the most votes; ties go to the label most mentions were given, then to the
    label the model is most often right about."""
    votes, found, overall = Counter(), Counter(), Counter()
    for m in mentions:
        overall[m.label] += 1
        if key(m.text) == full_key:
            votes[m.label] += MODEL_VOTE
        if m.doc is not None and m.field in evidence:
            found.update(evidence[m.field].votes(m))
    if found["ORG"] >= STRONG and not found[PLACE]:
        # A club or a company named after its town: the model's place labels say only what the
        # name also means.
        for label in _PLACES:
            votes.pop(label, None)
    if found[PLACE]:
        place = max(_PLACES, key=lambda lab: (votes[lab], lab == "GPE"))
        votes[place] += found.pop(PLACE)
    votes.update(found)
    return max(votes, key=lambda lab: (votes[lab], overall[lab], _PRECISION.get(lab, 0.0), lab))


def _personal_form(m: Mention) -> bool:
    """Written as a person: the model says PERSON over two words or more."""
    return m.label == "PERSON" and len(m.words) > 1


def _person_votes(doc: Doc, m: Mention, root) -> tuple[str | None, float]:
    if m.first > 0 and doc[m.first - 1].lower_ in PERSON_TITLES:
        return "PERSON", STRONG
    if root.dep_ == "appos" and root.head.lower_ in PERSON_TITLES:
        return "PERSON", STRONG  # "the head of the union, Lars Eklund,"
    if any(c.dep_ == "appos" and c.lower_ in PERSON_TITLES for c in root.children):
        return "PERSON", STRONG  # "Anna Weber, the agency's director"
    if _age_follows(doc, m.last):
        return "PERSON", STRONG
    return None, 0.0


def _age_follows(doc: Doc, i: int) -> bool:
    """ "Smith , 35 , said" """
    if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 2].text not in (",", "."):
        return False
    age = doc[i + 1].text
    return age.isdigit() and _AGE_MIN <= int(age) <= _AGE_MAX


def _owner_votes(doc: Doc, m: Mention, root) -> tuple[str | None, float]:
    """The name owns a role: "Sporting manager Costa", "a spokeswoman for Acme", "Acme's chairman"."""
    role = None
    if m.last < len(doc) and _is_role(doc[m.last]) and root.dep_ in ("compound", "nmod", "poss"):
        role = doc[m.last]
    elif m.last + 1 < len(doc) and doc[m.last].text in ("'s", "\u2019s") and _is_role(doc[m.last + 1]):
        role = doc[m.last + 1]
    elif root.dep_ == "pobj" and root.head.lower_ in ("for", "of") and _is_role(root.head.head):
        role = root.head.head
    if role is None:
        return None, 0.0
    if role.lower_ in GOVERNING_ROLES or is_country(m.text):
        return PLACE, WEAK
    if role.lower_ in ORGANISATION_ROLES:
        return "ORG", STRONG
    return None, 0.0


def _is_role(tok) -> bool:
    return tok.lower_ in PERSON_TITLES or tok.lower_ in ORGANISATION_ROLES


def _head_votes(m: Mention) -> tuple[str | None, float]:
    words = m.words
    if len(words) < 2 or is_country(m.text):  # "Soviet Union"
        return None, 0.0
    last = words[-1].lower()
    if last in ORGANISATION_HEADS:
        return "ORG", STRONG
    if last == "court" and _LAW_COURT.intersection(w.lower() for w in words):
        return "ORG", WEAK  # a court of law, not a tennis court
    if last in PLACE_HEADS:
        return PLACE_HEADS[last], WEAK
    return None, 0.0


def _place_votes(m: Mention, root) -> tuple[str | None, float]:
    head = root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "in Mali and Burkina Faso"
    if head.dep_ == "pobj" and head.head.lower_ in _PLACE_PREPOSITIONS and m.label not in _HAPPENINGS:
        return PLACE, WEAK  # "in Mali", but "in the Olympics" and "in Hamlet" are not places
    if root.dep_ == "compound" and root.head.lower_ in _DISASTERS:
        return PLACE, STRONG
    return None, 0.0


def dateline_span(doc: Doc) -> tuple[int, int] | None:
    """ "GENEVA 2024-03-01", "LONDON, March 1 (Wire) -": the capitalised words opening the body,
    then a date on the same line."""
    last = 0
    while last < min(len(doc), 4) and doc[last].text[:1].isupper() and doc[last].is_alpha:
        last += 1
    if last == 0 or last >= len(doc):
        return None
    after = [t for t in doc[last:last + 3] if not t.is_punct and not t.is_space]
    if after and (after[0].ent_type_ == "DATE" or _DATE.match(after[0].text)):
        return 0, last
    return None
