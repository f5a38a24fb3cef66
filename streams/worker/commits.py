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
from typing import Iterable, Sequence

import faust
from faust.types import TP

from streams import metrics
from streams.worker.ledger import Check, CommitLedger, Ticket
from streams.worker.offsets import OffsetReader

log = logging.getLogger(__name__)

RESEEK_AFTER_S = 30


class Committer:
    """The commits of one topic this worker consumes with ``acks=False``, by the ledger's rule.

    An agent enters each message it takes (``take``), hands the tickets back once the message's
    work is durable (``finish``) and calls ``commit``; the app's revocations reach ``forget``.
    """

    def __init__(self, app: faust.App, topic: str, offsets: OffsetReader):
        self.app, self.topic, self.offsets = app, topic, offsets
        self.ledger = CommitLedger()
        self._lock = asyncio.Lock()  # one commit at a time, so a slower, older one never lands last
        self._sought: dict[int, tuple[int, int, float]] = {}  # partition -> (stint, offset, when) sought back to

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
        await self._seek_back(check, start, first)

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
        await self.app.consumer.seek(TP(self.topic, check.partition), start)
