"""Issue 4 on the real broker: keyed fan-out topics, and idempotent re-publishing."""

import json
import re
import time
from collections import Counter

import pytest

from tests.integration.test_pipeline import good_articles
from tests.support.kafka_io import produce, read_topic

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def enriched_by_id(records) -> dict[str, dict]:
    return {json.loads(r.value)["id"]: json.loads(r.value) for r in records}


def metric(worker, name: str) -> float:
    text = worker.get("/metrics")[1].decode()
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_fan_out_topics_carry_exactly_what_the_enriched_articles_imply(broker, make_worker, topics_env):
    good = good_articles()
    ids = {key.decode() for key, _ in good}
    make_worker().start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], good)
    articles = enriched_by_id(read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"],
                                         until=lambda rs: set(enriched_by_id(rs)) >= ids))
    assert set(articles) == ids

    want_entities = Counter()
    want_statements = Counter()
    for a in articles.values():
        for e in a["entities"]:
            record = {"schema_version": 1, "article_id": a["id"], "entity_id": e["id"], "name": e["name"],
                      "type": e["type"], "count": e["count"], "mentions": e["mentions"]}
            want_entities[(e["name"].encode(), json.dumps(record, sort_keys=True))] += 1
        for i, s in enumerate(a["statements"]):
            record = {"schema_version": 1, "article_id": a["id"], "index": i, "statement": s}
            key = s["speaker"].encode() if s["speaker"] else None
            want_statements[(key, json.dumps(record, sort_keys=True))] += 1
    assert sum(want_statements.values()) > 500 and sum(want_entities.values()) > 1000

    def as_counter(records) -> Counter:
        return Counter((r.key, json.dumps(json.loads(r.value), sort_keys=True)) for r in records)

    entities = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENTITIES"],
                          until=lambda rs: len(rs) >= sum(want_entities.values()))
    statements = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_STATEMENTS"],
                            until=lambda rs: len(rs) >= sum(want_statements.values()))
    assert as_counter(entities) == want_entities
    assert as_counter(statements) == want_statements


def test_republishing_the_same_articles_parses_nothing_again(broker, make_worker, topics_env):
    base = good_articles()  # 85: fill up to 100 with copies under new ids
    copies = [(k + b"-copy", json.dumps({**json.loads(v), "id": (k + b"-copy").decode()}).encode())
              for k, v in base[: 100 - len(base)]]
    good = base + copies
    assert len(good) == 100
    ids = {key.decode() for key, _ in good}
    worker = make_worker().start()
    raw, enriched = topics_env["WIRESTREAM_TOPIC_RAW"], topics_env["WIRESTREAM_TOPIC_ENRICHED"]
    produce(broker.bootstrap, raw, good)
    first = read_topic(broker.bootstrap, enriched, until=lambda rs: set(enriched_by_id(rs)) >= ids)
    parsed = metric(worker, "wirestream_articles_parsed_total")
    assert parsed == len(ids)

    produce(broker.bootstrap, raw, good)  # the same ids and content again
    raw_records = read_topic(broker.bootstrap, raw, until=lambda rs: len(rs) >= 2 * len(good))
    assert len(raw_records) == 2 * len(good)
    duplicates = 0.0
    for _ in range(120):
        duplicates = metric(worker, 'wirestream_messages_processed_total{outcome="duplicate"}')
        if duplicates >= len(good):
            break
        time.sleep(0.5)
    assert duplicates == len(good)
    assert metric(worker, "wirestream_articles_parsed_total") == parsed, "a re-delivery was parsed again"
    after = read_topic(broker.bootstrap, enriched, timeout=30, idle=3)
    assert sorted((r.key, r.value) for r in after) == sorted((r.key, r.value) for r in first)
