"""Stream-wide identity (streams/aggregates/identity.py): the rules on names, then on articles
written for these tests, run through the real engine, counted and resolved as the worker does."""

import pytest

from schemas import PipelineInfo, RawArticle
from streams.aggregates import facts, query
from streams.aggregates.identity import group_key, is_shorter, resolve, surname
from streams.aggregates.windows import bucket_of
from streams.codec import enriched_article
from streams.nlp.engine import Engine
from tests.support.tables import Tables

T0 = 1_764_583_200.0  # 2025-12-01 10:00 UTC


# --- the rules on names --------------------------------------------------------------------------

def test_groups_are_type_and_surname_for_people_and_the_whole_name_otherwise():
    assert group_key("Donald J. Trump", "PERSON") == "PERSON:trump"
    assert group_key("Mr. Trump", "PERSON") == "PERSON:trump"
    assert group_key("Martin Luther King Jr.", "PERSON") == "PERSON:king"
    assert group_key("Staffan de Mistura", "PERSON") == group_key("de Mistura", "PERSON") == "PERSON:mistura"
    assert group_key("the United Nations", "ORG") == group_key("United  Nations", "ORG") == "ORG:united nations"
    assert group_key("Trump", "ORG") != group_key("Trump", "PERSON"), "types never share a group"
    assert surname("Obama's") == "obama"


def test_shorter_forms_keep_order_and_surname():
    assert is_shorter("Trump", "Donald Trump")
    assert is_shorter("Donald Trump", "Donald J. Trump")
    assert is_shorter("de Mistura", "Staffan de Mistura")
    assert is_shorter("President Trump", "Donald Trump"), "an honorific is no part of the name"
    assert not is_shorter("Donald", "Donald Trump"), "a first name alone is not a shorter form"
    assert not is_shorter("Trump Donald", "Donald J. Trump"), "order matters"
    assert not is_shorter("Donald Trump", "Donald Trump")


def test_a_short_form_joins_the_one_full_name_seen():
    got = resolve(["Trump", "Donald Trump", "Mr. Trump"], "PERSON")
    assert {form: i.name for form, i in got.items()} == {
        "Trump": "Donald Trump", "Mr. Trump": "Donald Trump", "Donald Trump": "Donald Trump"}
    assert all(not i.ambiguous for i in got.values())


def test_a_shared_surname_is_ambiguous_and_never_merged_by_guess():
    got = resolve(["Clinton", "Hillary Clinton", "Bill Clinton", "Hillary Rodham Clinton"], "PERSON")
    assert got["Clinton"].name == "Clinton"
    assert got["Clinton"].ambiguous == ("Bill Clinton", "Hillary Rodham Clinton")
    assert got["Hillary Clinton"].name == "Hillary Rodham Clinton", "it is shorter than one full name only"
    assert got["Bill Clinton"].name == "Bill Clinton"


def test_resolution_depends_on_the_set_of_forms_not_their_order():
    forms = ["Trump", "Ivanka Trump", "Donald Trump", "Donald J. Trump"]
    assert resolve(forms, "PERSON") == resolve(list(reversed(forms)), "PERSON")


def test_other_types_join_forms_that_differ_in_case_or_article():
    got = resolve(["the Chinese envoy", "The Chinese envoy", "Chinese envoy"], facts.NOMINAL)
    assert {i.name for i in got.values()} == {"The Chinese envoy"}  # the longest form (ties: sort order)


# --- on articles written for these tests, through the engine ----------------------------------------

@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(exclude=["tagger", "attribute_ruler", "lemmatizer"])


def publish(engine: Engine, tables: Tables, article_id: str, body: str, at: float = T0) -> None:
    raw = RawArticle(id=article_id, title="", body=body, language="en", source="Test Wire")
    enriched = enriched_article(raw, engine.enrich(raw), PipelineInfo(version="t", model="m", model_version="v"))
    for _, fact in facts.article_facts(enriched.model_dump(mode="json"), at):
        tables.apply(fact)


def speakers(tables: Tables) -> dict[str, int]:
    return {i.name: i.count for i in query.local_top(tables, "speakers", bucket_of("1d", T0), 50)}


def test_a_surname_in_a_later_article_joins_the_full_name_of_an_earlier_one(engine):
    tables = Tables()
    publish(engine, tables, "a1", 'Senator Maria Lindqvist said the budget would pass. "It will pass," Lindqvist said.')
    publish(engine, tables, "a2", "Mr. Lindqvist told reporters on Tuesday that the vote was close.")
    assert speakers(tables) == {"Maria Lindqvist": 3}
    profile = query.local_profile(tables, "PERSON:lindqvist", "Lindqvist", "speaker", bucket_of("1d", T0), "w")
    assert profile.identity.name == "Maria Lindqvist" and profile.identity.articles == 2
    assert {f.name: f.statements for f in profile.identity.forms} == {"Maria Lindqvist": 2, "Lindqvist": 1}


def test_a_second_full_name_with_that_surname_makes_the_short_form_ambiguous(engine):
    tables = Tables()
    publish(engine, tables, "b1", "Senator Maria Lindqvist said the budget would pass.")
    publish(engine, tables, "b2", "Mr. Lindqvist told reporters on Tuesday that the vote was close.")
    publish(engine, tables, "b3", "Erik Lindqvist said the vote was a mistake.")
    assert speakers(tables) == {"Maria Lindqvist": 1, "Erik Lindqvist": 1, "Lindqvist": 1}  # nothing lost or doubled
    top = query.local_top(tables, "speakers", bucket_of("1d", T0), 50)
    short = next(i for i in top if i.name == "Lindqvist")
    assert short.ambiguous == ["Erik Lindqvist", "Maria Lindqvist"]


def test_case_and_article_variants_of_a_nominal_speaker_are_one(engine):
    tables = Tables()
    publish(engine, tables, "c1", "The port authority spokesman said the ships were waiting. "
                                  "Later the port authority spokesman said the strike would end.")
    publish(engine, tables, "c2", "A port authority spokesman said the cranes were idle.")
    # "The ..." and "the ..." are one speaker; "A port authority spokesman" may be another: apart
    assert speakers(tables) == {"The port authority spokesman": 2, "A port authority spokesman": 1}
