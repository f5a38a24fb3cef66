"""The aggregates in the worker: faust tables (RocksDB, changelog topics), two agents, a timer.

    articles.enriched --(aggregate-articles)--> <app>-agg-facts, keyed by identity group
    <app>-agg-facts   --(aggregate-facts)-----> tables agg-days, agg-aliases, agg-profiles
    articles.enriched --(aggregate-articles)--> table agg-articles (the article view)

Both agents take raw bytes and decode them here: a bad record is counted and skipped, never a
dead agent. Concurrency stays 1 (faust may commit past in-flight messages of concurrent agents).
Tables are written only inside the agents, so each write goes to the changelog partition of the
record being processed: the facts topic is keyed by group, hence a group's values all live in
one partition, and ``app.router`` finds its owner from the group key. Every value recognises a
re-delivered fact itself (``streams.aggregates.state``), so at-least-once delivery, at both
stages, ends in exact counts.

Windows are plain tables keyed by (group, UTC day), not faust's windowed tables: the day value
holds each article's hour, so one value serves the 1h and 1d windows and the trending baseline,
and state across rebalances is the plain-table recovery faust is known to do well.
"""

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Iterable

import faust
from aiokafka.partitioner import DefaultPartitioner

from streams import kafka_client, metrics
from streams.aggregates import facts as facts_mod
from streams.aggregates import state
from streams.aggregates.windows import day_start
from streams.worker.app import Wirestream

log = logging.getLogger(__name__)

SEP = "\x1f"  # between group and day in a day key: no name contains a unit separator
SIZE_INTERVAL_S = 15.0
SWEEP_INTERVAL_S = 3600.0
_PARTITIONER = DefaultPartitioner()
TICK = "tick"  # a facts record with this field is a retention tick, no fact


@dataclass
class Aggregates:
    """The tables of one worker, and what the API reads from them (through ``TableReader``)."""

    ws: Wirestream
    facts_topic: faust.TopicT
    days: faust.Table
    aliases: faust.Table
    profiles: faust.Table
    articles: faust.Table
    positions: dict[tuple[str, int], int] = field(default_factory=dict)  # (topic, partition) -> next offset

    @property
    def partitions(self) -> list[int]:
        return list(range(self.ws.settings.topic_partitions))

    # --- Reader ---------------------------------------------------------------------------------
    def groups_on(self, day: int) -> Iterable[str]:
        suffix = f"{SEP}{day}".encode()
        # keys() covers the partitions this worker owns (not its standby copies)
        return [k[: -len(suffix)].decode() for k in self.days.keys() if k.endswith(suffix)]

    def day(self, group: str, day: int) -> dict | None:
        return self.days.get(day_key(group, day))

    def aliases_of(self, group: str) -> dict:
        return self.aliases.get(group.encode()) or {}

    def profile(self, group: str) -> dict | None:
        return self.profiles.get(group.encode())

    def article(self, article_id: str) -> dict | None:
        return self.articles.get(article_id.encode())

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
    aggregates = Aggregates(
        ws=ws,
        facts_topic=app.topic(f"{settings.app_id}-agg-facts", key_type=bytes, value_type=bytes,
                              key_serializer="raw", value_serializer="raw", partitions=partitions, internal=True,
                              config=durability),
        days=app.Table("agg-days", **table),
        aliases=app.Table("agg-aliases", **table),
        profiles=app.Table("agg-profiles", **table),
        articles=app.Table("agg-articles", **table),
    )
    _agents(ws, aggregates)
    metrics.initialise_aggregates([settings.topic_enriched, aggregates.facts_topic.get_topic_name()],
                                  [t.name for t in tables_of(aggregates)])
    return aggregates


def tables_of(a: Aggregates) -> list[faust.Table]:
    return [a.days, a.aliases, a.profiles, a.articles]


