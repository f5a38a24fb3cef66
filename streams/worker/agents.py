"""The agent: a loop over batches of raw messages, nothing more.

It receives raw bytes (decoding is the processor's job, so a bad message cannot kill it) and
hands each batch to ``InFlight``, which processes a few batches side by side and finishes them in
the order they were taken: publish the records, wait until Kafka has acknowledged every one, and
only then mark the batch's offsets finished in the commit ledger and commit what the ledger
allows (streams.worker.ledger): at-least-once delivery, with the raw topic's commits in
Wirestream's hands rather than faust's (docs/reliability.md, "The commit rule").
Concurrency stays 1: faust may commit past in-flight messages of a concurrent agent.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Sequence

import faust
from faust.types import TP

from streams import metrics
from streams.codec import Origin
from streams.worker.commits import commit_before_stop
from streams.worker.inflight import InFlight
from streams.worker.ledger import Ticket
from streams.worker.lag import update_lag
from streams.worker.pool import PoolClosed
from streams.worker.processor import BatchResult, Incoming, Outgoing
from streams.worker.app import Wirestream

log = logging.getLogger(__name__)

RETRY_BACKOFF_S = (0.5, 1, 2, 5, 10)


@dataclass(frozen=True)
class Taken:
    """A batch as the agent took it: its events, and the ledger's ticket for each."""

    events: Sequence[faust.EventT]
    tickets: tuple[Ticket, ...]


@dataclass(frozen=True)
class FetchedMessage:
    """A raw record the committer fetched from the broker itself because faust skipped it,
    with what the processor reads of faust's Message."""

    topic: str
    partition: int
    offset: int
    timestamp: float | None
    key: bytes | None
    value: bytes | None


@dataclass(frozen=True)
class FetchedEvent:
    message: FetchedMessage
    redelivered: bool = True  # not a faust event: never the table's current event (SeenArticles.bind)


def register(ws: Wirestream) -> None:
    settings = ws.settings
    ws.raw_commits.redeliver = partial(redeliver, ws)

    @ws.app.agent(ws.topics.raw, name="enrich", concurrency=1)
    async def enrich(stream: faust.StreamT) -> None:
        async with batches_in_flight(ws) as inflight:
            ws.inflight = inflight
            async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout_s):
                await inflight.submit(take(ws, events))

    @ws.app.timer(interval=5.0, name="consumer-lag")
    async def consumer_lag() -> None:
        await commit_finished(ws)  # a commit refused during a rebalance or a broker restart is retried here
        await ws.raw_commits.watch()  # a skipped tail of a partition shows only here
        await update_lag(ws)

    @ws.app.on_partitions_revoked.connect
    async def forget_revoked(app: faust.App, revoked: set[TP], **kwargs: object) -> None:
        ws.raw_commits.forget(revoked)

    @ws.app.on_before_shutdown.connect
    async def finish_in_flight(app: faust.App, **kwargs: object) -> None:
        await drain(ws, settings.stop_grace_s)
        await ws.offsets.close()


def take(ws: Wirestream, events: Sequence[faust.EventT]) -> Taken:
    """Enter a batch's offsets in the ledger, as taken and not yet finished."""
    return Taken(events, ws.raw_commits.take(events))


async def redeliver(ws: Wirestream, partition: int, records: list, tickets: list[Ticket]) -> None:
    """Records faust skipped, fetched by the committer: processed and finished like taken ones."""
    if ws.inflight is None:
        return  # not running: they stay outstanding, so nothing is committed past them
    by_offset = {t.offset: t for t in tickets}
    events = [FetchedEvent(FetchedMessage(ws.settings.topic_raw, partition, r.offset,
                                          r.timestamp / 1000 if r.timestamp else None, r.key, r.value))
              for r in records if r.offset in by_offset]
    size = ws.settings.batch_size
    for i in range(0, len(events), size):
        chunk = events[i:i + size]
        await ws.inflight.submit(Taken(chunk, tuple(by_offset[e.message.offset] for e in chunk)))


def batches_in_flight(ws: Wirestream) -> InFlight[Taken, BatchResult]:
    return InFlight(ws.settings.in_flight_batches, partial(process_batch, ws), partial(finish_batch, ws))


async def process_batch(ws: Wirestream, taken: Taken) -> BatchResult:
    """The records for a batch; raises only when the worker is stopping (PoolClosed, cancelled)."""
    events = taken.events
    metrics.MESSAGES_CONSUMED.labels(ws.settings.topic_raw).inc(len(events))
    metrics.IN_PROGRESS.inc(len(events))
    try:
        ws.seen.bind(events)
        return await _process(ws, [Incoming(e.message.value, _origin(e.message)) for e in events])
    except BaseException:
        metrics.IN_PROGRESS.dec(len(events))
        raise


