"""InFlight: batches processed side by side, finished strictly in submission order; a batch whose
finishing fails is tried again and holds back every later batch (so nothing later can be counted
done, and committed, ahead of it)."""

import asyncio

import pytest

from streams.worker import inflight as inflight_module
from streams.worker.inflight import InFlight


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 10))


def test_batches_finish_in_submission_order_even_when_a_later_one_is_done_first():
    finished: list[int] = []
    started: list[int] = []

    async def process(batch):
        started.append(batch)
        await asyncio.sleep(0.2 if batch == 0 else 0.01)  # the first batch is the slow one
        return batch

    async def finish(batch, result):
        finished.append(result)

    async def main():
        async with InFlight(3, process, finish) as inflight:
            for batch in (0, 1, 2):
                await inflight.submit(batch)
            await inflight.drain()

    run(main())
    assert started == [0, 1, 2]  # all three were processing before the first finished
    assert finished == [0, 1, 2]


def test_a_later_batch_waits_while_an_earlier_one_is_still_processing():
    finished: list[int] = []

    async def main():
        release_first = asyncio.Event()

        async def process(batch):
            if batch == 0:
                await release_first.wait()

        async def finish(batch, result):
            finished.append(batch)

        async with InFlight(2, process, finish) as inflight:
            await inflight.submit(0)
            await inflight.submit(1)
            await asyncio.sleep(0.05)
            assert finished == []  # batch 1 is processed, but its turn has not come
            release_first.set()
            await inflight.drain()

    run(main())
    assert finished == [0, 1]


def test_a_failed_finish_is_retried_and_holds_back_later_batches(monkeypatch):
    monkeypatch.setattr(inflight_module, "FINISH_RETRY_S", (0.01,))
    attempts: list[int] = []

    async def process(batch):
        return batch

    async def finish(batch, result):
        attempts.append(batch)
        if batch == 0 and attempts.count(0) < 3:
            raise RuntimeError("the broker is away")

    async def main():
        async with InFlight(2, process, finish) as inflight:
            await inflight.submit(0)
            await inflight.submit(1)
            await inflight.drain()

    run(main())
    assert attempts == [0, 0, 0, 1]


def test_processing_that_raises_ends_the_finisher_and_no_later_batch_finishes():
    # processing raises only when the worker is stopping (the pool closed)
    finished: list[int] = []

    async def process(batch):
        if batch == 0:
            raise RuntimeError("the pool was closed")

    async def finish(batch, result):
        finished.append(batch)

    async def main():
        async with InFlight(2, process, finish) as inflight:
            await inflight.submit(0)
            await inflight.submit(1)
            await inflight.drain()  # returns: the finisher has ended

    run(main())
    assert finished == []


def test_depth_bounds_the_batches_in_flight():
    running = 0
    peak = 0

    async def process(batch):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1

    async def finish(batch, result):
        pass

    async def main():
        async with InFlight(2, process, finish) as inflight:
            for batch in range(8):
                await inflight.submit(batch)
            await inflight.drain()

    run(main())
    assert peak == 2


def test_stopping_finishes_nothing_more():
    async def process(batch):
        await asyncio.sleep(30)

    async def finish(batch, result):
        pytest.fail("nothing finishes")

    async def main():
        async with InFlight(2, process, finish) as inflight:
            await inflight.submit(0)
            await asyncio.sleep(0.01)

    run(main())


def test_a_stalled_batch_is_logged_with_its_stage(caplog):
    async def process(batch):
        await asyncio.sleep(0.25)
        return batch

    async def finish(batch, result):
        await asyncio.sleep(0.25)

    async def main():
        async with InFlight(1, process, finish, stall_warning_s=0.1) as inflight:
            await inflight.submit(0)
            await inflight.drain()

    with caplog.at_level("WARNING", logger=inflight_module.__name__):
        run(main())
    stalls = [r.getMessage() for r in caplog.records if "later batches wait behind it" in r.getMessage()]
    assert any(m.startswith("a batch has been processing for") for m in stalls)
    assert any(m.startswith("a batch has been finishing") for m in stalls)


def test_stopping_cancels_the_batch_being_watched():
    cancelled = []

    async def process(batch):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(batch)
            raise

    async def finish(batch, result):
        pass

    async def main():
        async with InFlight(1, process, finish, stall_warning_s=0.05) as inflight:
            await inflight.submit(0)
            await asyncio.sleep(0.2)  # the finisher has taken the batch and is watching it
        await asyncio.sleep(0.05)
        return list(cancelled)  # before asyncio.run's own clean-up could cancel it

    assert run(main()) == [0]
