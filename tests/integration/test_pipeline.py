"""Issue 2 on the real broker: every input accounted for, in articles.enriched or articles.dlq."""

import base64
import json
from collections import Counter

import pytest

from tests.support.kafka_io import produce, read_topic
from tests.support.malformed import catalogue
from tests.support.paths import POLNEAR_ARTICLES, SEED_ARTICLE

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def good_articles() -> list[tuple[bytes, bytes]]:
    lines = SEED_ARTICLE.read_bytes().splitlines() + POLNEAR_ARTICLES.read_bytes().splitlines()
    return [(json.loads(line)["id"].encode(), line) for line in lines if line.strip()]


def values_by_id(records) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    for r in records:
        out.setdefault(json.loads(r.value)["id"], []).append(r.value)
    return out


def test_every_input_is_enriched_once_or_dead_lettered_with_its_bytes(broker, make_worker, topics_env):
    good = good_articles()
    bad = catalogue()
    assert len(good) == 85 and len(bad) >= 20
    worker = make_worker().start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], good + [(b.key, b.value) for b in bad])

    ids = {key.decode() for key, _ in good}
    enriched = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"],
                          until=lambda rs: {json.loads(r.value)["id"] for r in rs} >= ids)
    dead = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_DLQ"], until=lambda rs: len(rs) >= len(bad))

    counts = Counter(json.loads(r.value)["id"] for r in enriched)
    assert set(counts) == ids, worker.log_tail()
    assert all(n == 1 for n in counts.values()), {i: n for i, n in counts.items() if n != 1}
    for r in enriched:
        assert r.key == json.loads(r.value)["id"].encode()

    letters = [json.loads(r.value) for r in dead]
    assert len(letters) == len(bad)
    def identity(original: bytes, key: bytes | None) -> tuple[bytes, bytes | None]:
        return original, key

    by_original = {identity(base64.b64decode(d["original_base64"]),
                            base64.b64decode(d["original_key_base64"]) if d["original_key_base64"] else None): d
                   for d in letters}
    for b in bad:
        letter = by_original.get(identity(b.value or b"", b.key))
        assert letter is not None, f"{b.name}: no dead letter"
        assert letter["reason"] == b.reason, f"{b.name}: {letter['reason']} ({letter['message']})"
        assert letter["original_size"] == len(b.value or b"")
        assert letter["source_topic"] == topics_env["WIRESTREAM_TOPIC_RAW"]
        assert letter["source_offset"] is not None and letter["message"]

    assert worker.process.poll() is None, "the worker must survive every bad message"
    _check_seed_entities(values_by_id(enriched)["seed-0001"][0])


def _check_seed_entities(value: bytes) -> None:
    """The enriched seed article names the gold's main entities, with offsets that slice their text."""
    article = json.loads(value)
    found = {}
    for entity in article["entities"]:
        for m in entity["mentions"]:
            assert article[m["field"]][m["start"]:m["end"]] == m["text"]
        found.setdefault(entity["name"], entity["type"])
    assert found.get("Staffan de Mistura") == "PERSON"
    assert found.get("Donald Trump") == "PERSON"
    assert found.get("United Nations") == "ORG"
    assert found.get("Syria") in {"GPE", "LOC", "FAC"}
    assert found.get("Geneva") in {"GPE", "LOC", "FAC"}


def test_stopping_the_worker_mid_stream_loses_nothing(broker, make_worker, topics_env):
    good = good_articles()
    ids = {key.decode() for key, _ in good}
    # A graceful stop finishes the batches in flight (at most in_flight_batches x batch_size
    # articles): small batches leave most of the stream to the next worker.
    first = make_worker(WIRESTREAM_BATCH_SIZE="4").start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], good)
    # Stop once some, not all, articles are out.
    read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], until=lambda rs: len(rs) >= 10, idle=0)
    first.stop()
    partial = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], timeout=10, idle=1)
    assert len({json.loads(r.value)["id"] for r in partial}) < len(ids), "stopped too late to test anything"

    make_worker().start()
    enriched = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"],
                          until=lambda rs: {json.loads(r.value)["id"] for r in rs} >= ids)
    by_id = values_by_id(enriched)
    assert set(by_id) == ids
    for article_id, values in by_id.items():
        assert len(set(values)) == 1, f"{article_id} re-delivered with different content"
