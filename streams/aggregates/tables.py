"""The aggregates in the worker: faust tables (RocksDB, changelog topics), two agents, a timer.

    articles.enriched --(aggregate-articles)--> <app>-agg-facts, partitioned by identity group
    <app>-agg-facts   --(aggregate-facts)-----> tables agg-days, agg-profiles
    articles.enriched --(aggregate-articles)--> table agg-articles (the article view)

Both agents take raw bytes and decode them (``streams.aggregates.stages``): a bad record is
counted and skipped, never a dead agent. Concurrency stays 1. Both input topics are subscribed
with ``acks=False`` and committed by a ``Committer`` per topic (streams.worker.commits), by the same
rule as the raw topic (docs/reliability.md, "The commit rule"): faust skips records when a
consumer generation starts and its own commit passes over that hole. A batch's offsets are
finished only once its effects are durable: stage 1's facts acknowledged by Kafka, stage 2's
table writes done (the committer flushes the producer, so their changelog records are in Kafka
before the offsets are committed). Tables are written only inside the agents, so each write goes to
the changelog partition of the record being processed: each fact goes to the facts partition its
group key hashes to, hence a group's values all live in one partition, and ``app.router`` finds
their owner from the group key. Every value recognises a re-delivered fact itself
(``streams.aggregates.state``), so at-least-once delivery, at both stages, ends in exact counts.

Windows are plain tables keyed by (group, UTC day), not faust's windowed tables: the day value
holds each article's hour, so one value serves the 1h and 1d windows and the trending baseline,
and state across rebalances is the plain-table recovery faust is known to do well.
"""

import json
from functools import lru_cache
import time
from dataclasses import dataclass, field
from typing import Iterable

import faust
from aiokafka.partitioner import DefaultPartitioner
from faust.types import TP

from streams import kafka_client, metrics
from streams.aggregates import stages
from streams.worker.app import Wirestream
from streams.worker.commits import Committer, commit_before_stop

SEP = "\x1f"  # between group and day in a day key: no name contains a unit separator
SIZE_INTERVAL_S = 15.0
SWEEP_INTERVAL_S = 3600.0
ARTICLE_BATCH, FACT_BATCH = 32, 256  # records per batch at most (streams.aggregates.stages says why)
BATCH_WITHIN_S = 2.0  # longest wait to fill a batch: how much later than the enrichment the counts move
COMMIT_INTERVAL_S = 5.0  # the timer's commits: a commit refused during a rebalance is retried there
_PARTITIONER = DefaultPartitioner()


@dataclass
class Aggregates:
    """The tables of one worker, and what the API reads from them (through ``TableReader``)."""

    ws: Wirestream
    facts_topic: faust.TopicT
    days: faust.Table
    profiles: faust.Table
    articles: faust.Table
    positions: dict[tuple[str, int], int] = field(default_factory=dict)  # (topic, partition) -> next offset
    enriched_in: faust.TopicT | None = None  # the enriched topic as stage 1 subscribes to it (acks=False)
    article_commits: Committer | None = None  # commits of the enriched topic by stage 1
    fact_commits: Committer | None = None  # commits of the facts topic by stage 2

    def committers(self) -> list[Committer]:
        return [c for c in (self.article_commits, self.fact_commits) if c is not None]

    @property
    def partitions(self) -> list[int]:
        return list(range(self.ws.settings.topic_partitions))

    def partition_of(self, group_key: bytes) -> int:
        """The facts partition of a group: Kafka's default partitioner (murmur2) over the topic's
        partitions, as faust's table routing computes it for the changelog (same partition count)."""
        return _partition(group_key, self.ws.settings.topic_partitions)

    def day_key(self, group: str, day: int) -> bytes:
        return day_key(group, day)

    def advance(self, message) -> None:
        """The next offset to apply, per input partition (for the lag gauge)."""
        tp = (message.topic, message.partition)
        self.positions[tp] = max(self.positions.get(tp, 0), message.offset + 1)

    # --- Reader ---------------------------------------------------------------------------------
    def groups_on(self, day: int) -> Iterable[str]:
        suffix = f"{SEP}{day}".encode()
        # keys() covers the partitions this worker owns (not its standby copies)
        return [k[: -len(suffix)].decode() for k in self.days.keys() if k.endswith(suffix)]

    def day(self, group: str, day: int) -> dict | None:
        return self.load(self.days, day_key(group, day))

    def aliases_of(self, group: str) -> dict:
        """The group's alias table: the forms seen, kept in its profile."""
        return (self.load(self.profiles, group.encode()) or {}).get("forms", {})

    def profile(self, group: str) -> dict | None:
        return self.load(self.profiles, group.encode())

    # Values are kept as JSON text, encoded here once: the table's codec then writes one string
    # (to the store and again to the changelog) instead of encoding the structure twice itself.
    @staticmethod
    def load(table, key: bytes) -> dict | None:
        text = table.get(key)
        return json.loads(text) if text is not None else None

    @staticmethod
    def store(table, key: bytes, value: dict) -> None:
        table[key] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    def article(self, article_id: str) -> dict | None:
        kept = self.articles.get(str(article_id).encode())  # the enriched record's JSON text
        return json.loads(kept) if kept is not None else None

    @property
    def settings(self):
        return self.ws.settings


