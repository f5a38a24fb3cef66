"""Which raw offsets may be committed: per partition, nothing at or past an offset not yet finished.

Why Wirestream keeps this itself instead of trusting faust (docs/reliability.md, "The commit
rule"). faust-streaming 0.15 commits the end of the first run of offsets its streams have
acknowledged; that is only right if every offset reaches a stream. It does not: when a
generation starts, records fetched before faust's recovery seeks the partition back to its
committed offset are delivered, and the ones fetched again after the seek are dropped while
flow control is still suspended, so the stream goes on from where the early fetch ended and a
run of offsets is never delivered at all. faust then commits over that hole (while nothing is
committed yet its head check is skipped; with one offset missing its guard is off by one,
faust-streaming #606), and the messages are lost without any crash; with a longer hole its
commits stop for good. Here a partition's offset only moves over offsets this worker finished
(published or dead-lettered), or over a hole the broker confirms holds no record.

Per raw partition, within one run of in-order delivery (a "stint"):

    committable = the lowest of: offsets taken and not finished, starts of unconfirmed holes;
                  1 + the highest offset taken if there is none of those;
                  nothing at all while the stint's own start is unconfirmed.

The start of a stint is confirmed when the broker's committed offset for the partition is the
stint's first offset (or no record lies between the two); a hole inside a stint when no record
lies inside it (transaction markers, compaction). Both checks are the committer's, against the
broker (streams.worker.commits); this module is pure bookkeeping.

A stint ends when the order breaks: a new consumer-group generation, or an offset at or below
one already taken (a seek back). The old stint's bookkeeping is dropped; its batches finishing
later change nothing, since their messages come again in the new stint, as duplicates.
"""

import itertools
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple


class Ticket(NamedTuple):
    """One taken message, as the ledger knows it; handed back when the message is finished."""

    partition: int
    stint: int
    offset: int


class Check(NamedTuple):
    """Offsets the broker must confirm hold no record: [start, end) of ``partition``.

    ``start`` is None for a stint's beginning: from the group's committed offset, whatever it is."""

    partition: int
    stint: int
    start: int | None
    end: int


@dataclass
class _Stint:
    number: int
    generation: int
    start: int                     # the first offset taken in this stint
    start_confirmed: bool = False  # nothing unseen lies between the committed offset and start
    outstanding: set[int] = field(default_factory=set)
    holes: dict[int, int] = field(default_factory=dict)  # unconfirmed [start, end) inside the stint
    next_offset: int = 0           # 1 + the highest offset taken in this stint
    committed: int | None = None   # the last offset committed in this stint

    def committable(self) -> int | None:
        if not self.start_confirmed:
            return None
        stops = self.outstanding | set(self.holes)
        offset = min(stops) if stops else self.next_offset
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
            stint = self._stints[partition] = _Stint(next(self._numbers), generation, offset, next_offset=offset)
        if offset > stint.next_offset:
            stint.holes[stint.next_offset] = offset  # offsets never delivered: a gap in the log, or skipped
        stint.outstanding.add(offset)
        stint.next_offset = offset + 1
        return Ticket(partition, stint.number, offset)

    def finish(self, ticket: Ticket) -> None:
        stint = self._live(ticket.partition, ticket.stint)
        if stint is not None:
            stint.outstanding.discard(ticket.offset)

    def checks(self, generation: int) -> list[Check]:
        """What the broker must confirm before the partitions of ``generation`` can commit further."""
        out = []
        for partition, stint in self._stints.items():
            if stint.generation != generation:
                continue
            if not stint.start_confirmed:
                out.append(Check(partition, stint.number, None, stint.start))
            out += [Check(partition, stint.number, a, b) for a, b in sorted(stint.holes.items())]
        return out

    def confirm(self, check: Check) -> None:
        """The broker holds no record in the checked range: the offset may move over it."""
        stint = self._live(check.partition, check.stint)
        if stint is None:
            return
        if check.start is None:
            stint.start_confirmed = True
        else:
            stint.holes.pop(check.start, None)

    def fill(self, check: Check, begin: int, offsets: list[int], through: int) -> list[Ticket]:
        """Records of a checked stretch [begin, through) the worker fetched itself: outstanding
        from now on, like taken ones. What is left of the stretch, [through, end), stays a hole."""
        stint = self._live(check.partition, check.stint)
        if stint is None:
            return []
        if check.start is None:  # the stretch before the stint: the stint now begins where it does
            stint.start, stint.start_confirmed = begin, True
        else:
            stint.holes.pop(check.start, None)
        if through < check.end:
            stint.holes[through] = check.end
        stint.outstanding.update(offsets)
        return [Ticket(check.partition, stint.number, o) for o in offsets]

    def fill_tail(self, generation: int, partition: int, begin: int, offsets: list[int]) -> list[Ticket]:
        """Records from ``begin`` on the worker fetched itself because they never came (a skipped
        tail); ``begin`` is where the stint ends, or the committed offset if there is none yet."""
        if not offsets:
            return []
        stint = self._stints.get(partition)
        if stint is None or stint.generation != generation:
            stint = self._stints[partition] = _Stint(next(self._numbers), generation, begin,
                                                     start_confirmed=True, next_offset=begin)
        stint.outstanding.update(offsets)
        stint.next_offset = max(stint.next_offset, max(offsets) + 1)
        return [Ticket(partition, stint.number, o) for o in offsets]

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

    def progress(self, generation: int, partition: int) -> tuple[int, int] | None:
        """(next offset expected, offsets outstanding) of the partition's stint in ``generation``."""
        stint = self._stints.get(partition)
        if stint is None or stint.generation != generation:
            return None
        return stint.next_offset, len(stint.outstanding)

    def outstanding(self) -> int:
        return sum(len(stint.outstanding) for stint in self._stints.values())

    def _live(self, partition: int, number: int) -> _Stint | None:
        stint = self._stints.get(partition)
        return stint if stint is not None and stint.number == number else None
