"""Enriched article -> facts per identity group (streams/aggregates/facts.py)."""

import pytest

from streams.aggregates import facts

T0 = 1_764_583_200.0


def mention(text, start, field="body"):
    return {"text": text, "label": "X", "field": field, "start": start, "end": start + len(text)}


BODY = "Ann Lee said the port in Lagos would open. Officials said Ann Lee was right."
ARTICLE = {
    "id": "a1", "revision": 2, "source": "Wire", "title": "", "received_at": "2025-12-01T10:00:00Z",
    "entities": [
        {"id": "e1", "name": "Ann Lee", "type": "PERSON", "count": 2,
         "mentions": [mention("Ann Lee", 0), mention("Ann Lee", BODY.index("Ann Lee", 5))]},
        {"id": "e2", "name": "Lagos", "type": "GPE", "count": 1, "mentions": [mention("Lagos", BODY.index("Lagos"))]},
    ],
    "statements": [
        {"kind": "indirect", "speaker": "Ann Lee", "speaker_mention": "Ann Lee", "speaker_entity_id": "e1",
         "cue": "said", "content": "the port in Lagos would open",
         "content_span": {"field": "body", "start": 13, "end": 41}},
        {"kind": "indirect", "speaker": "Officials", "speaker_mention": "Officials", "speaker_entity_id": None,
         "cue": "said", "content": "Ann Lee was right", "content_span": {"field": "body", "start": 58, "end": 75}},
        {"kind": "indirect", "speaker": None, "speaker_mention": None, "speaker_entity_id": None,
         "cue": "said", "content": "x", "content_span": {"field": "body", "start": 0, "end": 1}},
    ],
}


def test_one_fact_per_group_with_forms_statements_and_whom_they_name():
    assert BODY[13:41] == "the port in Lagos would open" and BODY[58:75] == "Ann Lee was right"
    got = dict(facts.article_facts(ARTICLE, facts.arrival_time(ARTICLE, 0)))
    assert sorted(got) == ["GPE:lagos", "NOMINAL:officials", "PERSON:lee"]
    lee = got["PERSON:lee"]
    assert (lee["article"], lee["rev"], lee["at"], lee["source"]) == ("a1", 2, T0, "Wire")
    form = lee["forms"]["Ann Lee"]
    assert form["t"] == "PERSON" and form["m"] == 2 and [s["i"] for s in form["s"]] == [0]
    assert form["ab"] == {"Lagos": 1}, "the speaker is not among whom they name"
    officials = got["NOMINAL:officials"]["forms"]["Officials"]
    assert officials["ab"] == {"Ann Lee": 1} and officials["m"] == 0
    assert got["GPE:lagos"]["forms"]["Lagos"]["s"] == []
    assert lee["co"] == ["Ann Lee", "Lagos"]
    # the statement without a speaker is in no fact (the statements topic keys it by nothing)
    assert sum(len(f["s"]) for fact in got.values() for f in fact["forms"].values()) == 2


def test_missing_arrival_time_falls_back_and_bad_articles_raise():
    assert facts.arrival_time({"received_at": None}, 42.0) == 42.0
    with pytest.raises(facts.BadArticle):
        facts.article_facts({"id": "x", "entities": [{"id": "e1"}], "statements": []}, T0)
    with pytest.raises(facts.BadArticle):
        facts.article_facts({"id": "x", "entities": "nope", "statements": []}, T0)
