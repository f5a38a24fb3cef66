"""Committing a consumed topic: what the ledger allows, after the broker confirms what it must.

For the raw topic, called after every published batch and on the lag timer. Before a partition's offset may move
over offsets this worker never took (the stretch from the group's committed offset to a
stint's first offset, or a hole inside a stint), the broker is asked for the first record at
or after the stretch's start: if it is the offset that came next, the stretch holds no record
and is confirmed. If it is not, faust skipped records: the partition is sought back to the
start of the stretch, so they are delivered (and what follows them again, as duplicates), and
the offset stays where it is until they are finished. See streams.worker.ledger for the rule.
"""

import asyncio
import logging
import time
from typing import Awaitable, Callable, Iterable, Sequence

import faust
from faust.types import TP

from streams import metrics
from streams.worker.ledger import Check, CommitLedger, Ticket
from streams.worker.offsets import OffsetReader

log = logging.getLogger(__name__)

RESEEK_AFTER_S = 30
STOP_COMMIT_S = 15.0  # how long a stopping worker waits for its last commit (the brokers may be gone)
FILL_LIMIT = 500  # records fetched for a hole at a time; the rest of it waits for the next commit


async def commit_before_stop(commit: Callable[[], Awaitable[None]], what: str) -> None:
    """The last commit of a graceful stop, bounded. With the brokers gone, aiokafka retries its
    flush and the commit for ever, and the worker would never end on SIGTERM; giving up loses
    nothing, as what is not committed is done again by the group's next worker."""
    try:
        await asyncio.wait_for(commit(), STOP_COMMIT_S)
    except asyncio.TimeoutError:
        log.warning("stopping without the last commit of %s after %.0f s (brokers unreachable?): what it "
                    "would have committed will be processed again", what, STOP_COMMIT_S)


# (partition, records fetched from the broker, their tickets) -> the records processed like taken ones
Redeliver = Callable[[int, list, list[Ticket]], Awaitable[None]]
SETTLE_STEP_S, SETTLE_MAX_S = 0.5, 10.0  # how a paused partition's fetch loop is given time to settle
STALLED_TICKS = 6  # ticks of the lag timer (5 s) without progress before a skipped tail is sought back


