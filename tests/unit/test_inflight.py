"""InFlight: batches processed side by side, finished in submission order, offsets released only
after their batch is finished. The events are stand-ins with faust's reference counting: a message
is committed when its last reference is acknowledged (faust.types.tuples.Message.ack)."""

import asyncio

import pytest

from streams.worker.inflight import InFlight


class Message:
    def __init__(self, offset: int):
        self.offset = offset
        self.refcount = 1  # the stream's own reference, as faust sets it on delivery
        self.committable = False

    def incref(self) -> None:
        self.refcount += 1

    def ack(self) -> None:
        self.refcount -= 1
        if self.refcount == 0:
            self.committable = True


class Event:
    def __init__(self, offset: int):
        self.message = Message(offset)

    def ack(self) -> None:
        self.message.ack()


def take(*offsets: int) -> list[Event]:
    return [Event(o) for o in offsets]


def taken_and_acked_by_faust(events: list[Event]) -> list[Event]:
    """What take_events does once the agent asks for the next batch."""
    for e in events:
        e.ack()
    return events


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_batches_finish_in_submission_order_even_when_a_later_one_is_done_first():
    finished: list[int] = []
    started: list[int] = []

    async def process(events):
        first = events[0].message.offset
        started.append(first)
        await asyncio.sleep(0.2 if first == 0 else 0.01)  # the first batch is the slow one
        return first

    async def finish(events, result):
        finished.append(result)

    async def main():
        async with InFlight(3, process, finish) as inflight:
            for batch in (take(0, 1), take(2), take(3)):
                await inflight.submit(batch)
            await inflight.drain()

    run(main())
    assert started == [0, 2, 3]  # all three were processing before the first finished
    assert finished == [0, 2, 3]


def test_an_offset_is_committable_only_after_its_batch_is_finished():
    gate = asyncio.Event

    async def main():
        release_first = gate()
        batches = [take(0), take(1)]

        async def process(events):
            if events is batches[0]:
                await release_first.wait()

        async def finish(events, result):
            pass

        async with InFlight(2, process, finish) as inflight:
            for batch in batches:
                await inflight.submit(batch)
                taken_and_acked_by_faust(batch)
            await asyncio.sleep(0.05)
            # The second batch is processed, but finishing waits for the first: nothing committable.
            assert [e.message.committable for b in batches for e in b] == [False, False]
            release_first.set()
            await inflight.drain()
        return [e.message.committable for b in batches for e in b]

    assert run(main()) == [True, True]


def test_a_batch_that_fails_stays_uncommitted_and_the_next_goes_on():
    async def process(events):
        if events[0].message.offset == 0:
            raise RuntimeError("the pool was closed")
        return "ok"

    finished = []

    async def finish(events, result):
        finished.append(events[0].message.offset)

    async def main():
        batches = [take(0), take(1)]
        async with InFlight(1, process, finish) as inflight:
            for batch in batches:
                await inflight.submit(batch)
                taken_and_acked_by_faust(batch)
            await inflight.drain()
        return [e.message.committable for b in batches for e in b]

    assert run(main()) == [False, True]
    assert finished == [1]


def test_depth_bounds_the_batches_in_flight():
    running = 0
    peak = 0

    async def process(events):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1

    async def finish(events, result):
        pass

    async def main():
        async with InFlight(2, process, finish) as inflight:
            for offset in range(8):
                await inflight.submit(take(offset))
            await inflight.drain()

    run(main())
    assert peak == 2


def test_stopping_leaves_unfinished_batches_uncommitted():
    async def process(events):
        await asyncio.sleep(30)

    async def finish(events, result):
        pytest.fail("nothing finishes")

    async def main():
        batch = take(0, 1)
        async with InFlight(2, process, finish) as inflight:
            await inflight.submit(batch)
            taken_and_acked_by_faust(batch)
            await asyncio.sleep(0.01)
        return [e.message.committable for e in batch]

    assert run(main()) == [False, False]
