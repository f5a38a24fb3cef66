"""Faults on the real broker, on a busy machine: nothing is lost.

Every test here runs with one CPU-bound process per core beside the worker (as on a shared CI
machine, where the kill -9 test once lost a batch), publishes a known set of ids, causes its
fault while the worker is busy, and then accounts for every id: enriched or dead-lettered,
duplicates byte-identical (tests/support/delivery.py, which fails within minutes of a loss).
Kill moments are drawn at random; the seed is printed, and WIRESTREAM_TEST_SEED repeats a run.
"""

import json
import os
import random
import signal
import subprocess
import time

import pytest

from tests.integration.test_pipeline import good_articles
from tests.support.delivery import (account_for, cpu_hogs, kill_moments, nlp_processes, run_seed,
                                    wait_for_enriched)
from tests.support.kafka_io import produce
from tests.support.polling import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

# A killed worker holds its partitions until its session expires: keep that short here.
WORKER = {"WIRESTREAM_BATCH_SIZE": "16", "WIRESTREAM_KAFKA_SESSION_TIMEOUT_S": "12"}
# With no broker, a SIGTERM'd worker waits out each bounded step of its stop: batches in flight
# (WIRESTREAM_STOP_GRACE_S, 30 s), the last commit and the last flush (15 s each), faust's consumer
# thread (60 s, mode's own limit), the producer's buffer (30 s) and its close (15 s): about three
# minutes, and more on a busy machine. Before the bounds it never ended.
STOP_BOUND_S = 300


@pytest.fixture(autouse=True)
def busy_machine():
    with cpu_hogs():
        yield


@pytest.fixture
def seed() -> int:
    value = run_seed()
    print(f"WIRESTREAM_TEST_SEED={value}")  # shown with the failure, to repeat the run
    return value


def articles(n: int, tag: str) -> list[tuple[bytes, bytes]]:
    """n distinct articles: the shared corpus under new ids."""
    base = good_articles()
    out = []
    for i in range(n):
        article = {**json.loads(base[i % len(base)][1]), "id": f"{tag}-{i:04d}"}
        out.append((article["id"].encode(), json.dumps(article).encode()))
    return out


def streaming(broker, make_worker, topics_env, seed, n: int, tag: str, upto: int):
    """A worker amid n new articles: some of them (a seeded number up to ``upto``) enriched."""
    batch = articles(n, tag)
    worker = make_worker(**WORKER).start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    wait_for_enriched(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], random.Random(seed).randint(8, upto))
    return batch, worker


def ids(batch: list[tuple[bytes, bytes]]) -> set[str]:
    return {key.decode() for key, _ in batch}


def metric(worker, name: str) -> float:
    status, body = worker.get("/metrics")
    assert status == 200
    for line in body.decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not exported")


def log_count(worker, text: str) -> int:
    return worker.log_path.read_text(errors="replace").count(text)


def test_kill_9_repeatedly_at_random_moments(broker, make_worker, topics_env, seed):
    batch = articles(240, "kill")
    enriched = topics_env["WIRESTREAM_TOPIC_ENRICHED"]
    worker = make_worker(**WORKER).start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    for moment in kill_moments(seed, 3, 8, 200):
        wait_for_enriched(broker.bootstrap, enriched, moment)
        worker.kill()  # SIGKILL to the worker and its NLP processes, mid-stream
        worker = make_worker(**WORKER).start()
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=worker.log_tail)
    assert counts.dead_letters == 0


def test_kill_9_of_one_nlp_process_the_worker_carries_on(broker, make_worker, topics_env, seed):
    batch = articles(120, "nlp")
    worker = make_worker(**WORKER, WIRESTREAM_POOL_PROCESSES="2").start()
    before = nlp_processes(worker.process.pid)
    assert len(before) == 2
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    wait_for_enriched(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], random.Random(seed).randint(5, 60))
    os.kill(before[0], signal.SIGKILL)
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=worker.log_tail)
    assert worker.process.poll() is None, "the worker itself must survive an NLP process's death"
    after = nlp_processes(worker.process.pid)
    assert len(after) == 2 and before[0] not in after, f"the pool was not renewed: {before} -> {after}"
    assert counts.dead_letters == 0  # the dead process's chunk was redone, not given up


