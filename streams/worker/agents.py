"""The agent: a loop over batches of raw messages, nothing more.

It receives raw bytes (decoding is the processor's job, so a bad message cannot kill it) and
hands each batch to ``InFlight``, which processes a few batches side by side, publishes their
records in the order the batches were taken, waits until Kafka has acknowledged every record, and
only then lets faust commit the batch's offsets: at-least-once delivery.
Concurrency stays 1: faust may commit past in-flight messages of a concurrent agent.
"""

import asyncio
import logging
import time
from datetime import datetime, timezone
from functools import partial
from typing import Sequence

import faust

from streams import metrics
from streams.codec import Origin
from streams.worker.inflight import InFlight
from streams.worker.pool import PoolClosed
from streams.worker.processor import BatchResult, Incoming, Outgoing
from streams.worker.app import Wirestream

log = logging.getLogger(__name__)

RETRY_BACKOFF_S = (0.5, 1, 2, 5, 10)


def register(ws: Wirestream) -> None:
    settings = ws.settings

    @ws.app.agent(ws.topics.raw, name="enrich", concurrency=1)
    async def enrich(stream: faust.StreamT) -> None:
        async with batches_in_flight(ws) as inflight:
            async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout_s):
                await inflight.submit(events)

    @ws.app.timer(interval=5.0, name="consumer-lag")
    async def consumer_lag() -> None:
        await update_lag(ws)


def batches_in_flight(ws: Wirestream) -> InFlight[BatchResult]:
    return InFlight(ws.settings.in_flight_batches, partial(process_batch, ws), partial(finish_batch, ws))


async def process_batch(ws: Wirestream, events: Sequence[faust.EventT]) -> BatchResult:
    """The records for a batch; raises only when the worker is stopping (PoolClosed, cancelled)."""
    metrics.MESSAGES_CONSUMED.labels(ws.settings.topic_raw).inc(len(events))
    metrics.IN_PROGRESS.inc(len(events))
    try:
        ws.seen.bind(events)
        return await _process(ws, [Incoming(e.message.value, _origin(e.message)) for e in events])
    except BaseException:
        metrics.IN_PROGRESS.dec(len(events))
        raise


async def finish_batch(ws: Wirestream, events: Sequence[faust.EventT], result: BatchResult) -> None:
    """Publish a processed batch (retrying until Kafka acknowledges it) and record what it did."""
    try:
        await publish(ws, result.records)
        _remember(ws, result)
        for outcome, n in result.outcomes.items():
            metrics.MESSAGES_PROCESSED.labels(outcome).inc(n)
        for e in events:
            ws.positions[e.message.partition] = max(ws.positions.get(e.message.partition, 0), e.message.offset + 1)
        metrics.LAST_PROCESSED.set(time.time())
    finally:
        ws.processor.settle(result)  # published, or given up: either way its claims end here
        metrics.IN_PROGRESS.dec(len(events))


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


async def update_lag(ws: Wirestream) -> None:
    """Consumer lag per assigned raw partition: end offset minus the next offset to process."""
    consumer = ws.app.consumer
    raw = ws.settings.topic_raw
    assigned = [tp for tp in consumer.assignment() if tp.topic == raw]
    # A partition that moved to another worker must not leave its last lag value behind.
    current = {str(tp.partition) for tp in assigned}
    for partition in ws.lag_partitions - current:
        metrics.CONSUMER_LAG.remove(raw, partition)
    ws.lag_partitions.intersection_update(current)
    if not assigned:
        return
    try:
        ends = await consumer.highwaters(*assigned)
    except Exception as exc:  # noqa: BLE001 - the broker may be away; report lag next time
        metrics.ERRORS.labels("lag", type(exc).__name__).inc()
        return
    for tp in assigned:
        committed = consumer._committed_offset.get(tp) or 0  # faust keeps no public accessor
        position = max(ws.positions.get(tp.partition, 0), committed)
        metrics.CONSUMER_LAG.labels(raw, str(tp.partition)).set(max(0, ends.get(tp, 0) - position))
        ws.lag_partitions.add(str(tp.partition))
