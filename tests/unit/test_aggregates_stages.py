"""Stage 2 on a batch (streams/aggregates/stages.py: apply_facts): one write per value per batch,
the same values as fact by fact, and a fact twice in one batch counted once."""

import json
import time
from types import SimpleNamespace

from streams.aggregates import stages, state, tables
from streams.aggregates.windows import day_start
from streams.settings import Settings
from tests.support.tables import Tables
from tests.unit.test_aggregates_query import article, facts


class CountingDict(dict):
    def __init__(self):
        super().__init__()
        self.writes = 0

    def __setitem__(self, key, value):
        self.writes += 1
        assert isinstance(value, str), "values are stored as JSON text"
        super().__setitem__(key, value)


def aggregates() -> tables.Aggregates:
    ws = SimpleNamespace(settings=Settings(topic_partitions=4))
    return tables.Aggregates(ws=ws, facts_topic=None, days=CountingDict(),
                             profiles=CountingDict(), articles={})


def test_a_batch_writes_each_value_once_and_equals_fact_by_fact():
    now = day_start(time.time())  # today, within the retention: stage 2 prunes expired days as it goes
    found = [f for n in range(10) for _, f in facts.article_facts(article(f"a{n}", statements=2), now + n)]
    found += found[:3]  # re-delivered inside the same batch
    a, one_by_one = aggregates(), Tables()
    stages.apply_facts(a, found)
    for f in found:
        one_by_one.apply(json.loads(json.dumps(f)))
    groups = {f["group"] for f in found}
    assert a.days.writes == len(groups) and a.profiles.writes == len(groups)
    assert {k.decode().split(tables.SEP)[0] for k in a.days} == groups
    for (group, day), value in one_by_one.days.items():
        assert a.day(group, day) == json.loads(json.dumps(value))
        assert len(state.refs_of(value)) == 10, "each article once, the copies recognised"
    assert {g: a.aliases_of(g) for g in groups} == {g: one_by_one.aliases(g) for g in groups}
    for group, profile in one_by_one.profiles.items():
        assert a.profile(group)["latest"] == profile["latest"]