async def finish_batch(ws: Wirestream, taken: Taken, result: BatchResult) -> None:
    """Publish a processed batch (retrying until Kafka acknowledges it), then let its offsets go."""
    try:
        await publish(ws, result.records)
        _remember(ws, result)
        for outcome, n in result.outcomes.items():
            metrics.MESSAGES_PROCESSED.labels(outcome).inc(n)
        for e in taken.events:
            ws.positions[e.message.partition] = max(ws.positions.get(e.message.partition, 0), e.message.offset + 1)
        metrics.LAST_PROCESSED.set(time.time())
    finally:
        ws.processor.settle(result)  # published, or given up: either way its claims end here
        metrics.IN_PROGRESS.dec(len(taken.events))
    ws.raw_commits.finish(taken.tickets)  # only now, with every record acknowledged by Kafka
    await commit_finished(ws)


async def commit_finished(ws: Wirestream) -> None:
    """Commit the raw topic as far as the ledger allows (streams.worker.commits)."""
    await ws.raw_commits.commit()


async def drain(ws: Wirestream, timeout_s: float) -> None:
    """On a graceful stop: let the batches in flight finish (bounded), so little is done twice."""
    if ws.inflight is None:
        return
    try:
        await asyncio.wait_for(ws.inflight.drain(), timeout_s)
    except asyncio.TimeoutError:
        log.warning("stopping with batches still in flight after %ss: they will be processed again", timeout_s)
    await commit_before_stop(lambda: commit_finished(ws), "the raw topic")


def _remember(ws: Wirestream, result: BatchResult) -> None:
    """Record what was published; a failure here costs a re-parse on re-delivery, never a message."""
    try:
        for article_id, partition, state in result.seen_updates:
            ws.seen.set(article_id, partition, state)
    except Exception as exc:  # noqa: BLE001
        metrics.ERRORS.labels("seen_table", type(exc).__name__).inc()
        log.exception("updating the seen-articles table failed")


async def _process(ws: Wirestream, batch: list[Incoming]) -> BatchResult:
    last_error: Exception | None = None
    for pause in (*RETRY_BACKOFF_S[:3], None):
        try:
            return await ws.processor.process(batch)
        except PoolClosed:
            raise  # shutting down: leave the batch for the next worker
        except Exception as exc:  # noqa: BLE001 - a bug must not turn into lost messages
            last_error = exc
            metrics.ERRORS.labels("process", type(exc).__name__).inc()
            log.exception("processing a batch of %d failed", len(batch))
            if pause is not None:
                await asyncio.sleep(pause)
    # Still failing: the batch goes to the dead-letter topic rather than blocking the partition forever.
    return ws.processor.dead_letter_all(batch, f"processing the batch failed repeatedly: {last_error!r}")


async def publish(ws: Wirestream, records: list[Outgoing]) -> None:
    """Send all records in order and wait for Kafka's acknowledgement, retrying until it comes."""
    topics = ws.topics.by_name()
    attempt = 0
    while True:
        started = time.perf_counter()
        try:
            futures = [await topics[r.topic].send(key=r.key, value=r.value, headers=list(r.headers)) for r in records]
            await asyncio.gather(*futures)
            break
        except Exception as exc:  # noqa: BLE001 - the broker may be away; hold the batch until it is back
            metrics.ERRORS.labels("produce", type(exc).__name__).inc()
            pause = RETRY_BACKOFF_S[min(attempt, len(RETRY_BACKOFF_S) - 1)]
            log.warning("publishing %d records failed (%s); retrying in %ss", len(records), exc, pause)
            attempt += 1
            await asyncio.sleep(pause)
    metrics.PROCESSING_SECONDS.labels("produce").observe(time.perf_counter() - started)
    now = datetime.now(timezone.utc)
    for r in records:
        metrics.MESSAGES_PRODUCED.labels(r.topic).inc()
        if r.source_timestamp is not None:
            metrics.END_TO_END_SECONDS.observe(max(0.0, (now - r.source_timestamp).total_seconds()))


def _origin(message: faust.types.Message) -> Origin:
    timestamp = None
    if message.timestamp:
        timestamp = datetime.fromtimestamp(message.timestamp, timezone.utc)
    return Origin(message.topic, message.partition, message.offset, message.key, timestamp)
