"""Three brokers (issue 10): the delivery guarantee with replication, when brokers fail.

On a three-node KRaft cluster of deploy/kafka (cluster.sh) that the test starts and stops, a
worker with replicated topics (replication factor 3, min.insync.replicas 2) and durable producers
(acks=all, idempotence: the settings' defaults) enriches a few hundred articles while the broker
leading most raw and enriched partitions is killed -9 mid-stream, restarted later, and then every
broker is restarted in turn. Every id must be enriched, duplicates byte-identical, no dead
letters, and the same worker process must carry on through all of it (nobody restarts it).
"""

import json

import pytest

from tests.integration.test_pipeline import good_articles
from tests.support.cluster import Cluster, start_cluster
from tests.support.delivery import account_for, enriched_count, wait_for_enriched
from tests.support.kafka_io import produce
from tests.support.polling import wait_for
from tests.support.worker import Worker

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TOPIC_CONFIG = 1  # DescribeConfigs source: set on the topic itself (not a broker default)

WORKER = {
    "WIRESTREAM_KAFKA_SESSION_TIMEOUT_S": "15",
    "WIRESTREAM_POOL_PROCESSES": "1",
    "WIRESTREAM_BATCH_SIZE": "8",
}


@pytest.fixture
def cluster(tmp_path_factory) -> Cluster:
    cluster = start_cluster(tmp_path_factory.mktemp("cluster"))
    yield cluster
    cluster.stop()


@pytest.fixture
def worker_on(cluster, topics_env, tmp_path):
    workers: list[Worker] = []

    def make() -> Worker:
        worker = Worker(cluster, {**topics_env, **WORKER}, tmp_path, name=f"worker{len(workers)}")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


def short_articles(n: int, tag: str, chars: int = 700) -> list[tuple[bytes, bytes]]:
    """n distinct articles from the shared corpus, their bodies cut to their first paragraphs (the
    test is about delivery, not the NLP: short articles keep it within minutes on two cores)."""
    base = [json.loads(value) for _, value in good_articles()]
    out = []
    for i in range(n):
        article = base[i % len(base)]
        body = article["body"]
        cut = body.rfind("\n", 0, chars)
        body = body[:cut if cut > 200 else chars]
        article = {**article, "id": f"{tag}-{i:04d}", "body": body}
        out.append((article["id"].encode(), json.dumps(article).encode()))
    return out


def keys(batch) -> set[str]:
    return {key.decode() for key, _ in batch}


def assert_replicated(cluster: Cluster, topics_env: dict) -> None:
    """The worker's topics (and its table changelogs) have three replicas per partition, all in
    sync, and min.insync.replicas 2 set on the topic itself."""
    prefix = topics_env["WIRESTREAM_APP_ID"].removesuffix("-app")
    partitions = {tp: s for tp, s in cluster.partitions().items() if tp[0].startswith((f"{prefix}.", f"{prefix}-"))}
    topics = {topic for topic, _ in partitions}
    wanted = {topics_env[f"WIRESTREAM_TOPIC_{name}"] for name in ("RAW", "ENRICHED", "DLQ", "ENTITIES", "STATEMENTS")}
    wanted.add(f"{topics_env['WIRESTREAM_APP_ID']}-seen-articles-changelog")
    assert wanted <= topics, f"missing topics: {wanted - topics}"
    for (topic, p), state in partitions.items():
        assert len(state["replicas"]) == 3 and set(state["isr"]) == set(state["replicas"]), (topic, p, state)
    for topic in sorted(topics):
        config = cluster.topic_config(topic)
        assert config["min.insync.replicas"][0] == "2", (topic, config["min.insync.replicas"])
        assert config["unclean.leader.election.enable"][0] == "false", topic
        if topic in wanted:
            assert config["min.insync.replicas"][1] == TOPIC_CONFIG, (topic, "min ISR is only the broker default")


def test_leader_kill_9_and_rolling_restart_lose_nothing(cluster, worker_on, topics_env):
    raw, enriched = topics_env["WIRESTREAM_TOPIC_RAW"], topics_env["WIRESTREAM_TOPIC_ENRICHED"]
    worker = worker_on().start(wait_ready=240)
    assert_replicated(cluster, topics_env)

    first = short_articles(160, "before")
    produce(cluster.bootstrap, raw, first)
    wait_for_enriched(cluster.bootstrap, enriched, 30)

    # kill -9 the node leading the most raw and enriched partitions, mid-stream
    victim, led = cluster.busiest_leader([raw, enriched])
    assert led >= 3, cluster.partitions([raw, enriched])  # 8 partitions on 3 nodes: one leads 3 or more
    cluster.kill(victim)
    done_at_kill = enriched_count(cluster.bootstrap, enriched)
    assert done_at_kill < len(first), "killed too late to test anything"
    # input keeps coming while the node is down (acks=all: on the two brokers left), and the worker
    # keeps publishing: the partitions it led have new leaders
    during = short_articles(80, "down")
    produce(cluster.bootstrap, raw, during)
    wait_for(lambda: all(s["leader"] not in (victim, -1) for s in cluster.partitions([raw, enriched]).values()),
             60, f"new leaders for the partitions node {victim} led", log=cluster.status)
    wait_for_enriched(cluster.bootstrap, enriched, done_at_kill + 40, timeout=300)
    assert worker.process.poll() is None, worker.log_tail()

    cluster.start_node(victim)
    cluster.wait_in_sync()

    # rolling restart: each node in turn, back in the ISR of every partition before the next. Each
    # node is stopped while the worker is busy with a batch, and another batch comes in (and is
    # consumed and published) while it is down.
    sent = first + during
    pending_at_stop = []
    for node in range(1, cluster.nodes + 1):
        before, while_down = short_articles(30, f"roll{node}"), short_articles(20, f"down{node}")
        produce(cluster.bootstrap, raw, before)
        pending_at_stop.append(len(sent) + len(before) - enriched_count(cluster.bootstrap, enriched))
        cluster.stop_node(node)
        produce(cluster.bootstrap, raw, while_down)
        sent += before + while_down
        cluster.start_node(node)
        cluster.wait_in_sync()
        assert worker.process.poll() is None, worker.log_tail()

    counts = account_for(cluster.bootstrap, topics_env, keys(sent), log=worker.log_tail)
    print(f"killed node {victim} (leading {led} raw/enriched partitions) with {len(first) - done_at_kill} "
          f"articles to go; articles pending at each rolling stop: {pending_at_stop}; {counts}")
    assert counts.unique == len(sent)
    assert counts.dead_letters == 0
    assert worker.process.poll() is None, "the worker must ride out every broker failure by itself"
    assert worker.get("/ready")[0] == 200
    offsets = cluster.partitions(["__consumer_offsets"]).values()
    assert {len(s["replicas"]) for s in offsets} == {3}, "the group's offsets are replicated too"
