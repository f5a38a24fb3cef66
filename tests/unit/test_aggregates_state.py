"""Table values (streams/aggregates/state.py): a re-delivered fact changes nothing, whatever landed."""

import json

from streams.aggregates import state
from streams.aggregates.windows import DAY, day_start

T0 = 1_764_583_200.0  # 2025-12-01 10:00 UTC


def fact(article="a1", rev=1, at=T0, forms=None, group="PERSON:okafor"):
    forms = forms or {"Chidi Okafor": {"t": "PERSON", "m": 2, "ab": {"Lagos": 1}, "s": [
        {"i": 0, "kind": "direct", "cue": "said", "content": "We will open in April.", "mention": "Okafor"}]}}
    return {"v": 1, "group": group, "article": article, "rev": rev, "at": at, "source": "Wire", "title": "t",
            "co": ["Lagos", "Chidi Okafor"], "forms": forms}


def test_a_fact_counted_once_is_recognised_when_it_comes_again():
    once = state.apply_day(None, fact())
    assert state.refs_of(once) == [("a1#1", 10, "Wire", [("Chidi Okafor", True)])]
    assert once["h"] == {"10": {"f": {"Chidi Okafor": [1, 2, 1]}, "ab": {"Chidi Okafor": {"Lagos": 1}},
                                "co": {"Chidi Okafor": {"Lagos": 1}}}}
    assert state.apply_day(once, fact()) is None, "a re-delivery must not count again"
    # the value survives its JSON round trip through the changelog, and still recognises the fact
    assert state.apply_day(json.loads(json.dumps(once)), fact()) is None


def test_a_new_revision_and_a_new_article_are_counted():
    value = state.apply_day(None, fact())
    value = state.apply_day(value, fact(rev=2))
    value = state.apply_day(value, fact(article="a2", at=T0 + 3600))
    assert [(ref, hour) for ref, hour, _, _ in state.refs_of(value)] == [("a1#1", 10), ("a1#2", 10), ("a2#1", 11)]
    assert value["h"]["10"]["f"]["Chidi Okafor"] == [2, 4, 2] and value["h"]["11"]["f"]["Chidi Okafor"] == [1, 2, 1]


def test_an_id_that_starts_like_another_is_not_taken_for_it():
    value = state.apply_day(None, fact(article="a1#1"))  # ids may hold '#': its ref is "a1#1#1"
    assert state.apply_day(value, fact(article="a1")) is not None
    assert state.apply_day(value, fact(article="1")) is not None
    assert [ref for ref, *_ in state.refs_of(value)] == ["a1#1#1", "a1#1", "1#1"]


def test_named_beside_is_bounded_to_the_most_frequent():
    value = None
    for n in range(40):
        value = state.apply_day(value, {**fact(article=f"x{n}"), "co": [f"E{n}", "Lagos"]})
    beside = value["h"]["10"]["co"]["Chidi Okafor"]
    assert len(beside) == state.CO_KEEP and beside["Lagos"] == 40


def test_aliases_grow_by_union_and_keep_the_first_time_seen():
    aliases = state.apply_aliases(None, fact())
    assert aliases == {"Chidi Okafor": T0}
    assert state.apply_aliases(aliases, fact(at=T0 + 60)) is None
    more = state.apply_aliases(aliases, fact(at=T0 + 60, forms={"Okafor": {"t": "PERSON", "m": 1, "ab": {}, "s": []}}))
    assert more == {"Chidi Okafor": T0, "Okafor": T0 + 60}


def statements(n, article):
    return {"Chidi Okafor": {"t": "PERSON", "m": 0, "ab": {}, "s": [
        {"i": i, "kind": "indirect", "cue": "said", "content": f"claim {i}", "mention": None} for i in range(n)]}}


def test_latest_statements_are_bounded_newest_first_and_idempotent():
    profile = state.apply_profile(None, fact(article="old", at=T0, forms=statements(3, "old")), bound=4)
    profile = state.apply_profile(profile, fact(article="new", at=T0 + 10, forms=statements(3, "new")), bound=4)
    assert [(v["article"], v["i"]) for v in profile["latest"]] == [("new", 0), ("new", 1), ("new", 2), ("old", 0)]
    assert state.apply_profile(profile, fact(article="new", at=T0 + 10, forms=statements(3, "new")), 4) is None
    # an old statement coming again after it fell off the list does not come back
    assert state.apply_profile(profile, fact(article="old", at=T0, forms=statements(3, "old")), 4) is None
    assert profile["days"] == [day_start(T0)]


def test_expired_days_are_pruned_with_their_statements():
    profile = state.apply_profile(None, fact(article="old", at=T0 - 10 * DAY), bound=5)
    profile = state.apply_profile(profile, fact(article="new", at=T0), bound=5)
    pruned, gone = state.prune_days(profile, now=T0, retention_days=7)
    assert gone == [day_start(T0 - 10 * DAY)]
    assert pruned["days"] == [day_start(T0)] and [v["article"] for v in pruned["latest"]] == ["new"]
    assert state.prune_days(pruned, now=T0, retention_days=7) == (pruned, [])
