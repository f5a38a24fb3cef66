"""The root cause of issue 10, driven in-process through faust's own stream and bookkeeping.

What happens on the real broker (traced in docs/reliability.md, "Root cause"): when a consumer
generation starts, faust delivers records fetched before its recovery seeks the partition
back to the committed offset; the records fetched again after the seek are dropped while flow
control is still suspended, and the stream goes on past them. A run of offsets never reaches
the agent. faust's commit (the end of the first run of acknowledged offsets) then passes over
that hole while nothing is committed yet (its head check is skipped), or when the hole is one
offset long (its guard ``min(acked) - committed > 1`` is off by one, faust-streaming #606);
the skipped messages are lost, without any crash.

Here the agent function registered by ``streams.worker.agents.register`` runs over a real faust
Stream (``take_events`` and its acknowledgements), real ``ConsumerMessage`` events and the real
faust Consumer's ack and commit bookkeeping; the stream is handed offsets with such a hole.
Stand-ins: the NLP (batches produce no records), the broker's commit (recorded), and, for
Wirestream's own committer, the broker's answers (a log holding every offset, and a seek that
is recorded). The invariant: no offset at or past the first one never finished is committed,
by faust's bookkeeping or by Wirestream's.
"""

import asyncio
from types import SimpleNamespace

import faust
import pytest
from faust.types import TP
from faust.types.tuples import ConsumerMessage

from streams.settings import Settings
from streams.worker import agents
from streams.worker import app as worker_app
from streams.worker.processor import BatchResult

RAW = "articles.raw"
TP0 = TP(RAW, 0)


class Log:
    """The broker's side: every offset holds a record; the group's committed offset; seeks asked for."""

    def __init__(self, committed: int | None):
        self.committed_offset = committed
        self.seeks: list[int] = []

    async def committed(self, topic, partitions):
        return {} if self.committed_offset is None else {0: self.committed_offset}

    async def first_record(self, topic, partition, offset, timeout_s=10):
        return offset  # no gaps in this log: every offset holds a record

    async def records(self, topic, partition, start, end, limit=500, timeout_s=10):
        offsets = list(range(start, min(end, start + limit)))
        return [SimpleNamespace(offset=o, timestamp=0, key=b"k", value=b"{}") for o in offsets], start + len(offsets)

    async def close(self):
        pass


class Harness:
    """The worker's agent over an in-memory channel, with recorded commits."""

    def __init__(self, committed: int | None):
        settings = Settings(pool_processes=0, batch_size=4, batch_timeout_s=0.05, in_flight_batches=2)
        self.ws = worker_app.build(settings)
        agents.register(self.ws)
        self.app: faust.App = self.ws.app
        self.consumer = self.app.consumer
        self.consumer._committed_offset[TP0] = committed
        self.log = Log(committed)
        self.ws.offsets = self.log
        if hasattr(self.ws, "raw_commits"):
            self.ws.raw_commits.offsets = self.log
        self.published: set[int] = set()
        self.commits: list[int] = []
        self.ws.processor.process = self._process
        self.consumer._commit = self._record_commit
        self.consumer.seek = self._record_seek
        self.consumer.pause_partitions = self.consumer.resume_partitions = lambda tps: None
        self.consumer.assignment = lambda: {TP0}
        self.app.producer.flush = self._flush  # nothing is sent here: no broker to flush to
        self.channel = self.app.channel()
        self.gate = asyncio.Event()

    async def _flush(self) -> None:
        pass

    async def _gated_process(self, batch) -> BatchResult:
        await self.gate.wait()
        return await self._process(batch)

    async def _process(self, batch) -> BatchResult:
        self.published.update(m.origin.offset for m in batch)  # no records: published at once
        return BatchResult(outcomes={"enriched": len(batch)})

    async def _record_commit(self, offsets: dict[TP, int]) -> bool:
        if TP0 in offsets:
            self.commits.append(offsets[TP0])
        return True

    async def _record_seek(self, tp: TP, offset: int) -> None:
        self.log.seeks.append(offset)

    async def start(self) -> None:
        self.app.topics.add(self.ws.topics.raw)
        await self.app.topics._update_indices()
        self.app.flow_control.resume()
        self.app.consumer_generation_id = 1
        agent = next(a for a in self.app.agents.values() if a.name.endswith("enrich"))
        self.task = asyncio.create_task(agent.fun(self.channel.stream()))

    async def deliver(self, *offsets: int) -> None:
        for offset in offsets:
            message = ConsumerMessage(RAW, 0, offset, 0.0, 0, None, b"k", b"{}", None, tp=TP0, generation_id=1)
            message.incref()  # what the conductor does for the one channel it delivers to
            await self.channel.put(self.app.create_event(b"k", b"{}", None, message))
        await asyncio.sleep(0.3)  # let the stream, take_events and the finisher run

    def committable_by_faust(self) -> int | None:
        return self.consumer._filter_committable_offsets([TP0]).get(TP0)

    def lowest_unpublished(self) -> int:
        return min(set(range(self.log.committed_offset or 0, 200)) - self.published)

    async def stop(self) -> None:
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


