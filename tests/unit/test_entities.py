"""Canonical entity clusters, on hand-built docs (words and entity tags set directly, so the
rules are tested apart from the model's guesses), and on the seed article with the real model."""

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from streams.nlp.entities import cluster_entities

SHARED = Path(__file__).resolve().parents[3] / "shared"
VOCAB = spacy.blank("en").vocab


def doc(tagged: str) -> Doc:
    """'Staffan/B-PERSON de/I-PERSON Mistura/I-PERSON said' -> a Doc with those entities."""
    words, ents = [], []
    for item in tagged.split():
        word, _, tag = item.partition("/")
        words.append(word)
        ents.append(tag or "O")
    # As the tokenizer splits them: no space before a possessive or closing punctuation.
    spaces = [i + 1 < len(words) and not words[i + 1].startswith(("'", ".", ",", ";")) for i in range(len(words))]
    return Doc(VOCAB, words=words, spaces=spaces, ents=ents)


def by_name(index):
    return {e.name: e for e in index.entities}


def test_short_names_join_the_full_name_and_the_type_follows_the_full_form():
    body = doc("Staffan/B-PERSON de/I-PERSON Mistura/I-PERSON spoke . Later de/B-ORG Mistura/I-ORG "
               "and De/B-ORG Mistura/I-ORG left .")
    index = cluster_entities(doc(""), body)
    assert len(index.entities) == 1
    entity = index.entities[0]
    assert (entity.id, entity.name, entity.type, entity.count) == ("e1", "Staffan de Mistura", "PERSON", 3)
    assert [m.text for m in entity.mentions] == ["Staffan de Mistura", "de Mistura", "De Mistura"]
    assert [m.label for m in entity.mentions] == ["PERSON", "ORG", "ORG"]


def test_acronyms_join_their_expansion():
    body = doc("The UN/B-ORG and the United/B-ORG Nations/I-ORG met ; the US/B-GPE and United/B-GPE States/I-GPE agreed .")
    names = by_name(cluster_entities(doc(""), body))
    assert sorted(m.text for m in names["United Nations"].mentions) == ["UN", "United Nations"]
    assert sorted(m.text for m in names["United States"].mentions) == ["US", "United States"]


def test_leading_article_and_possessive_are_stripped_with_exact_offsets():
    body = doc("the/B-ORG Senate/I-ORG met . Assad/B-PERSON 's/I-PERSON government/O and Assad/B-PERSON spoke .")
    index = cluster_entities(doc(""), body)
    names = by_name(index)
    assert set(names) == {"Senate", "Assad"}
    assert names["Assad"].count == 2
    for entity in index.entities:
        for m in entity.mentions:
            assert body.text[m.start:m.end] == m.text


def test_a_surname_shared_by_two_people_goes_to_the_more_mentioned_one():
    body = doc("Hillary/B-PERSON Clinton/I-PERSON met Bill/B-PERSON Clinton/I-PERSON . Hillary/B-PERSON "
               "Clinton/I-PERSON spoke . Clinton/B-PERSON left .")
    names = by_name(cluster_entities(doc(""), body))
    assert names["Hillary Clinton"].count == 3
    assert names["Bill Clinton"].count == 1