class Committer:
    """The commits of one topic this worker consumes with ``acks=False``, by the ledger's rule.

    An agent enters each message it takes (``take``), hands the tickets back once the message's
    work is durable (``finish``) and calls ``commit``; the app's revocations reach ``forget``.
    """

    def __init__(self, app: faust.App, topic: str, offsets: OffsetReader, redeliver: Redeliver | None = None):
        self.app, self.topic, self.offsets = app, topic, offsets
        # Records faust skipped are fetched by the worker itself and handed to ``redeliver`` when the
        # agent can take them that way; otherwise the partition is sought back (see _seek).
        self.redeliver = redeliver
        self._redeliveries: set[asyncio.Task] = set()
        self.ledger = CommitLedger()
        self._lock = asyncio.Lock()  # one commit at a time, so a slower, older one never lands last
        self._sought: dict[int, tuple[int, int, float]] = {}  # partition -> (stint, offset, when) sought back to
        self._stalled: dict[int, tuple[int, int]] = {}  # partition -> (expected offset, ticks it stayed)

    def take(self, events: Sequence[faust.EventT]) -> tuple[Ticket, ...]:
        return tuple(self.ledger.take(e.message.generation_id or 0, e.message.partition, e.message.offset)
                     for e in events)

    def finish(self, tickets: Iterable[Ticket]) -> None:
        for ticket in tickets:
            self.ledger.finish(ticket)

    def forget(self, revoked: Iterable[TP]) -> None:
        self.ledger.forget(tp.partition for tp in revoked if tp.topic == self.topic)

    async def commit(self) -> None:
        async with self._lock:
            generation = self.app.consumer_generation_id
            for check in self.ledger.checks(generation):
                await self._settle(check)
            offsets = self.ledger.committable(generation)
            if not offsets:
                return
            try:
                # Table writes of the finished messages go to their changelogs in the background
                # (faust's send_soon): they must be in Kafka before the offsets that caused them are
                # committed, as faust's own commit makes sure with the same flush.
                await self.app.producer.flush()
                # faust has no public call that commits a given offset; Consumer._commit is where its
                # own commit() ends: it drops partitions no longer assigned, and aiokafka refuses a
                # commit of a generation that is over, which is what we want too.
                accepted = await self.app.consumer._commit({TP(self.topic, p): o for p, o in offsets.items()})
            except Exception as exc:  # noqa: BLE001 - not committed now is committed by the next batch or the timer
                metrics.ERRORS.labels("commit", type(exc).__name__).inc()
                log.warning("committing %s %s failed: %s", self.topic, offsets, exc)
                return
            if accepted:
                self.ledger.committed(generation, offsets)

    async def watch(self) -> None:
        """The tail of a partition skipped: the consumer has fetched past offsets the agent never got.

        A hole between two delivered offsets shows when the later one is taken; a skipped tail
        never does, since nothing more comes. So, on a timer: a partition whose consumer position
        stays past the next offset the agent expects, while nothing at all is in flight (an idle
        agent takes what is fetched within a batch timeout) and the expected offset does not move
        for STALLED_TICKS ticks, is sought back to that offset."""
        if self.ledger.outstanding():
            # The agent is busy: records behind its batches are waiting, not skipped. Only an idle
            # agent with records fetched and not delivered has lost them.
            self._stalled.clear()
            return
        generation = self.app.consumer_generation_id
        for tp in [tp for tp in self.app.consumer.assignment() if tp.topic == self.topic]:
            try:
                expected = await self._expected(generation, tp.partition)
                position = await self.app.consumer.position(tp)
            except Exception as exc:  # noqa: BLE001 - the broker may be away: look again next tick
                metrics.ERRORS.labels("offset_watch", type(exc).__name__).inc()
                continue
            if expected is None or position is None or position <= expected:
                self._stalled.pop(tp.partition, None)
                continue
            seen, ticks = self._stalled.get(tp.partition, (expected, 0))
            ticks = ticks + 1 if seen == expected else 1
            self._stalled[tp.partition] = (expected, ticks)
            if ticks >= STALLED_TICKS:
                self._stalled.pop(tp.partition, None)
                log.warning("%s partition %d: the consumer is at %d but nothing from %d on reached the agent",
                            self.topic, tp.partition, position, expected)
                await self._recover_tail(generation, tp, expected, position)

    async def _recover_tail(self, generation: int, tp: TP, expected: int, position: int) -> None:
        if self.redeliver is None:
            metrics.SKIPPED_RECORDS.labels(self.topic).inc()
            await self._seek(tp, expected)
            return
        try:
            records, _ = await self.offsets.records(self.topic, tp.partition, expected, position, FILL_LIMIT)
        except Exception as exc:  # noqa: BLE001 - the broker may be away: the watch tries again
            metrics.ERRORS.labels("offset_fill", type(exc).__name__).inc()
            return
        tickets = self.ledger.fill_tail(generation, tp.partition, expected, [r.offset for r in records])
        self._hand_over(tp.partition, records, tickets)

    async def _expected(self, generation: int, partition: int) -> int:
        """The next offset the agent should get."""
        progress = self.ledger.progress(generation, partition)
        if progress is None:
            return await self._committed(partition)  # nothing taken yet in this generation
        return progress[0]

    async def _settle(self, check: Check) -> None:
        """Confirm a stretch of offsets as empty, or seek back to deliver what it holds."""
        try:
            start = check.start if check.start is not None else await self._committed(check.partition)
            if start >= check.end:
                self.ledger.confirm(check)  # the stint starts at (or before) the committed offset
                return
            first = await self.offsets.first_record(self.topic, check.partition, start)
        except Exception as exc:  # noqa: BLE001 - the broker may be away: the offset waits, and we ask again
            metrics.ERRORS.labels("offset_check", type(exc).__name__).inc()
            return
        if first is None:
            return  # no answer in time: ask again after the next batch
        if first >= check.end:
            self.ledger.confirm(check)
            return
        if self.redeliver is not None:
            await self._fill(check, start, first)
        else:
            await self._seek_back(check, start, first)

    async def _fill(self, check: Check, start: int, first: int) -> None:
        """Fetch the records faust skipped and hand them to the agent, as if it had taken them."""
        try:
            records, through = await self.offsets.records(self.topic, check.partition, start, check.end, FILL_LIMIT)
        except Exception as exc:  # noqa: BLE001 - the broker may be away: the hole stays, and we ask again
            metrics.ERRORS.labels("offset_fill", type(exc).__name__).inc()
            return
        tickets = self.ledger.fill(check, start, [r.offset for r in records], through)
        log.warning("%s partition %d: offsets %d-%d were never delivered (first record at %d); "
                    "fetched %d of them to process", self.topic, check.partition, start, check.end - 1,
                    first, len(records))
        self._hand_over(check.partition, records, tickets)

    def _hand_over(self, partition: int, records: list, tickets: list[Ticket]) -> None:
        if not records or not tickets:
            return
        metrics.SKIPPED_RECORDS.labels(self.topic).inc()
        # A task of its own: the agent's submit may wait for a free slot, which the finisher (that
        # may be running this very commit) releases.
        task = asyncio.create_task(self.redeliver(partition, records, tickets))
        self._redeliveries.add(task)
        task.add_done_callback(self._redeliveries.discard)

    async def _committed(self, partition: int) -> int:
        committed = await self.offsets.committed(self.topic, [partition])
        return committed.get(partition, 0)  # nothing committed: the group starts at the beginning

    async def _seek_back(self, check: Check, start: int, first: int) -> None:
        asked = self._sought.get(check.partition)
        if asked and asked[:2] == (check.stint, start) and time.monotonic() - asked[2] < RESEEK_AFTER_S:
            return  # already asked for this stint; the records are on their way
        self._sought[check.partition] = (check.stint, start, time.monotonic())
        metrics.SKIPPED_RECORDS.labels(self.topic).inc()
        log.warning("%s partition %d: offsets %d-%d were never delivered (first record at %d); "
                    "seeking back to %d", self.topic, check.partition, start, check.end - 1, first, start)
        await self._seek(TP(self.topic, check.partition), start)

    async def _seek(self, tp: TP, offset: int) -> None:
        """Seek a partition back so that faust delivers it again from ``offset``.

        A plain seek is not enough while faust's fetch loop is handing out records of the
        partition: it records each one as read after the seek, and then drops the records fetched
        again as already read (the very way records get skipped). So the partition is paused
        first (the loop stops handing out its records), the loop is given time to finish the one
        it holds (its read position stops moving), and only then is it sought and resumed."""
        consumer = self.app.consumer
        consumer.pause_partitions([tp])
        try:
            await self._until_read_position_settles(tp)
            await consumer.seek(tp, offset)
        finally:
            if tp in consumer.assignment():  # not a partition revoked meanwhile
                consumer.resume_partitions([tp])

    async def _until_read_position_settles(self, tp: TP) -> None:
        read = consumer_read_offset(self.app.consumer, tp)
        for _ in range(int(SETTLE_MAX_S / SETTLE_STEP_S)):
            await asyncio.sleep(SETTLE_STEP_S)
            now = consumer_read_offset(self.app.consumer, tp)
            if now == read:
                return
            read = now


def consumer_read_offset(consumer, tp: TP) -> int | None:
    """The last offset faust's fetch loop handed out for ``tp`` (faust keeps no public accessor)."""
    return consumer._read_offset.get(tp)
