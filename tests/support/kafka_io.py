"""Plain aiokafka producer and reader for tests, wrapped in synchronous calls."""

import asyncio
import time
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int
    headers: tuple


def produce(bootstrap: str, topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
    async def run() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=8 << 20, acks="all")
        await producer.start()
        try:
            futures = [await producer.send(topic, value, key=key) for key, value in messages]
            await asyncio.gather(*futures)
        finally:
            await producer.stop()

    asyncio.run(run())


async def open_reader(bootstrap: str) -> AIOKafkaConsumer:
    """A started consumer outside any group, for reading topics from the beginning (stop it after)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                fetch_max_bytes=32 << 20, max_partition_fetch_bytes=32 << 20)
    await consumer.start()
    return consumer


async def partitions_of(consumer: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    await consumer._client.force_metadata_update()  # a topic created moments ago
    return [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]


def read_topic(bootstrap: str, topic: str, until=None, timeout: float = 180, idle: float = 5.0) -> list[Record]:
    """All records of a topic from the beginning.

    Stops when ``until(records)`` is true and no record came for ``idle`` seconds (so late
    duplicates are seen too), or when ``timeout`` runs out.
    """

    async def run() -> list[Record]:
        consumer = await open_reader(bootstrap)
        records: list[Record] = []
        try:
            tps = await partitions_of(consumer, topic)
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            deadline = time.monotonic() + timeout
            last_new = time.monotonic()
            while time.monotonic() < deadline:
                batch = await consumer.getmany(timeout_ms=500)
                for messages in batch.values():
                    for m in messages:
                        records.append(Record(m.topic, m.partition, m.offset, m.key, m.value, m.timestamp,
                                              tuple(m.headers or ())))
                        last_new = time.monotonic()
                done = until(records) if until else True
                if done and time.monotonic() - last_new >= idle:
                    break
        finally:
            await consumer.stop()
        return records

    return asyncio.run(run())
