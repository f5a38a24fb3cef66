"""The producer keeps every topic it writes to in its metadata (streams/worker/transport.py).

aiokafka, once its client tracks any topic, asks the brokers about the tracked topics only; a
topic it knew from the first answer about all topics, but never tracked, then drops out of its
metadata, and a batch waiting for that topic's new leader (a broker killed) waits forever: the
worker stalled that way on three brokers under CPU contention (test_cluster.py). Here, on the
real broker: a topic that existed before the producer started is written to, then a topic made
after it, which aiokafka does track; the first must still be in the producer's metadata.
"""

import asyncio

import pytest

from tests.support.producers import create_topics, durable_app

pytestmark = pytest.mark.kafka


async def _write_old_then_new(bootstrap: str, app_id: str, old: str, new: str) -> bool:
    await create_topics(bootstrap, old)
    producer = durable_app(bootstrap, app_id).producer
    await producer.start()
    try:
        await (await producer.send(old, b"k", b"v", None, None, None))
        await create_topics(bootstrap, new)
        await (await producer.send(new, b"k", b"v", None, None, None))
        client = producer._ensure_producer().client
        await client.force_metadata_update()
        return client.cluster.partitions_for_topic(old) is not None
    finally:
        await producer.stop()


def test_a_topic_written_to_stays_in_the_producers_metadata(broker, topics_env):
    old, new = topics_env["WIRESTREAM_TOPIC_RAW"], topics_env["WIRESTREAM_TOPIC_ENRICHED"]
    kept = asyncio.run(_write_old_then_new(broker.bootstrap, topics_env["WIRESTREAM_APP_ID"], old, new))
    assert kept, "a topic the producer wrote to dropped out of its metadata"