def _agents(ws: Wirestream, a: Aggregates) -> None:
    app = ws.app

    @app.agent(ws.topics.enriched, name="aggregate-articles", concurrency=1)
    async def aggregate_articles(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await on_article(a, event)

    @app.agent(a.facts_topic, name="aggregate-facts", concurrency=1)
    async def aggregate_facts(stream: faust.StreamT) -> None:
        async for event in stream.events():
            on_fact(a, event)

    @app.timer(interval=SIZE_INTERVAL_S, name="aggregate-gauges")
    async def aggregate_gauges() -> None:
        await update_gauges(a)

    @app.timer(interval=SWEEP_INTERVAL_S, name="aggregate-retention")
    async def aggregate_retention() -> None:
        await send_ticks(a)


async def send_ticks(a: Aggregates) -> None:
    """A tick into each facts partition this worker owns: the agent then drops that partition's
    expired days, also of groups that got no fact lately. Deletes must come from inside the agent,
    with a record of the partition the keys live in, so the tick travels through the topic."""
    topic = a.facts_topic.get_topic_name()
    for tp in a.ws.app.consumer.assignment():
        if tp.topic == topic:
            await a.facts_topic.send(key=None, value=json.dumps({TICK: time.time()}).encode(), partition=tp.partition)


async def on_article(a: Aggregates, event: faust.EventT) -> None:
    """Stage 1: an enriched article -> the article view, and one fact per group, acknowledged by
    Kafka before this record's offset can be committed (the agent awaits us before moving on)."""
    message = event.message
    fallback = message.timestamp or time.time()
    try:
        received = json.loads(message.value)
        found = facts_mod.article_facts(received, facts_mod.arrival_time(received, fallback))  # validates it
        article = _first_seen(a, received)
        if article is not received:  # a re-delivery: count the kept copy
            found = facts_mod.article_facts(article, facts_mod.arrival_time(article, fallback))
    except (ValueError, TypeError, KeyError, AttributeError, facts_mod.BadArticle) as exc:
        _invalid("articles", message, exc)
        return
    # One record per facts partition, not per group: a few sends and reads per article instead of
    # dozens (faust's per-message cost is what the aggregates' overhead is made of). Each group's
    # facts still land in the partition its key hashes to, the one faust's routing finds it in.
    by_partition: dict[int, list[dict]] = {}
    for group, fact in found:
        by_partition.setdefault(partition_of(a, group.encode()), []).append(fact)
    key = str(article["id"]).encode()
    futures = [await a.facts_topic.send(key=key, value=json.dumps({"facts": batch}).encode(), partition=p)
               for p, batch in sorted(by_partition.items())]
    await asyncio.gather(*futures)
    metrics.AGGREGATE_RECORDS.labels("articles", "applied").inc()
    _advance(a, message)


def _first_seen(a: Aggregates, article: dict) -> dict:
    """The article as first kept: a revision counts as it was first seen.

    A re-delivered revision is recognised by id, revision and content hash; its facts are sent
    again from the kept copy, so every group counts the same version of it even if the record
    delivered again differs (an engine upgraded between the two enrichments). A new revision
    replaces the kept one; an older revision arriving late is counted but not kept for the view."""
    key = str(article["id"]).encode()
    kept = a.articles.get(key)
    if kept and (kept.get("revision"), kept.get("content_hash")) == (article.get("revision"), article.get("content_hash")):
        return kept
    if not kept or kept.get("revision", 0) < article.get("revision", 1):
        a.articles[key] = article
    return article


def partition_of(a: Aggregates, group_key: bytes) -> int:
    """The facts partition of a group: Kafka's default partitioner (murmur2) over the topic's
    partitions, as faust's table routing computes it for the changelog (same partition count)."""
    return _PARTITIONER(group_key, a.partitions, a.partitions)


def on_fact(a: Aggregates, event: faust.EventT) -> None:
    """Stage 2: a record of facts (or a retention tick) for groups of this partition."""
    message = event.message
    try:
        record = json.loads(message.value)
        if TICK in record:
            sweep(a, message.partition, float(record[TICK]))
        else:
            for fact in record["facts"]:
                apply_fact(a, fact)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        _invalid("facts", message, exc)
    _advance(a, message)


def apply_fact(a: Aggregates, fact: dict) -> None:
    """One fact -> the group's day value, aliases and profile, each idempotent on its own (a crash
    may have landed some of the three writes and not the others)."""
    group, day = fact["group"], day_start(fact["at"])
    counted = state.apply_day(a.days.get(day_key(group, day)), fact)
    if counted is not None:
        a.days[day_key(group, day)] = counted
    aliases = state.apply_aliases(a.aliases.get(group.encode()), fact)
    if aliases is not None:
        a.aliases[group.encode()] = aliases
    _update_profile(a, group, fact)
    metrics.AGGREGATE_RECORDS.labels("facts", "applied" if counted is not None else "duplicate").inc()


def sweep(a: Aggregates, partition: int, now: float) -> None:
    """Drop the expired days of every group of this facts partition; a group with none left goes."""
    for key in list(a.profiles.keys()):
        if partition_of(a, key) != partition:
            continue  # another partition's group: its own tick deletes it, into its own changelog
        group = key.decode()
        before = a.profiles.get(key)
        pruned, gone = state.prune_days(before, now, a.settings.aggregate_retention_days)
        for day in gone:
            a.days.pop(day_key(group, day), None)
        if not pruned["days"]:
            a.profiles.pop(key, None)
            a.aliases.pop(key, None)
        elif pruned != before:
            a.profiles[key] = pruned


def _update_profile(a: Aggregates, group: str, fact: dict) -> None:
    key = group.encode()
    before = a.profiles.get(key)
    after = state.apply_profile(before, fact, a.settings.aggregate_latest_statements) or before
    pruned, gone = state.prune_days(after, time.time(), a.settings.aggregate_retention_days)
    for day in gone:  # same group, so same partition as this record: the delete goes to its changelog
        a.days.pop(day_key(group, day), None)
    if pruned != before:
        a.profiles[key] = pruned


def _invalid(agent: str, message, exc: Exception) -> None:
    metrics.AGGREGATE_RECORDS.labels(agent, "invalid").inc()
    log.warning("aggregates: skipped an unreadable record at %s[%s]@%s: %s",
                message.topic, message.partition, message.offset, str(exc)[:200])


def _advance(a: Aggregates, message) -> None:
    tp = (message.topic, message.partition)
    a.positions[tp] = max(a.positions.get(tp, 0), message.offset + 1)


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
