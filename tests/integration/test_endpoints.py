"""/health and /ready of real workers on the real broker.

"Not ready before partitions are assigned" is made deterministic with a raw topic of one partition
and two workers in one consumer group: Kafka gives the partition to one of them, so the other runs,
answers /health, and stays unassigned, hence not ready, for as long as the first one lives. When the
first stops, the partition moves and the second becomes ready.
"""

import json
import time

import pytest

from tests.support.worker import Worker
from tests.support.polling import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def answer(worker: Worker, path: str) -> tuple[int, dict] | None:
    """(status, JSON body), or None while nothing answers on the web port."""
    try:
        status, body = worker.get(path, timeout=5)
    except OSError:
        return None
    return status, json.loads(body)


def ready_status(worker: Worker) -> int | None:
    got = answer(worker, "/ready")
    return got[0] if got else None


def ready_gauge(worker: Worker) -> float:
    """wirestream_ready on /metrics (the value of the last /ready check)."""
    _, body = worker.get("/metrics")
    for line in body.decode().splitlines():
        if line.startswith("wirestream_ready "):
            return float(line.split()[1])
    raise AssertionError("wirestream_ready missing from /metrics")


def test_health_answers_while_the_worker_runs(make_worker):
    worker = make_worker().start()
    for _ in range(3):
        assert answer(worker, "/health") == (200, {"status": "ok"})
    status, body = answer(worker, "/ready")
    assert status == 200, body
    assert body == {"ready": True, "checks": {"model_loaded": True, "partitions_assigned": True,
                                               "tables_recovered": True, "broker_reachable": True}}
    assert ready_gauge(worker) == 1
    worker.stop()
    assert worker.process.returncode is not None
    assert answer(worker, "/health") is None, "nothing may answer for a stopped worker"


def test_ready_only_with_partitions_assigned(make_worker):
    settings = {"WIRESTREAM_TOPIC_PARTITIONS": "1", "WIRESTREAM_POOL_PROCESSES": "1"}
    first = make_worker(**settings).start()  # owns the only raw partition
    second = make_worker(**settings).start(wait_ready=0)
    wait_for(lambda: answer(second, "/health") == (200, {"status": "ok"}), 180,
             f"/health of the second worker:\n{second.log_tail()}")

    # The second worker joins the group; after the rebalance one worker holds the partition and the
    # other none. Kafka may hand the partition to either: wait until the answers settle, 5 polls in a row.
    def settled():
        seen = []
        for _ in range(5):
            seen.append((ready_status(first), ready_status(second)))
            time.sleep(0.5)
        return seen[0] if len(set(seen)) == 1 and sorted(seen[0]) == [200, 503] else None

    statuses = wait_for(settled, 120, f"one ready worker and one not:\n{first.log_tail()}\n{second.log_tail()}")
    owner, idle = (first, second) if statuses == (200, 503) else (second, first)

    status, body = answer(idle, "/ready")
    assert status == 503
    assert body["ready"] is False
    assert body["checks"]["partitions_assigned"] is False, body
    # The worker itself is fine: the model is loaded and the broker answers. (tables_recovered is
    # false too: with no active partition there is nothing it has recovered.)
    assert body["checks"]["model_loaded"] is True and body["checks"]["broker_reachable"] is True, body
    assert answer(idle, "/health") == (200, {"status": "ok"}), "an idle worker is alive"
    assert ready_gauge(idle) == 0 and ready_gauge(owner) == 1

    owner.stop()  # its partition goes to the idle worker
    wait_for(lambda: ready_status(idle) == 200, 120, f"the remaining worker ready:\n{idle.log_tail()}")
    status, body = answer(idle, "/ready")
    assert status == 200 and all(body["checks"].values()), body
    assert answer(idle, "/health") == (200, {"status": "ok"})
    assert ready_gauge(idle) == 1
