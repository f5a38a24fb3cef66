"""Retention ticks (streams/aggregates/stages.py: sweep): expired days go, per partition, also for
groups that got no fact lately. The tables are dicts here; the partition a key hashes to is given."""

from types import SimpleNamespace

from streams.aggregates import stages, state, tables
from streams.aggregates.windows import DAY, day_start
from streams.settings import Settings

NOW = 1_764_583_200.0
OLD, TODAY = day_start(NOW - 10 * DAY), day_start(NOW)


def aggregates() -> tables.Aggregates:
    ws = SimpleNamespace(settings=Settings(aggregate_retention_days=7, topic_partitions=4))
    topic = SimpleNamespace(get_topic_name=lambda: "facts")
    return tables.Aggregates(ws=ws, facts_topic=topic, days={}, profiles={}, articles={})


def test_groups_go_to_the_partition_kafka_would_give_their_key():
    from aiokafka.partitioner import murmur2

    a = aggregates()
    for key in (b"PERSON:obi", b"PERSON:ng", b"GPE:lagos", b"PERSON:trump"):
        assert a.partition_of(key) == (murmur2(key) & 0x7FFFFFFF) % 4


def profile(forms, *days):
    return {"forms": forms, "latest": [{"at": d + 60, "article": f"a{d}", "rev": 1, "i": 0} for d in days],
            "days": list(days)}


def test_a_tick_drops_the_expired_days_of_its_partition_only():
    a = aggregates()
    # PERSON:obi and PERSON:ng share a partition; GPE:lagos is in another
    assert a.partition_of(b"PERSON:obi") == a.partition_of(b"PERSON:ng") == 0
    assert a.partition_of(b"GPE:lagos") == 1
    profiles = {"PERSON:obi": profile({"Ada Obi": OLD}, OLD, TODAY), "PERSON:ng": profile({"Ann Ng": OLD}, OLD),
                "GPE:lagos": profile({"Lagos": OLD}, OLD)}
    for group, value in profiles.items():
        a.store(a.profiles, group.encode(), value)
        for day in value["days"]:
            a.store(a.days, tables.day_key(group, day),
                    state.apply_day(None, {"article": "a", "rev": 1, "at": day, "forms": {}}))

    stages.sweep(a, partition=0, now=NOW)

    assert sorted(a.days) == [tables.day_key("GPE:lagos", OLD), tables.day_key("PERSON:obi", TODAY)]
    assert a.profile("PERSON:obi")["days"] == [TODAY]
    assert [v["article"] for v in a.profile("PERSON:obi")["latest"]] == [f"a{TODAY}"]
    assert b"PERSON:ng" not in a.profiles and a.aliases_of("PERSON:ng") == {}, "nothing left within retention"
    assert a.aliases_of("PERSON:obi") == {"Ada Obi": OLD}, "the alias table stays while a day is left"
    assert b"GPE:lagos" in a.profiles, "another partition's group waits for its own tick"
    stages.sweep(a, partition=1, now=NOW)
    assert b"GPE:lagos" not in a.profiles and list(a.days) == [tables.day_key("PERSON:obi", TODAY)]