async def commit_if_wirestream_commits(h: Harness) -> None:
    commit = getattr(agents, "commit_finished", None)  # the committer (absent before the fix)
    if commit is not None:
        await commit(h.ws)


@pytest.mark.parametrize("committed, delivered", [
    (None, [*range(36, 44)]),               # nothing committed yet, offsets 0-35 never delivered
    (8, [*range(9, 17)]),                   # committed 8, and offset 8 itself never delivered
    (20, [*range(20, 24), *range(60, 64)]),  # committed 20, offsets 24-59 never delivered
], ids=["hole-before-the-first-commit", "one-offset-hole-at-the-head", "long-hole-mid-stream"])
def test_offsets_the_stream_never_delivered_are_never_committed_over(committed, delivered):
    async def scenario() -> tuple[int | None, list[int], Harness]:
        h = Harness(committed)
        await h.start()
        await h.deliver(*delivered)
        await commit_if_wirestream_commits(h)
        by_faust = h.committable_by_faust()
        await h.stop()
        return by_faust, h.commits, h

    by_faust, commits, h = asyncio.run(asyncio.wait_for(scenario(), 20))
    lowest = h.lowest_unpublished()
    assert by_faust is None or by_faust <= lowest, f"faust would commit {by_faust} over unpublished offset {lowest}"
    assert all(c <= lowest for c in commits), f"committed {commits} over unpublished offset {lowest}"


def test_records_of_a_hole_are_fetched_processed_and_then_committed():
    async def scenario() -> Harness:
        h = Harness(None)
        await h.start()
        await h.deliver(*range(0, 4), *range(40, 44))  # 4-39 never delivered
        await agents.commit_finished(h.ws)             # finds the hole, fetches 4-39 itself
        await settle_commits(h, 44)
        await h.stop()
        return h

    h = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert set(range(0, 44)) <= h.published
    assert h.commits == sorted(h.commits) and h.commits[-1] == 44
    assert h.log.seeks == []  # fetched, not sought back: a seek is undone by faust's fetch loop


async def settle_commits(h: Harness, until: int) -> None:
    for _ in range(100):
        await asyncio.sleep(0.05)
        await agents.commit_finished(h.ws)
        if h.commits and h.commits[-1] >= until:
            return


def test_offsets_are_committed_once_published_and_in_order():
    async def scenario() -> list[int]:
        h = Harness(None)
        await h.start()
        await h.deliver(0, 1, 2, 3)
        await h.deliver(4, 5)
        for _ in range(50):
            if h.commits and h.commits[-1] == 6:
                break
            await asyncio.sleep(0.05)
        await h.stop()
        return h.commits

    commits = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert commits and commits == sorted(commits) and commits[-1] == 6


def test_a_skipped_tail_is_noticed_by_the_watch_fetched_and_processed():
    # offsets 4-9 were fetched (the consumer's position is 10) but never reached the agent, and
    # nothing more comes: no later offset reveals the hole, only the consumer's position does
    async def scenario() -> Harness:
        h = Harness(None)
        await h.start()
        await h.deliver(0, 1, 2, 3)

        async def position(tp):
            return 10

        h.consumer.position = position
        for _ in range(5):
            await h.ws.raw_commits.watch()
        assert not set(range(4, 10)) & h.published, "acted before the partition had stalled for long"
        await h.ws.raw_commits.watch()
        await settle_commits(h, 10)
        await h.stop()
        return h

    h = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert set(range(0, 10)) <= h.published
    assert h.commits[-1] == 10


def test_the_watch_leaves_partitions_alone_while_the_agent_is_busy():
    async def scenario() -> Harness:
        h = Harness(None)
        h.ws.processor.process = h._gated_process
        await h.start()
        await h.deliver(0, 1, 2, 3)  # taken, still processing
        h.consumer.assignment = lambda: {TP0}

        async def position(tp):
            return 10

        h.consumer.position = position
        for _ in range(8):
            await h.ws.raw_commits.watch()
        h.gate.set()
        await h.stop()
        return h

    h = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert h.log.seeks == [] and not set(range(4, 10)) & h.published


def test_without_a_way_to_hand_over_records_the_committer_seeks_back():
    # the aggregate agents' committers: their table writes need faust's own events
    async def scenario() -> Harness:
        h = Harness(None)
        h.ws.raw_commits.redeliver = None
        await h.start()
        await h.deliver(*range(0, 4), *range(40, 44))
        await agents.commit_finished(h.ws)
        await h.stop()
        return h

    h = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert h.log.seeks == [4]
    assert max(h.commits) == 4
