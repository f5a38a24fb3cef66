"""Shared fixtures. Integration tests (marker ``kafka``) run against a genuine Kafka broker that this
test session starts from deploy/kafka on free loopback ports, and stops at the end."""

import itertools
import os

import pytest

from tests.support.broker import Broker, start_broker
from tests.support.worker import Worker

_names = itertools.count(1)


@pytest.fixture(scope="session")
def broker(tmp_path_factory) -> Broker:
    broker = start_broker(tmp_path_factory.mktemp("kafka"))
    yield broker
    broker.stop()


@pytest.fixture
def topics_env() -> dict[str, str]:
    """Fresh topic names and consumer group per test, so tests on one broker never see each other's data."""
    n = next(_names)
    prefix = f"t{os.getpid()}-{n}"
    return {
        "WIRESTREAM_APP_ID": f"{prefix}-app",
        "WIRESTREAM_TOPIC_RAW": f"{prefix}.raw",
        "WIRESTREAM_TOPIC_ENRICHED": f"{prefix}.enriched",
        "WIRESTREAM_TOPIC_DLQ": f"{prefix}.dlq",
        "WIRESTREAM_TOPIC_ENTITIES": f"{prefix}.entities",
        "WIRESTREAM_TOPIC_STATEMENTS": f"{prefix}.statements",
    }


@pytest.fixture
def make_worker(broker, topics_env, tmp_path):
    """Factory of worker subprocesses sharing this test's topics; all are stopped at teardown."""
    workers: list[Worker] = []

    def make(name: str = "worker", **env: str) -> Worker:
        worker = Worker(broker, {**topics_env, **env}, tmp_path, name=f"{name}{len(workers)}")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