def test_honorifics_of_both_genders_tell_two_people_of_one_surname_apart():
    # The more frequent honorific goes with the person named more often, the other one with the
    # other full name.
    body = doc("Paul/B-PERSON Ortiz/I-PERSON spoke . Dana/B-PERSON Ortiz/I-PERSON smiled . Paul/B-PERSON "
               "Ortiz/I-PERSON left . Mr. Ortiz/B-PERSON waved . Mrs. Ortiz/B-PERSON sang . "
               "Mr. Ortiz/B-PERSON sat .")
    names = by_name(cluster_entities(doc(""), body))
    assert names["Paul Ortiz"].count == 4 and names["Dana Ortiz"].count == 2
    # With one full name, the less frequent honorific is someone the article names only so.
    body = doc("Paul/B-PERSON Ortiz/I-PERSON spoke . Mr. Ortiz/B-PERSON waved . Mrs. Ortiz/B-PERSON sang . "
               "Mr. Ortiz/B-PERSON sat .")
    names = by_name(cluster_entities(doc(""), body))
    assert names["Paul Ortiz"].count == 3 and names["Ortiz"].count == 1
    # One honorific alone tells nothing: the surname goes to the more mentioned one, as before.
    body = doc("Paul/B-PERSON Ortiz/I-PERSON spoke . Dana/B-PERSON Ortiz/I-PERSON smiled . Paul/B-PERSON "
               "Ortiz/I-PERSON left . Mrs. Ortiz/B-PERSON sang .")
    assert by_name(cluster_entities(doc(""), body))["Paul Ortiz"].count == 3


def test_a_first_name_coordinated_with_a_full_name_shares_its_surname():
    body = doc("Paul/B-PERSON and/O Dana/B-PERSON Ortiz/I-PERSON sold the farm . Paul/B-PERSON Ortiz/I-PERSON "
               "left .")
    names = by_name(cluster_entities(doc(""), body))
    assert set(names) == {"Paul Ortiz", "Dana Ortiz"}
    assert [m.text for m in names["Paul Ortiz"].mentions] == ["Paul", "Paul Ortiz"]
    assert names["Paul Ortiz"].type == "PERSON"
    # Not a word the article uses as a surname: "Reyes and Dana Ortiz" are two families.
    body = doc("Luis/B-PERSON Reyes/I-PERSON spoke . Reyes/B-PERSON and/O Dana/B-PERSON Ortiz/I-PERSON left .")
    assert set(by_name(cluster_entities(doc(""), body))) == {"Luis Reyes", "Dana Ortiz"}


def test_a_surname_two_people_share_equally_goes_to_the_one_named_first():
    body = doc("Dana/B-PERSON Ortiz/I-PERSON and/O Paulina/B-PERSON Ortiz/I-PERSON came . Ortiz/B-PERSON spoke .")
    assert by_name(cluster_entities(doc(""), body))["Dana Ortiz"].count == 2


def test_title_case_headline_keeps_only_entities_the_body_knows():
    title = doc("Upcoming/B-GPE Vote/O Splits/O Council/O As/O Miller/B-PERSON Returns/O")
    body = doc("Mayor John/B-PERSON Miller/I-PERSON returned on Monday .")
    index = cluster_entities(title, body)
    assert [e.name for e in index.entities] == ["John Miller"]
    assert index.entities[0].mentions[0].field == "title"


def test_sentence_case_headline_keeps_its_own_entities():
    title = doc("Voters/O in/O Ohio/B-GPE head/O to/O the/O polls/O")
    body = doc("Turnout was high .")
    assert [e.name for e in cluster_entities(title, body).entities] == ["Ohio"]


def test_lower_case_spans_are_not_names():
    body = doc("the/B-ORG committee/I-ORG met with Jane/B-PERSON Smith/I-PERSON .")
    assert [e.name for e in cluster_entities(doc(""), body).entities] == ["Jane Smith"]


def test_cluster_at_finds_the_cluster_overlapping_a_span():
    body = doc("Mayor John/B-PERSON Miller/I-PERSON said so . Miller/B-PERSON agreed .")
    index = cluster_entities(doc(""), body)
    start = body.text.index("Miller", 12)
    assert index.cluster_at("body", start, start + 6).name == "John Miller"
    assert index.cluster_at("body", 0, 5) is None
    assert index.cluster_at("title", start, start + 6) is None


def test_ids_follow_first_mention_order_and_output_is_deterministic():
    body = doc("Paris/B-GPE and Rome/B-GPE and Paris/B-GPE and Berlin/B-GPE .")
    first = cluster_entities(doc(""), body).entities
    second = cluster_entities(doc(""), body).entities
    assert [(e.id, e.name) for e in first] == [("e1", "Paris"), ("e2", "Rome"), ("e3", "Berlin")]
    assert first == second


