"""Answers from the tables (streams/aggregates/query.py, trending.py, windows.py): windows select the
right hours, a fan-out over workers equals one worker holding everything, trending as documented."""

import json
import math
import random

from streams.aggregates import facts, query, trending
from streams.aggregates.windows import HOUR, bucket_of
from tests.support.paths import POLNEAR_ARTICLES
from tests.support.tables import Tables

T0 = 1_764_583_200.0  # 2025-12-01 10:00 UTC


def entity(eid, name, etype, count=1, start=0):
    return {"id": eid, "name": name, "type": etype, "count": count,
            "mentions": [{"text": name, "label": etype, "field": "body", "start": start, "end": start + len(name)}]}


def article(aid, speaker="Chidi Okafor", statements=1, source="Wire", extra=()):
    ents = [entity("e1", speaker, "PERSON", 2), entity("e2", "Lagos", "GPE", 1, start=40), *extra]
    stmts = [{"kind": "indirect", "speaker": speaker, "speaker_mention": speaker, "speaker_entity_id": "e1",
              "cue": "said", "content": "the bridge in Lagos would open", "speaker_span": None,
              "cue_span": {"field": "body", "start": 20, "end": 24},
              "content_span": {"field": "body", "start": 25, "end": 60}} for _ in range(statements)]
    return {"id": aid, "revision": 1, "source": source, "title": "", "entities": ents, "statements": stmts}


def feed(tables, a, at=T0):
    for _, f in facts.article_facts(a, at):
        tables.apply(f)


def test_the_1h_window_is_the_hour_and_the_1d_window_the_whole_day():
    tables = Tables()
    feed(tables, article("a1", statements=2), at=T0)
    feed(tables, article("a2", statements=1), at=T0 + HOUR)
    hour = {i.name: i.count for i in query.local_top(tables, "speakers", bucket_of("1h", T0), 10)}
    day = {i.name: i.count for i in query.local_top(tables, "speakers", bucket_of("1d", T0), 10)}
    assert hour == {"Chidi Okafor": 2} and day == {"Chidi Okafor": 3}
    top = query.local_top(tables, "speakers", bucket_of("1h", T0 + HOUR), 10)[0]
    assert [p.count for p in top.series][-2:] == [2, 1] and len(top.series) == 24


def test_outlets_and_named_entities_of_a_speaker():
    tables = Tables()
    feed(tables, article("a1", source="Wire"))
    feed(tables, article("a2", source="Daily"))
    feed(tables, article("a3", source="Wire"))
    p = query.local_profile(tables, "PERSON:okafor", "Okafor", "speaker", bucket_of("1d", T0), "me")
    assert [(o.name, o.count) for o in p.outlets] == [("Wire", 2), ("Daily", 1)]
    assert [(a.name, a.count) for a in p.about] == [("Lagos", 3)], "the speaker is not among whom they name"
    assert p.identity.statements == 3 and p.identity.articles == 3 and len(p.latest) == 3


def polnear_like_facts():
    """Facts from articles shaped like the enriched ones, with names drawn from a fixed pool."""
    rng = random.Random(7)
    people = ["Ada Obi", "Obi", "Ken Obi", "Maria Lindqvist", "Lindqvist", "Rui Costa", "the spokesman"]
    out = []
    for n in range(60):
        speaker = rng.choice(people)
        a = article(f"x{n}", speaker=speaker, statements=rng.randint(0, 3), source=rng.choice(["A", "B", "C"]))
        out += facts.article_facts(a, T0 + rng.randint(0, 3) * HOUR)
    return out


def test_a_fan_out_over_workers_equals_one_worker_with_everything():
    found = polnear_like_facts()
    one, shards = Tables(), [Tables(), Tables(), Tables()]
    for group, f in found:
        one.apply(f)
        shards[hash(group) % 3].apply(f)  # a group lives in one partition, as the facts topic's key makes it
    for kind in ("speakers", "entities"):
        for window in ("1h", "1d"):
            bucket = bucket_of(window, T0)
            whole = query.local_top(one, kind, bucket, 5)
            merged = query.merge_ranked([query.local_top(s, kind, bucket, 5) for s in shards], 5)
            assert merged == whole and whole, (kind, window)
            whole_t = query.local_trending(one, kind, bucket, 5)
            assert query.merge_trending([query.local_trending(s, kind, bucket, 5) for s in shards], 5) == whole_t


def test_re_applying_every_fact_changes_no_answer():
    found = polnear_like_facts()
    tables = Tables()
    for _, f in found:
        tables.apply(f)
    before = query.local_top(tables, "speakers", bucket_of("1d", T0), 50)
    assert not any(tables.apply(json.loads(json.dumps(f))) for _, f in found)
    assert query.local_top(tables, "speakers", bucket_of("1d", T0), 50) == before


def test_trending_scores_against_the_keys_own_baseline():
    assert trending.trend(1, [0] * 24) is None, "below the minimum count"
    t = trending.trend(9, [1] * 24)
    assert t.baseline == 1 and math.isclose(t.score, 8 / math.sqrt(2))
    assert trending.trend(110, [100] * 24).score < t.score, "a steady big key is not trending"
    tables = Tables()
    for h in range(1, 25):  # Lagos once an hour for a day, then four times in this hour
        feed(tables, article(f"b{h}"), at=T0 - h * HOUR)
    for n in range(4):
        feed(tables, article(f"n{n}", speaker="Rui Costa"), at=T0)
    top = query.local_trending(tables, "entities", bucket_of("1h", T0), 3)
    scores = {i.name: (i.count, i.baseline, i.score) for i in top}
    assert scores["Rui Costa"] == (8, 0.0, 8.0)  # new to the stream: scores its count
    assert scores["Lagos"][:2] == (4, 1.0) and math.isclose(scores["Lagos"][2], 3 / math.sqrt(2), abs_tol=1e-3)
    assert [i.name for i in top][:1] == ["Rui Costa"]


def test_a_short_form_joins_the_full_name_and_keeps_its_own_counts():
    """Article ids from PolNeAR dev; the entities and statements are made up here."""
    lines = POLNEAR_ARTICLES.read_text().splitlines()[:10]
    tables = Tables()
    for n, line in enumerate(lines):
        feed(tables, article(json.loads(line)["id"], speaker=["Ada Obi", "Obi"][n % 2], statements=n % 3))
    ranked = query.local_top(tables, "speakers", bucket_of("1d", T0), 10)
    by_form = {f.name: f.statements for i in ranked for f in i.forms}
    assert by_form == {"Ada Obi": sum(n % 3 for n in range(0, 10, 2)), "Obi": sum(n % 3 for n in range(1, 10, 2))}
    assert [i.name for i in ranked] == ["Ada Obi"], "Obi joins the one full name seen"
