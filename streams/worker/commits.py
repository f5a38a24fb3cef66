"""Committing the raw topic: what the ledger allows, after the broker confirms what it must.

Called after every published batch and on the lag timer. Before a partition's offset may move
over offsets this worker never took (the stretch from the group's committed offset to a
stint's first offset, or a hole inside a stint), the broker is asked for the first record at
or after the stretch's start: if it is the offset that came next, the stretch holds no record
and is confirmed. If it is not, faust skipped records: the partition is sought back to the
start of the stretch, so they are delivered (and what follows them again, as duplicates), and
the offset stays where it is until they are finished. See streams.worker.ledger for the rule.
"""

import logging
import time

from faust.types import TP

from streams import metrics
from streams.worker.app import Wirestream
from streams.worker.ledger import Check

log = logging.getLogger(__name__)


async def commit_finished(ws: Wirestream) -> None:
    async with ws.commit_lock:  # one commit at a time, so a slower, older one never lands last
        generation = ws.app.consumer_generation_id
        for check in ws.ledger.checks(generation):
            await _settle(ws, check)
        offsets = ws.ledger.committable(generation)
        if not offsets:
            return
        try:
            # faust has no public call that commits a given offset; Consumer._commit is where its own
            # commit() ends: it drops partitions no longer assigned, and aiokafka refuses a commit
            # of a generation that is over, which is what we want too.
            accepted = await ws.app.consumer._commit({TP(ws.settings.topic_raw, p): o for p, o in offsets.items()})
        except Exception as exc:  # noqa: BLE001 - not committed now is committed by the next batch or the timer
            metrics.ERRORS.labels("commit", type(exc).__name__).inc()
            log.warning("committing %s failed: %s", offsets, exc)
            return
        if accepted:
            ws.ledger.committed(generation, offsets)


async def _settle(ws: Wirestream, check: Check) -> None:
    """Confirm a stretch of offsets as empty, or seek back to deliver what it holds."""
    try:
        start = check.start if check.start is not None else await _committed(ws, check.partition)
        if start >= check.end:
            ws.ledger.confirm(check)  # the stint starts at (or before) the committed offset
            return
        first = await ws.offsets.first_record(check.partition, start)
    except Exception as exc:  # noqa: BLE001 - the broker may be away: the offset waits, and we ask again
        metrics.ERRORS.labels("offset_check", type(exc).__name__).inc()
        return
    if first is None:
        return  # no answer in time: ask again after the next batch
    if first >= check.end:
        ws.ledger.confirm(check)
        return
    await _seek_back(ws, check, start, first)


async def _committed(ws: Wirestream, partition: int) -> int:
    committed = await ws.offsets.committed([partition])
    return committed.get(partition, 0)  # nothing committed: the group starts at the beginning


RESEEK_AFTER_S = 30


async def _seek_back(ws: Wirestream, check: Check, start: int, first: int) -> None:
    asked = ws.sought.get(check.partition)
    if asked and asked[:2] == (check.stint, start) and time.monotonic() - asked[2] < RESEEK_AFTER_S:
        return  # already asked for this stint; the records are on their way
    ws.sought[check.partition] = (check.stint, start, time.monotonic())
    metrics.SKIPPED_RECORDS.inc()
    log.warning("raw partition %d: offsets %d-%d were never delivered (first record at %d); "
                "seeking back to %d", check.partition, start, check.end - 1, first, start)
    await ws.app.consumer.seek(TP(ws.settings.topic_raw, check.partition), start)
