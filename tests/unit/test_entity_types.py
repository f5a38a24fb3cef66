"""streams.nlp.entity_types: cluster types from the evidence of the article, with the real model,
on sentences written for these tests (and the demo's samples, which the project wrote)."""

import json
from pathlib import Path

import pytest

from schemas import RawArticle
from streams.nlp.engine import Engine
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine():
    settings = Settings()
    return Engine(settings.model, settings.excluded_components)


def types(engine, body: str, title: str = "") -> dict[str, str]:
    enrichment = engine.enrich(RawArticle(id="t", title=title, body=body))
    return {e.name: e.type for e in enrichment.entities}


def test_a_role_before_a_name_makes_a_person_and_its_owner_a_club(engine):
    found = types(engine, '"We were unlucky," said Riverton manager Paolo Brandt after the 2-1 defeat.')
    assert found["Paolo Brandt"] == "PERSON"
    assert found["Riverton"] == "ORG"


def test_a_role_in_apposition_makes_a_person(engine):
    found = types(engine, "The head of the Baltic Dockers' Union, Sven Aalto, said the strike would go on.")
    assert found["Sven Aalto"] == "PERSON"
    assert found["Baltic Dockers' Union"] == "ORG"


def test_a_government_role_makes_its_owner_a_place(engine):
    found = types(engine, "Manitoba Premier Lena Ostrowski promised to rebuild every home lost to the floods.")
    assert found["Lena Ostrowski"] == "PERSON"
    assert found["Manitoba"] == "GPE"


def test_the_object_of_in_is_a_place(engine):
    found = types(engine, "The trial enrolled children in Niger and Burkina Faso over two years.")
    assert found["Burkina Faso"] in ("GPE", "LOC")
    assert found["Niger"] in ("GPE", "LOC")


def test_the_name_before_a_wildfire_is_a_place(engine):
    found = types(engine, "The province will rebuild every home destroyed by the Kamloops wildfire, the premier said.")
    assert found["Kamloops"] == "GPE"


def test_a_company_suffix_makes_an_organisation(engine):
    found = types(engine, "Shares of Halvorsen Industries rose after Kessler Holdings bid for it.")
    assert found["Halvorsen Industries"] == "ORG"
    assert found["Kessler Holdings"] == "ORG"


def test_a_spokeswoman_belongs_to_an_organisation(engine):
    found = types(engine, "A spokeswoman for Port of Tallinn declined to comment on the strike.")
    assert found["Port of Tallinn"] == "ORG"


def test_a_dateline_names_a_place_spelt_as_the_article_spells_it_elsewhere(engine):
    enrichment = engine.enrich(RawArticle(id="t", title="", body="OSLO 2024-03-01\nThe bank in Oslo kept its rate."))
    (oslo,) = [e for e in enrichment.entities if e.name == "Oslo"]
    assert oslo.type == "GPE"
    assert [m.text for m in oslo.mentions] == ["OSLO", "Oslo"]  # the article's own text


def test_a_results_table_under_a_capitals_headline(engine):
    found = types(engine, "Results of second division matches on Saturday :\nKingsbridge 2 Ashford 1\n"
                          "Melton 0 Harrow 3\nStandings : Kingsbridge 5 2 2 1 9 7 8",
                  title="SOCCER - KINGSBRIDGE GO TOP")
    assert {found[n] for n in ("Kingsbridge", "Ashford", "Melton", "Harrow")} == {"ORG"}


# --- the demo's samples: every entity as a reader would type it ---------------------------------------

READER_TYPES = {
    "sample-001": {"Lagos": "GPE", "Chidi Okafor": "PERSON", "Eko Harbour": "FAC", "City Hall": "FAC",
                   "Lagos State Ministry of Works": "ORG"},
    "sample-002": {"Chicago": "GPE", "Kansas": "GPE", "Maria Delgado": "PERSON", "Harrow Commodities": "ORG",
                   "U.S. Department of Agriculture": "ORG"},
    "sample-003": {"Nordic Transport Workers' Union": "ORG", "Lars Eklund": "PERSON", "Gothenburg": "GPE",
                   "Port of Gothenburg": "ORG"},
    "sample-004": {"European Centre for Disease Prevention and Control": "ORG", "Anna Weber": "PERSON"},
    "sample-005": {"Brightline Software": "ORG", "Tom Harris": "PERSON"},
    "sample-006": {"Wimbledon": "EVENT", "Gerry Lyons": "PERSON", "Centre Court": "FAC"},
    "sample-007": {"Bank of Canada": "ORG", "Claire Martin": "PERSON"},
    "sample-008": {"Greece": "GPE", "Metropolitan Museum of Art": "ORG", "New York": "GPE", "Greek": "NORP",
                   "Eleni Papadaki": "PERSON"},
    "sample-009": {"Sporting": "ORG", "Rui Costa": "PERSON"},
    "sample-010": {"British Columbia": "GPE", "Kamloops": "GPE", "David Chen": "PERSON"},
    "sample-011": {"David Chen": "PERSON", "British Columbia": "GPE", "Kamloops": "GPE", "Sarah Blake": "PERSON"},
    "sample-012": {"Mali": "GPE", "Burkina Faso": "GPE", "Amadou Traore": "PERSON", "University of Bamako": "ORG",
                   "World Health Organization": "ORG", "Africa": "LOC"},
}


def _samples():
    with open(ROOT / "samples" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                article = json.loads(line)
                article.pop("language", None)  # detected, not declared
                yield article


@pytest.mark.parametrize("article", list(_samples()), ids=lambda a: a["id"])
def test_sample_entities_are_typed_as_a_reader_would(engine, article):
    enrichment = engine.enrich(RawArticle.model_validate(article))
    assert "language_skipped" not in enrichment.flags
    assert {e.name: e.type for e in enrichment.entities} == READER_TYPES[article["id"]]
