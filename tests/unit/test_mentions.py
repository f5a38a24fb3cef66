"""streams.nlp.mentions: entity spans cut to the names they hold, on hand-built docs (words and
entity tags set directly, so the cuts are tested apart from the model's guesses)."""

import pytest
import spacy
from spacy.tokens import Doc

from streams.nlp.mentions import find_mentions

VOCAB = spacy.blank("en").vocab


def doc(tagged: str) -> Doc:
    """'Acme/B-ORG Corp./I-ORG rose' -> a Doc with those entities; '|' is a line break token."""
    words, ents = [], []
    for item in tagged.split():
        word, _, tag = item.partition("/")
        words.append("\n" if word == "|" else word)
        ents.append(tag or "O")
    spaces = [w != "\n" and i + 1 < len(words) and words[i + 1] != "\n" for i, w in enumerate(words)]
    return Doc(VOCAB, words=words, spaces=spaces, ents=ents)


def names(tagged: str) -> list[tuple[str, str]]:
    d = doc(tagged)
    found = find_mentions(d, "body")
    for m in found:
        assert d.text[m.start:m.end] == m.text
    return [(m.text, m.label) for m in found]


@pytest.mark.parametrize("tagged, expected", [
    # The period of an abbreviation is part of the name.
    ("officials/O in/O the/B-GPE U.S./I-GPE said/O", [("U.S.", "GPE")]),
    ("shares/O of/O Acme/B-ORG Corp./I-ORG rose/O", [("Acme Corp.", "ORG")]),
    # Articles and possessives are not, with or without a space before the 's.
    ("Reagan/B-PERSON 's/I-PERSON plan/O", [("Reagan", "PERSON")]),
    ("The/B-ORG Senate/I-ORG voted/O", [("Senate", "ORG")]),
    # A score or count after a name ends it.
    ("Durham/B-ORG 114/I-ORG all/O out/O", [("Durham", "ORG")]),
    ("Rovers/B-ORG 2-0/I-ORG", [("Rovers", "ORG")]),
    # Common nouns after a name describe it.
    ("the/O Interfax/B-ORG news/I-ORG agency/I-ORG said/O", [("Interfax", "ORG")]),
])
def test_a_span_is_cut_to_its_name(tagged, expected):
    assert names(tagged) == expected


@pytest.mark.parametrize("tagged, expected", [
    ("Pohang/B-PERSON 3/I-PERSON Ulsan/I-PERSON 2/I-PERSON", ["Pohang", "Ulsan"]),
    ("Romania/B-PERSON -/I-PERSON Ana/I-PERSON Popa/I-PERSON", ["Romania", "Ana Popa"]),
    ("CALIFORNIA/B-GPE |/I-GPE BOSTON/I-GPE AT/O OAKLAND/B-GPE", ["CALIFORNIA", "BOSTON", "OAKLAND"]),
])
def test_a_span_over_two_names_is_split(tagged, expected):
    assert [text for text, _ in names(tagged)] == expected


@pytest.mark.parametrize("tagged, expected", [
    ("Mercedes/B-ORG -/I-ORG Benz/I-ORG", "Mercedes-Benz"),
    ("3M/B-ORG rose/O", "3M"),
    ("the/O Euro/B-EVENT 2024/I-EVENT final/O", "Euro 2024"),
    ("Staffan/B-PERSON de/I-PERSON Mistura/I-PERSON", "Staffan de Mistura"),
])
def test_names_with_hyphens_digits_and_particles_stay_whole(tagged, expected):
    d = doc(tagged)
    if "Mercedes" in tagged:  # a hyphen inside a word has no space on either side
        d = Doc(VOCAB, words=["Mercedes", "-", "Benz"], spaces=[False, False, False], ents=["B-ORG", "I-ORG", "I-ORG"])
    assert [m.text for m in find_mentions(d, "body")] == [expected]


def test_labels_outside_names_and_lower_case_spans_are_dropped():
    assert names("Friday/B-DATE the/B-ORG committee/I-ORG Jane/B-PERSON Doe/I-PERSON") == [("Jane Doe", "PERSON")]