def test_kill_9_during_a_rebalance(broker, make_worker, topics_env, seed):
    batch = articles(200, "rebalance")
    first = make_worker(**WORKER).start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    wait_for_enriched(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], random.Random(seed).randint(8, 60))
    revocations = log_count(first, "Revoking previously assigned partitions")
    second = make_worker(**WORKER).start(wait_ready=0)  # joining: the group rebalances
    wait_for(lambda: log_count(first, "Revoking previously assigned partitions") > revocations, 120,
             "the first worker to take part in the rebalance", log=first.log_tail)
    first.kill()  # in the middle of it
    second.wait_ready(240)
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=second.log_tail)
    assert counts.dead_letters == 0


def test_kill_9_right_after_a_broker_restart(broker, make_worker, topics_env, seed):
    batch, worker = streaming(broker, make_worker, topics_env, seed, 160, "after-broker", 60)
    broker.stop()
    time.sleep(2)
    broker.start()
    worker.kill()  # while the worker is reconnecting and retrying what it had in flight
    worker = make_worker(**WORKER).start()
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=worker.log_tail)
    assert counts.dead_letters == 0


def test_broker_restart_while_the_worker_runs(broker, make_worker, topics_env, seed):
    batch, worker = streaming(broker, make_worker, topics_env, seed, 120, "broker", 60)
    broker.stop()
    time.sleep(3)
    broker.start()
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=worker.log_tail)
    assert worker.process.poll() is None, "the worker must ride out a broker restart"
    assert counts.dead_letters == 0


def test_a_second_worker_joins_and_leaves_mid_stream(broker, make_worker, topics_env, seed):
    batch = articles(200, "join")
    env = {**WORKER, "WIRESTREAM_BATCH_SIZE": "8", "WIRESTREAM_POOL_PROCESSES": "1"}
    first = make_worker(**env).start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    rng = random.Random(seed)
    wait_for_enriched(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], rng.randint(8, 50))
    second = make_worker(**env).start()  # join: rebalance
    wait_for_enriched(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], rng.randint(60, 120))
    second.stop()  # leave: rebalance again
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=first.log_tail)
    assert first.process.poll() is None
    assert counts.dead_letters == 0


def test_a_fresh_data_folder_restores_the_seen_table_from_its_changelog(broker, make_worker, topics_env):
    batch = articles(40, "seen")
    first = make_worker(**WORKER).start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)
    account_for(broker.bootstrap, topics_env, ids(batch), log=first.log_tail)
    first.stop()
    # A new worker on another machine: its RocksDB is empty, only the changelog topic remembers.
    second = make_worker(**WORKER).start()
    assert second.env["WIRESTREAM_DATA_DIR"] != first.env["WIRESTREAM_DATA_DIR"]
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], batch)  # the same articles again
    account_for(broker.bootstrap, topics_env, ids(batch), log=second.log_tail)
    wait_for(lambda: metric(second, 'wirestream_messages_processed_total{outcome="duplicate"}') == len(batch),
             60, "every re-published article recognised as a duplicate", log=second.log_tail)
    assert metric(second, "wirestream_articles_parsed_total") == 0, "an article was parsed again"


def test_sigterm_while_the_broker_is_down_stops_the_worker_in_bounded_time(broker, make_worker, topics_env, seed):
    # With no broker to take them, the outputs of what was in flight can never be sent; the
    # worker must still end on SIGTERM (as a process manager expects) and lose nothing: their
    # articles were never committed, so the next worker does them again.
    batch, worker = streaming(broker, make_worker, topics_env, seed, 160, "stop-down", 40)
    broker.stop()
    started = time.monotonic()
    worker.process.send_signal(signal.SIGTERM)
    try:
        worker.process.wait(STOP_BOUND_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"worker still running {STOP_BOUND_S} s after SIGTERM:\n{worker.log_tail()}")
    finally:
        broker.start()
    print(f"stopped in {time.monotonic() - started:.1f} s, exit status {worker.process.returncode}")
    worker = make_worker(**WORKER).start()
    counts = account_for(broker.bootstrap, topics_env, ids(batch), log=worker.log_tail)
    assert counts.dead_letters == 0
