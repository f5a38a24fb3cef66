"""Issue 6 on the real broker: kill -9 mid-batch, broker restart, rebalance. Nothing is lost.

Each test publishes a known set of article ids, causes its fault while the worker is busy, and
then accounts for every id: it must appear in the enriched topic (or the dead-letter topic);
duplicates are allowed (at-least-once) but must be byte-identical.
"""

import json
import time

import pytest

from tests.integration.test_pipeline import good_articles
from tests.support.kafka_io import produce, read_topic

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def articles(n: int, tag: str) -> list[tuple[bytes, bytes]]:
    """n distinct articles: the shared corpus under new ids."""
    base = good_articles()
    out = []
    for i in range(n):
        article = {**json.loads(base[i % len(base)][1]), "id": f"{tag}-{i:04d}"}
        out.append((article["id"].encode(), json.dumps(article).encode()))
    return out


def ids_of(records) -> list[str]:
    return [json.loads(r.value)["id"] for r in records]


def wait_for_some(broker, topic: str, n: int) -> None:
    read_topic(broker.bootstrap, topic, until=lambda rs: len(rs) >= n, idle=0, timeout=300)


def account_for(broker, env: dict, ids: set[str]) -> dict:
    """Every id enriched or dead-lettered; duplicates identical. Returns counts for the report."""
    enriched = read_topic(broker.bootstrap, env["WIRESTREAM_TOPIC_ENRICHED"],
                          until=lambda rs: set(ids_of(rs)) >= ids, timeout=600, idle=5)
    dead = read_topic(broker.bootstrap, env["WIRESTREAM_TOPIC_DLQ"], timeout=15, idle=2)
    dead_ids = {json.loads(r.value).get("article_id") for r in dead}
    seen = set(ids_of(enriched)) | dead_ids
    assert ids <= seen, f"lost: {sorted(ids - seen)[:10]}"
    values: dict[str, set[bytes]] = {}
    for r in enriched:
        values.setdefault(json.loads(r.value)["id"], set()).add(r.value)
    assert all(len(v) == 1 for v in values.values()), "a duplicate differs from its first delivery"
    return {"enriched": len(enriched), "unique": len(values), "duplicates": len(enriched) - len(values),
            "dead_letters": len(dead)}


def test_kill_9_in_the_middle_of_a_batch_then_restart(broker, make_worker, topics_env):
    batch = articles(150, "kill")
    worker = make_worker(WIRESTREAM_BATCH_SIZE="16").start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    wait_for_some(broker, topics_env["WIRESTREAM_TOPIC_ENRICHED"], 20)
    assert worker.get("/metrics")[0] == 200
    worker.kill()  # SIGKILL to the worker and its NLP processes, mid-stream
    partial = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], timeout=5, idle=1)
    assert len(set(ids_of(partial))) < len(batch), "killed too late to test anything"

    make_worker(WIRESTREAM_BATCH_SIZE="16").start()
    counts = account_for(broker, topics_env, {k.decode() for k, _ in batch})
    assert counts["dead_letters"] == 0


def test_broker_restart_while_the_worker_runs(broker, make_worker, topics_env):
    batch = articles(120, "broker")
    worker = make_worker(WIRESTREAM_BATCH_SIZE="16").start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    wait_for_some(broker, topics_env["WIRESTREAM_TOPIC_ENRICHED"], 20)
    broker.stop()
    time.sleep(3)
    broker.start()
    counts = account_for(broker, topics_env, {k.decode() for k, _ in batch})
    assert worker.process.poll() is None, "the worker must ride out a broker restart"
    assert counts["dead_letters"] == 0


def test_a_second_worker_joins_and_leaves_mid_stream(broker, make_worker, topics_env):
    batch = articles(200, "rebalance")
    first = make_worker(WIRESTREAM_BATCH_SIZE="8", WIRESTREAM_POOL_PROCESSES="1").start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    wait_for_some(broker, topics_env["WIRESTREAM_TOPIC_ENRICHED"], 20)
    second = make_worker(WIRESTREAM_BATCH_SIZE="8", WIRESTREAM_POOL_PROCESSES="1").start()  # join: rebalance
    wait_for_some(broker, topics_env["WIRESTREAM_TOPIC_ENRICHED"], 80)
    second.stop()  # leave: rebalance again
    counts = account_for(broker, topics_env, {k.decode() for k, _ in batch})
    assert first.process.poll() is None
    assert counts["dead_letters"] == 0
