"""``wirestream dlq list`` and ``dlq replay``: look at the dead letters, and send them back once the cause is fixed.

Replay republishes each dead letter's original bytes to the raw topic, keyed as they came, with a
``wirestream-replayed-from`` header naming the dead letter (TOPIC/PARTITION/OFFSET). Replaying twice
publishes nothing new downstream for a message that was enriched the first time: the copy is the
same key and the same bytes, so it lands on the same raw partition (the key decides it) and the
worker's seen-articles table finds the same id and content hash there: a duplicate, not parsed or
published again. Unkeyed messages have no such guarantee (any partition, parsed again).
"""

import asyncio
import base64
from dataclasses import dataclass, field
from typing import IO, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import MessageSizeTooLargeError
from pydantic import ValidationError
from tqdm import tqdm

from schemas import DeadLetter
from schemas.topics import REPLAYED_FROM_HEADER
from streams.kafka_client import DLQ_TOPIC_MAX_BYTES, RAW_TOPIC_MAX_BYTES, aiokafka_options
from streams.settings import Settings


@dataclass(frozen=True)
class Entry:
    """One record of the dead-letter topic: where it is, and the dead letter (None if unreadable)."""

    topic: str
    partition: int
    offset: int
    letter: DeadLetter | None

    @property
    def name(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


@dataclass(frozen=True)
class Selection:
    reason: str | None = None
    from_offset: int | None = None  # source offsets (in the raw topic), inclusive
    to_offset: int | None = None

    def matches(self, entry: Entry) -> bool:
        letter = entry.letter
        if letter is None:
            return self.reason is None and self.from_offset is None and self.to_offset is None
        offset = letter.source_offset
        return ((self.reason is None or letter.reason.value == self.reason)
                and (self.from_offset is None or (offset is not None and offset >= self.from_offset))
                and (self.to_offset is None or (offset is not None and offset <= self.to_offset)))


@dataclass
class ReplayReport:
    replayed: int = 0
    skipped: list[tuple[Entry, str]] = field(default_factory=list)  # (entry, why)


async def read_dead_letters(settings: Settings) -> list[Entry]:
    """Every record of the dead-letter topic up to its end now, outside any consumer group."""
    topic = settings.topic_dlq
    consumer = AIOKafkaConsumer(**aiokafka_options(settings), group_id=None, enable_auto_commit=False,
                                fetch_max_bytes=DLQ_TOPIC_MAX_BYTES, max_partition_fetch_bytes=DLQ_TOPIC_MAX_BYTES)
    try:
        await consumer.start()
        await consumer._client.force_metadata_update()  # a topic created moments ago may not be cached yet
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise SystemExit(f"wirestream: topic {topic!r} does not exist")
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        entries: list[Entry] = []
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                entries += [Entry(r.topic, r.partition, r.offset, _letter(r.value)) for r in records]
        return sorted(entries, key=lambda e: (e.partition, e.offset))
    finally:
        await consumer.stop()


def _letter(value: bytes | None) -> DeadLetter | None:
    # The topic is ours, but anyone allowed to write to it could put anything there.
    try:
        return DeadLetter.model_validate_json(value or b"")
    except ValidationError:
        return None


def select(entries: Iterable[Entry], selection: Selection, limit: int | None = None) -> list[Entry]:
    chosen = [e for e in entries if selection.matches(e)]
    return chosen if limit is None else chosen[:limit]


def print_table(entries: list[Entry], out: IO[str], width: int = 100) -> None:
    """The dead letters as a table: reason, source partition and offset, size, message."""
    print(f"{'REASON':16} {'PARTITION':>9} {'SOURCE OFFSET':>13} {'SIZE':>9}  MESSAGE", file=out)
    for entry in entries:
        letter = entry.letter
        if letter is None:
            print(f"{'(unreadable)':16} {'':>9} {'':>13} {'':>9}  not a dead letter: {entry.name}", file=out)
            continue
        message = letter.message if len(letter.message) <= width else letter.message[: width - 3] + "..."
        print(f"{letter.reason.value:16} {_blank(letter.source_partition):>9} {_blank(letter.source_offset):>13} "
              f"{letter.original_size:>9}  {message}", file=out)


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


async def replay(settings: Settings, entries: list[Entry], progress: bool | None = None) -> ReplayReport:
    """Publish each dead letter's original bytes and key to the raw topic, waiting for Kafka's acks.

    ``progress``: a bar on stderr; None shows it only on a terminal.
    """
    report = ReplayReport()
    producer = AIOKafkaProducer(**aiokafka_options(settings), max_request_size=RAW_TOPIC_MAX_BYTES,
                                acks="all", enable_idempotence=True)
    try:
        await producer.start()
        pending = []
        for entry in tqdm(entries, unit="letter", desc="replaying", disable=None if progress is None else not progress):
            if entry.letter is None:
                report.skipped.append((entry, "not a dead letter"))
                continue
            try:
                pending.append(await producer.send(settings.topic_raw, entry.letter.original, key=_key(entry.letter),
                                                   headers=[(REPLAYED_FROM_HEADER, entry.name.encode())]))
            except MessageSizeTooLargeError:
                report.skipped.append((entry, f"{entry.letter.original_size} bytes: larger than the producer allows"))
        await asyncio.gather(*pending)
        report.replayed = len(pending)
    finally:
        await producer.stop()
    return report


def _key(letter: DeadLetter) -> bytes | None:
    return base64.b64decode(letter.original_key_base64) if letter.original_key_base64 is not None else None
