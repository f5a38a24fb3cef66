"""Which raw offsets may be committed: per partition, the lowest offset taken and not yet finished.

Why Wirestream keeps this itself instead of trusting faust's acknowledgements (docs/reliability.md,
"The commit rule"): faust-streaming 0.15 commits the end of the first run of acknowledged offsets,
and its guard against a hole at the head of that run is off by one (``min(acked) - committed > 1``,
faust-streaming issue #606): a single message still in flight at the committed position is
committed over. It also acknowledges, unprocessed, every buffered message that a rebalance makes
stale. Either way an offset gets committed whose records were never published, and a kill -9 in
that window loses the message. Here nothing advances a partition's offset but the finishing
(published, or dead-lettered) of every message below it.

The rule, per raw partition, within one run of in-order delivery (a "stint"):

    committable = min(offsets taken and not finished)   if any is outstanding
                = 1 + the highest offset taken          otherwise

Messages reach the agent in offset order within a partition, so every offset below the lowest
outstanding one was taken and finished (or is a gap in the log itself: transaction markers).
A stint ends when that order breaks: a new consumer-group generation (after a rebalance faust
seeks every partition back to its committed offset) or an offset at or below one already taken
(any other seek back). The old stint's bookkeeping is dropped; its batches finishing later
change nothing, because their messages are delivered again in the new stint and come back as
duplicates of what those batches published.

Pure bookkeeping: no faust, no Kafka client; the agent feeds it and commits what it returns.
"""

import itertools
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple


class Ticket(NamedTuple):
    """One taken message, as the ledger knows it; handed back when the message is finished."""

    partition: int
    stint: int
    offset: int


@dataclass
class _Stint:
    number: int
    generation: int
    start: int                     # the first offset taken in this stint
    outstanding: set[int] = field(default_factory=set)
    next_offset: int = 0           # 1 + the highest offset taken in this stint
    committed: int | None = None   # the last offset committed in this stint

    def committable(self) -> int | None:
        offset = min(self.outstanding) if self.outstanding else self.next_offset
        # Nothing to commit until something of this stint has finished, nor twice the same offset.
        return offset if offset > max(self.start, self.committed or 0) else None


class CommitLedger:
    """Offsets taken and finished, per partition; tells which commits are safe."""

    def __init__(self) -> None:
        self._stints: dict[int, _Stint] = {}
        self._numbers = itertools.count(1)

    def take(self, generation: int, partition: int, offset: int) -> Ticket:
        stint = self._stints.get(partition)
        if stint is None or generation != stint.generation or offset < stint.next_offset:
            stint = self._stints[partition] = _Stint(next(self._numbers), generation, offset)
        stint.outstanding.add(offset)
        stint.next_offset = offset + 1
        return Ticket(partition, stint.number, offset)

    def finish(self, ticket: Ticket) -> None:
        stint = self._stints.get(ticket.partition)
        if stint is not None and stint.number == ticket.stint:
            stint.outstanding.discard(ticket.offset)

    def committable(self, generation: int) -> dict[int, int]:
        """Partitions whose safe offset in ``generation`` moved past their last commit."""
        out = {}
        for partition, stint in self._stints.items():
            offset = stint.committable() if stint.generation == generation else None
            if offset is not None:
                out[partition] = offset
        return out

    def committed(self, generation: int, offsets: dict[int, int]) -> None:
        """Record offsets the broker accepted for ``generation``."""
        for partition, offset in offsets.items():
            stint = self._stints.get(partition)
            if stint is not None and stint.generation == generation:
                stint.committed = max(stint.committed or 0, offset)

    def forget(self, partitions: Iterable[int]) -> None:
        """Partitions revoked: whatever comes for them next starts a new stint."""
        for partition in partitions:
            self._stints.pop(partition, None)

    def outstanding(self) -> int:
        return sum(len(stint.outstanding) for stint in self._stints.values())