class TableReader:
    """The Reader protocol over Aggregates (its alias lookup is named apart from the table)."""

    def __init__(self, aggregates: Aggregates):
        self.a = aggregates

    def groups_on(self, day: int) -> Iterable[str]:
        return self.a.groups_on(day)

    def day(self, group: str, day: int) -> dict | None:
        return self.a.day(group, day)

    def aliases(self, group: str) -> dict:
        return self.a.aliases_of(group)

    def profile(self, group: str) -> dict | None:
        return self.a.profile(group)


@lru_cache(maxsize=1 << 16)  # aiokafka's murmur2 is pure Python, and the same groups come again and again
def _partition(group_key: bytes, partitions: int) -> int:
    every = list(range(partitions))
    return _PARTITIONER(group_key, every, every)


def day_key(group: str, day: int) -> bytes:
    return f"{group}{SEP}{day}".encode()


def register(ws: Wirestream) -> Aggregates | None:
    """Attach the aggregate tables, agents and timers to ``ws.app``; None when they are off."""
    settings = ws.settings
    if not settings.aggregates_enabled:
        return None
    app = ws.app
    partitions = settings.topic_partitions
    # faust derives the codecs from the types: bytes keys raw, untyped values JSON (never pickle)
    durability = kafka_client.durability_configs(settings)  # like every topic of the worker
    table = dict(default=None, partitions=partitions, key_type=bytes, extra_topic_configs=durability)
    raw_bytes = dict(key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw", acks=False)
    facts_topic = app.topic(f"{settings.app_id}-agg-facts", partitions=partitions, internal=True, config=durability,
                            **raw_bytes)
    aggregates = Aggregates(
        ws=ws,
        facts_topic=facts_topic,
        days=app.Table("agg-days", **table),
        profiles=app.Table("agg-profiles", **table),
        articles=app.Table("agg-articles", **table),
        # A Topic object of its own: ws.topics.enriched is the enrich agent's to send with. faust keys
        # subscriptions and acks by topic name, and this is the only subscription of the name.
        enriched_in=app.topic(settings.topic_enriched, **raw_bytes),
        article_commits=Committer(app, settings.topic_enriched, ws.offsets),
        fact_commits=Committer(app, facts_topic.get_topic_name(), ws.offsets),
    )
    _agents(ws, aggregates)
    _commits(ws, aggregates)
    metrics.initialise_aggregates([settings.topic_enriched, aggregates.facts_topic.get_topic_name()],
                                  [t.name for t in tables_of(aggregates)])
    return aggregates


def tables_of(a: Aggregates) -> list[faust.Table]:
    return [a.days, a.profiles, a.articles]


def _agents(ws: Wirestream, a: Aggregates) -> None:
    app = ws.app

    @app.agent(a.enriched_in, name="aggregate-articles", concurrency=1)
    async def aggregate_articles(stream: faust.StreamT) -> None:
        async for events in stream.take_events(ARTICLE_BATCH, within=BATCH_WITHIN_S):
            tickets = a.article_commits.take(events)
            await stages.on_articles(a, events)  # returns once Kafka has acknowledged the batch's facts
            a.article_commits.finish(tickets)
            await a.article_commits.commit()

    @app.agent(a.facts_topic, name="aggregate-facts", concurrency=1)
    async def aggregate_facts(stream: faust.StreamT) -> None:
        async for events in stream.take_events(FACT_BATCH, within=BATCH_WITHIN_S):
            tickets = a.fact_commits.take(events)
            stages.on_fact_records(a, events)  # synchronous: every table write of the batch is done
            a.fact_commits.finish(tickets)
            await a.fact_commits.commit()  # flushes the changelog writes to Kafka, then commits

    @app.timer(interval=SIZE_INTERVAL_S, name="aggregate-gauges")
    async def aggregate_gauges() -> None:
        await update_gauges(a)

    @app.timer(interval=SWEEP_INTERVAL_S, name="aggregate-retention")
    async def aggregate_retention() -> None:
        await send_ticks(a)


def _commits(ws: Wirestream, a: Aggregates) -> None:
    """The timer, revocation and stop around the agents' own commits after each batch."""
    app = ws.app

    @app.timer(interval=COMMIT_INTERVAL_S, name="aggregate-commits")
    async def aggregate_commits() -> None:
        await commit_all(a)

    @app.on_partitions_revoked.connect
    async def forget_revoked(app: faust.App, revoked: set[TP], **kwargs: object) -> None:
        for committer in a.committers():
            committer.forget(revoked)  # each keeps its own topic's partitions only

    @app.on_before_shutdown.connect
    async def commit_on_stop(app: faust.App, **kwargs: object) -> None:
        await commit_before_stop(lambda: commit_all(a), "the aggregates")  # so what finished is not done again
        # The enrich agent's stop closes the offset reader too; faust gives no order between the two
        # receivers, so whichever runs second may have reopened it.
        await ws.offsets.close()


async def commit_all(a: Aggregates) -> None:
    for committer in a.committers():
        await committer.commit()


async def send_ticks(a: Aggregates) -> None:
    """A tick into each facts partition this worker owns: the agent then drops that partition's
    expired days, also of groups that got no fact lately. Deletes must come from inside the agent,
    with a record of the partition the keys live in, so the tick travels through the topic."""
    topic = a.facts_topic.get_topic_name()
    for tp in a.ws.app.consumer.assignment():
        if tp.topic == topic:
            await a.facts_topic.send(key=None, value=json.dumps({stages.TICK: time.time()}).encode(),
                                     partition=tp.partition)


async def update_gauges(a: Aggregates) -> None:
    """Table sizes (keys in the partitions this worker owns) and the lag of the two input topics."""
    for t in tables_of(a):
        metrics.AGGREGATE_TABLE_KEYS.labels(t.name).set(len(t))
    consumer = a.ws.app.consumer
    topics = {a.ws.settings.topic_enriched, a.facts_topic.get_topic_name()}
    assigned = [tp for tp in consumer.assignment() if tp.topic in topics]
    try:
        ends = await consumer.highwaters(*assigned) if assigned else {}
    except Exception as exc:  # noqa: BLE001 - the broker may be away; report next time
        metrics.ERRORS.labels("aggregate_lag", type(exc).__name__).inc()
        return
    lag = {topic: 0 for topic in topics}
    for tp in assigned:
        committed = consumer._committed_offset.get(tp) or 0  # faust keeps no public accessor
        position = max(a.positions.get((tp.topic, tp.partition), 0), committed)
        lag[tp.topic] += max(0, ends.get(tp, 0) - position)
    for topic, n in lag.items():
        metrics.AGGREGATE_INPUT_LAG.labels(topic).set(n)