def test_many_mentions_cluster_in_linear_time():
    words = " ".join(f"Name{i}/B-PERSON Person{i}/I-PERSON met Person{i}/B-PERSON ." for i in range(3000))
    index = cluster_entities(doc(""), doc(words))
    assert len(index.entities) == 3000
    assert all(e.count == 2 for e in index.entities)


# --- the seed article, with the real model ---------------------------------------------------------

def _fold(label: str) -> str:
    return "LOC" if label in ("GPE", "LOC", "FAC") else label


@pytest.fixture(scope="module")
def seed():
    gold_path = SHARED / "fixtures" / "seed_article.gold.json"
    if not gold_path.is_file():
        pytest.skip("../shared is not beside the project")
    from schemas import RawArticle
    from streams.nlp.engine import Engine
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    engine = Engine(exclude=["tagger", "attribute_ruler", "lemmatizer"])
    return gold, engine.enrich(RawArticle.model_validate(gold["article"]))


def test_seed_entity_clusters_match_the_gold(seed):
    gold, enrichment = seed
    clusters = {e.name: e for e in enrichment.entities}
    for expected in gold["entities"]:
        if not expected.get("required", True):
            continue
        cluster = clusters.get(expected["canonical"])
        assert cluster is not None, expected["canonical"]
        assert _fold(cluster.type) == expected["type"], expected["canonical"]
        assert set(expected["mentions"]) <= {m.text for m in cluster.mentions}, expected["canonical"]


def test_seed_mentions_are_exact_offsets(seed):
    _, enrichment = seed
    texts = {"title": enrichment.title, "body": enrichment.body}
    for entity in enrichment.entities:
        for m in entity.mentions:
            assert texts[m.field][m.start:m.end] == m.text
    assert "Upcoming" not in {e.name for e in enrichment.entities}


# --- evidence from the whole article ---------------------------------------------------------------

def lines_doc(*rows: str) -> Doc:
    """Rows of 'Word/TAG' items, one line each (a line-break token between rows)."""
    words, spaces, ents = [], [], []
    for row in rows:
        for item in row.split():
            word, _, tag = item.partition("/")
            words.append(word)
            spaces.append(True)
            ents.append(tag or "O")
        spaces[-1] = False
        words.append("\n")
        spaces.append(False)
        ents.append("O")
    return Doc(VOCAB, words=words, spaces=spaces, ents=ents)


def test_clubs_named_after_towns_are_organisations_in_results_lines():
    body = lines_doc("Kingston/B-GPE won/O at/O home/O ./O",
                     "Kingston/B-GPE 2/O Riverside/B-PERSON 1/O",
                     "Hillford/B-GPE 0/O Easton/O 3/O")
    names = by_name(cluster_entities(doc(""), body))
    assert {n: e.type for n, e in names.items()} == {"Kingston": "ORG", "Riverside": "ORG", "Hillford": "ORG",
                                                    "Easton": "ORG"}
    assert names["Kingston"].count == 2
    assert [m.label for m in names["Easton"].mentions] == ["ORG"]  # found by the line, not the model


def test_a_person_written_in_full_stays_a_person_in_a_results_line():
    body = lines_doc("Ann/B-PERSON Lee/I-PERSON 6/O Mia/B-PERSON Roth/I-PERSON 4/O")
    assert {e.name: e.type for e in cluster_entities(doc(""), body).entities} == {"Ann Lee": "PERSON",
                                                                                  "Mia Roth": "PERSON"}


def test_a_national_side_stays_its_country():
    body = lines_doc("Romania/B-GPE 1/O Kingston/B-GPE 0/O", "Norway/B-GPE 3/O 1/O 1/O 1/O")
    assert {e.name: e.type for e in cluster_entities(doc(""), body).entities} == {"Romania": "GPE",
                                                                                  "Kingston": "ORG",
                                                                                  "Norway": "GPE"}
