"""``wirestream consume``: read a topic without joining a consumer group (it never moves offsets)."""

import asyncio
from typing import AsyncIterator

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from streams.kafka_client import ENRICHED_TOPIC_MAX_BYTES, aiokafka_options
from streams.settings import Settings


async def consume(settings: Settings, topic: str, from_beginning: bool = False,
                  idle_timeout: float | None = None) -> AsyncIterator[ConsumerRecord]:
    consumer = AIOKafkaConsumer(**aiokafka_options(settings), group_id=None, enable_auto_commit=False,
                                fetch_max_bytes=ENRICHED_TOPIC_MAX_BYTES,
                                max_partition_fetch_bytes=ENRICHED_TOPIC_MAX_BYTES)
    try:
        await consumer.start()
    except BaseException:
        # A consumer that failed to start still holds its client; unclosed, it ends in an
        # "Unclosed AIOKafkaConsumer" warning after the error message.
        await consumer.stop()
        raise
    try:
        partitions = consumer.partitions_for_topic(topic)
        if partitions is None:
            await consumer._client.force_metadata_update()  # a just-created topic may not be in the cache yet
            partitions = consumer.partitions_for_topic(topic) or set()
        if not partitions:
            raise SystemExit(f"topic {topic!r} does not exist")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        while True:
            try:
                record = await asyncio.wait_for(consumer.getone(), idle_timeout) if idle_timeout else await consumer.getone()
            except asyncio.TimeoutError:
                return
            yield record
    finally:
        await consumer.stop()
