"""Consumer lag of the raw topic, two ways, per assigned partition.

- processed lag: end offset minus the next offset this worker has finished (what is left to do);
- committed lag: end offset minus the group's committed offset as the broker holds it, the figure
  ``kafka-consumer-groups.sh --describe`` prints (what a restart would do again, or skip if it
  were ahead of the processed work).

The two differ by the batches in flight. A committed lag that stays up while the processed lag is
0 means finished work is not being committed: the alert WirestreamCommitStalled says so.
"""

import logging

from streams import metrics
from streams.worker.app import Wirestream

log = logging.getLogger(__name__)


async def update_lag(ws: Wirestream) -> None:
    consumer = ws.app.consumer
    raw = ws.settings.topic_raw
    assigned = [tp for tp in consumer.assignment() if tp.topic == raw]
    _drop_moved_partitions(ws, {str(tp.partition) for tp in assigned})
    if not assigned:
        return
    try:
        ends = await consumer.highwaters(*assigned)
        committed = await _committed_offsets(ws, [tp.partition for tp in assigned])
    except Exception as exc:  # noqa: BLE001 - the broker may be away; report lag next time
        metrics.ERRORS.labels("lag", type(exc).__name__).inc()
        return
    for tp in assigned:
        end = ends.get(tp, 0)
        done = committed.get(tp.partition, 0)
        position = max(ws.positions.get(tp.partition, 0), done)
        metrics.CONSUMER_LAG.labels(raw, str(tp.partition)).set(max(0, end - position))
        metrics.COMMITTED_LAG.labels(raw, str(tp.partition)).set(max(0, end - done))
        ws.lag_partitions.add(str(tp.partition))


def _drop_moved_partitions(ws: Wirestream, current: set[str]) -> None:
    """A partition that moved to another worker must not leave its last lag values behind."""
    raw = ws.settings.topic_raw
    for partition in ws.lag_partitions - current:
        metrics.CONSUMER_LAG.remove(raw, partition)
        metrics.COMMITTED_LAG.remove(raw, partition)
    ws.lag_partitions.intersection_update(current)


async def _committed_offsets(ws: Wirestream, partitions: list[int]) -> dict[int, int]:
    """The group's committed offsets on the broker (absent: nothing committed yet, read as 0)."""
    return await ws.offsets.committed(ws.settings.topic_raw, partitions)
