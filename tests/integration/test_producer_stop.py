"""A clean stop sends what faust's producer buffer still holds (streams/worker/transport.py).

Table writes reach their changelog through faust's producer buffer (``send_soon``), drained by a
background task. faust closes the aiokafka producer before it stops that buffer, so messages still
queued when a worker stops failed with NotReady, the buffer crashed and the worker exited 1 on a
SIGTERM (seen in a fresh clone under two CPU hogs: the aggregates' last changelog writes). Here
the buffer is filled faster than its task drains it and the producer is stopped at once, on the
real broker: every message must arrive and nothing may crash.
"""

import asyncio

import pytest

from tests.support.kafka_io import read_topic
from tests.support.producers import create_topics, durable_app

pytestmark = pytest.mark.kafka

MESSAGES = 2000


async def _fill_and_stop(bootstrap: str, app_id: str, topic: str) -> tuple[bool, int]:
    app = durable_app(bootstrap, app_id)
    await create_topics(bootstrap, topic)
    producer = app.producer
    await producer.start()
    channel = app.topic(topic, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")
    for i in range(MESSAGES):  # as a table writes its changelog: queued, not awaited
        channel.send_soon(key=b"k%d" % i, value=b"v%d" % i)
    queued = producer.buffer.size
    await producer.stop()
    return producer.buffer._crashed.is_set(), queued


def test_a_stopping_producer_sends_its_buffer_first(broker, topics_env):
    topic = topics_env["WIRESTREAM_TOPIC_RAW"]
    crashed, queued = asyncio.run(_fill_and_stop(broker.bootstrap, topics_env["WIRESTREAM_APP_ID"], topic))
    assert queued > MESSAGES // 2, "the buffer was drained before the stop: nothing tested"
    assert not crashed, "the producer buffer crashed while stopping"
    records = read_topic(broker.bootstrap, topic, until=lambda rs: len(rs) >= MESSAGES, timeout=60, idle=1)
    assert sorted(r.value for r in records) == sorted(b"v%d" % i for i in range(MESSAGES))
