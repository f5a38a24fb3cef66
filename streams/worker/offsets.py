"""What the broker says about a consumed topic's offsets, asked outside faust's own consumer.

The group's committed offsets (what ``kafka-consumer-groups.sh`` shows), and the offset of the
first record at or after a given offset: the committer's way to tell a gap in the log
(transaction markers, compacted records) from records a consumer was never given.
Two small aiokafka clients with the worker's connection settings, opened on first use.
"""

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from streams import kafka_client
from streams.settings import Settings


class OffsetReader:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._admin: AIOKafkaAdminClient | None = None
        self._probe: AIOKafkaConsumer | None = None
        self._probe_lock = asyncio.Lock()  # the probe reads one partition at a time

    async def committed(self, topic: str, partitions: list[int]) -> dict[int, int]:
        """The group's committed offset of each partition of ``topic`` that has one."""
        if self._admin is None:
            self._admin = await _started(AIOKafkaAdminClient(**kafka_client.aiokafka_options(self.settings)))
        found = await self._admin.list_consumer_group_offsets(
            self.settings.app_id, partitions=[TopicPartition(topic, p) for p in partitions])
        return {tp.partition: meta.offset for tp, meta in found.items() if meta.offset >= 0}

    async def first_record(self, topic: str, partition: int, offset: int, timeout_s: float = 10) -> int | None:
        """Offset of the first record at or after ``offset`` (None: none came within the timeout)."""
        async with self._probe_lock:
            probe = await self._probe_consumer()
            tp = TopicPartition(topic, partition)
            probe.assign([tp])
            probe.seek(tp, offset)
            batch = await probe.getmany(tp, timeout_ms=int(timeout_s * 1000), max_records=1)
            records = batch.get(tp) or []
            return records[0].offset if records else None

    async def records(self, topic: str, partition: int, start: int, end: int, limit: int = 500,
                      timeout_s: float = 10):
        """The records of [start, end), at most ``limit``, and the offset up to which the stretch
        was read (``end`` when all of it was; less when the limit or the timeout came first)."""
        async with self._probe_lock:
            probe = await self._probe_consumer()
            tp = TopicPartition(topic, partition)
            probe.assign([tp])
            probe.seek(tp, start)
            found, deadline = [], asyncio.get_running_loop().time() + timeout_s
            while len(found) < limit:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                batch = await probe.getmany(tp, timeout_ms=int(left * 1000), max_records=limit - len(found))
                found += [r for r in batch.get(tp, []) if r.offset < end]
                if await probe.position(tp) >= end:
                    return found, end
            through = found[-1].offset + 1 if found else start
            return found, through

    async def _probe_consumer(self) -> AIOKafkaConsumer:
        if self._probe is None:
            # No group, no commits; "earliest" when the offset has gone with retention.
            self._probe = await _started(AIOKafkaConsumer(
                **kafka_client.aiokafka_options(self.settings), group_id=None, enable_auto_commit=False,
                auto_offset_reset="earliest", max_partition_fetch_bytes=kafka_client.RAW_TOPIC_MAX_BYTES,
                fetch_max_bytes=kafka_client.RAW_TOPIC_MAX_BYTES))
        return self._probe

    async def close(self) -> None:
        for client in (self._admin, self._probe):
            if client is not None:
                await _close(client)
        self._admin = self._probe = None


async def _started(client):
    """A started client, or the start's error with the client closed.

    Never keep a client whose start failed: it has no cluster metadata and never gets any (aiokafka
    bootstraps only in ``start``), so every later request goes to "node None" and fails, and the
    committer, which asks before each commit, would never commit again once the broker is back.
    """
    try:
        await client.start()
    except BaseException:
        await _close(client)
        raise
    return client


async def _close(client) -> None:
    """The admin client closes, the consumer stops: aiokafka names the same step two ways."""
    await (client.close() if isinstance(client, AIOKafkaAdminClient) else client.stop())
