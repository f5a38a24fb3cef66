"""The two stages of the aggregates, run by the agents of ``streams.aggregates.tables`` on batches.

Stage 1 (enriched articles -> facts) and stage 2 (facts -> table values) each take a batch of
records at a time: a hot group (a name in most articles) then gets one read and one write per
batch instead of one per article, and an article's facts travel in a few records rather than
dozens. That is what keeps their cost a few per cent of the enrichment's: faust's per-message
and per-write cost, and the bytes a rewritten value sends to its changelog, are most of it.

faust writes a table's changelog to the partition of the *current event*, and a batch holds
events of several partitions, so each write runs with an event of its partition as the current
one (the same context variable faust's own stream iteration sets; faust-streaming 0.15, pinned).
"""

import asyncio
import contextlib
import json
import logging
import time
import weakref
from collections import defaultdict
from typing import Sequence

import faust
from faust.streams import _current_event

from streams import metrics
from streams.aggregates import facts as facts_mod
from streams.aggregates import state
from streams.aggregates.windows import day_start

log = logging.getLogger(__name__)

TICK = "tick"  # a facts record with this field is a retention tick, no fact


@contextlib.contextmanager
def current(event: faust.EventT):
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)


# --- stage 1 ------------------------------------------------------------------------------------
async def on_articles(a, events: Sequence[faust.EventT]) -> None:
    """Enriched articles -> the article view, and their facts, one record per facts partition;
    returns once Kafka has acknowledged them all (only then may the batch's offsets be finished)."""
    by_partition: dict[int, list[dict]] = defaultdict(list)
    applied = 0
    for event in events:
        with current(event):
            found = article_facts(a, event.message)
        if found is not None:
            applied += 1
            for group, fact in found:
                by_partition[a.partition_of(group.encode())].append(fact)
        a.advance(event.message)
    futures = [await a.facts_topic.send(key=None, value=json.dumps({"facts": batch}).encode(), partition=p)
               for p, batch in sorted(by_partition.items())]
    await asyncio.gather(*futures)
    metrics.AGGREGATE_RECORDS.labels("articles", "applied").inc(applied)


def article_facts(a, message) -> list[tuple[str, dict]] | None:
    """The facts of one enriched record (None when it is unreadable: counted, skipped)."""
    fallback = message.timestamp or time.time()
    try:
        received = json.loads(message.value)
        found = facts_mod.article_facts(received, facts_mod.arrival_time(received, fallback))  # validates it
        article = first_seen(a, received, message.value)
        if article is not received:  # a re-delivery: count the kept copy
            found = facts_mod.article_facts(article, facts_mod.arrival_time(article, fallback))
    except (ValueError, TypeError, KeyError, AttributeError, facts_mod.BadArticle) as exc:
        invalid("articles", message, exc)
        return None
    return found


def first_seen(a, article: dict, text: bytes) -> dict:
    """The article as first kept: a revision counts as it was first seen.

    A re-delivered revision is recognised by id, revision and content hash; its facts are sent
    again from the kept copy, so every group counts the same version of it even if the record
    delivered again differs (an engine upgraded between the two enrichments). A new revision
    replaces the kept one; an older revision arriving late is counted but not kept for the view.

    The article is kept as its JSON text, not a dict: the table's codec then writes one string
    instead of a few thousand tokens (its entities' mentions), to its store and its changelog."""
    key = str(article["id"]).encode()
    kept = a.article(article["id"])
    if kept and (kept.get("revision"), kept.get("content_hash")) == (article.get("revision"), article.get("content_hash")):
        return kept
    if not kept or kept.get("revision", 0) < article.get("revision", 1):
        a.articles[key] = text.decode("utf-8")
    return article


# --- stage 2 ------------------------------------------------------------------------------------
def on_fact_records(a, events: Sequence[faust.EventT]) -> None:
    """Records of facts (or retention ticks) -> the table values, one partition at a time.

    The agent finishes the batch's offsets only after this returns, so a batch cut short (the
    process killed) comes again whole, and the values recognise what they had counted."""
    pending: dict[int, tuple[faust.EventT, list[dict]]] = {}
    for event in events:
        message = event.message
        try:
            record = json.loads(message.value)
            if TICK in record:
                with current(event):
                    sweep(a, message.partition, float(record[TICK]))
            else:
                facts = [f for f in record["facts"] if _readable(f)]
                pending.setdefault(message.partition, (event, []))[1].extend(facts)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            invalid("facts", message, exc)
        a.advance(message)
    for event, facts in pending.values():
        with current(event):
            apply_facts(a, facts)


def _readable(fact: object) -> bool:
    ok = isinstance(fact, dict) and isinstance(fact.get("group"), str) and isinstance(fact.get("forms"), dict) \
        and isinstance(fact.get("at"), (int, float)) and "article" in fact and "rev" in fact
    if not ok:
        metrics.AGGREGATE_RECORDS.labels("facts", "invalid").inc()
    return ok


def apply_facts(a, facts: list[dict]) -> None:
    """Facts of one partition -> each group's day values and profile (its alias table with it): one
    read and at most one write per value, each idempotent on its own (a crash may land some only)."""
    by_group: dict[str, list[dict]] = defaultdict(list)
    for fact in facts:
        by_group[fact["group"]].append(fact)
    for group, group_facts in by_group.items():
        _apply_days(a, group, group_facts)
        _apply_profile(a, group, group_facts)


def _apply_days(a, group: str, facts: list[dict]) -> None:
    by_day: dict[int, list[dict]] = defaultdict(list)
    for fact in facts:
        by_day[day_start(fact["at"])].append(fact)
    for day, day_facts in by_day.items():
        key = a.day_key(group, day)
        value, counted = a.load(a.days, key), 0
        for fact in day_facts:
            after = state.apply_day(value, fact)
            if after is not None:
                value, counted = after, counted + 1
        if counted:
            a.store(a.days, key, value)
        metrics.AGGREGATE_RECORDS.labels("facts", "applied").inc(counted)
        metrics.AGGREGATE_RECORDS.labels("facts", "duplicate").inc(len(day_facts) - counted)


def _apply_profile(a, group: str, facts: list[dict]) -> None:
    key = group.encode()
    before = value = a.load(a.profiles, key)
    for fact in facts:
        value = state.apply_profile(value, fact, a.settings.aggregate_latest_statements) or value
    pruned, gone = state.prune_days(value, time.time(), a.settings.aggregate_retention_days)
    for day in gone:  # same group, so same partition as this record: the delete goes to its changelog
        a.days.pop(a.day_key(group, day), None)
    if pruned != before:
        a.store(a.profiles, key, pruned)


def sweep(a, partition: int, now: float) -> None:
    """Drop the expired days of every group of this facts partition; a group with none left goes,
    its alias table with it."""
    for key in list(a.profiles.keys()):
        if a.partition_of(key) != partition:
            continue  # another partition's group: its own tick deletes it, into its own changelog
        group = key.decode()
        before = a.load(a.profiles, key)
        pruned, gone = state.prune_days(before, now, a.settings.aggregate_retention_days)
        for day in gone:
            a.days.pop(a.day_key(group, day), None)
        if not pruned["days"]:
            a.profiles.pop(key, None)
        elif pruned != before:
            a.store(a.profiles, key, pruned)


def invalid(agent: str, message, exc: Exception) -> None:
    metrics.AGGREGATE_RECORDS.labels(agent, "invalid").inc()
    log.warning("aggregates: skipped an unreadable record at %s[%s]@%s: %s",
                message.topic, message.partition, message.offset, str(exc)[:200])
