"""Batches in flight: processed side by side, finished strictly in the order they were taken.

Why: one batch at a time leaves every NLP process but one idle whenever batches are small, and at
moderate load a batch holds one or two articles; an article arriving meanwhile then waits for the
whole batch before its own parse starts. With several batches in flight each NLP process takes
the next one as soon as it is free, while one finisher task publishes the results batch by batch
in the order they were taken, so the output keeps the input's per-key order.

Order is also what makes the offsets safe (streams.worker.ledger): a batch is never finished
before every batch taken ahead of it, and a batch whose finishing fails is tried again, never
skipped, so a later batch cannot be counted done while an earlier one is not. A batch that never
finishes (the worker stops or is killed) is simply delivered again after the restart.
"""

import asyncio
import contextlib
import logging
from typing import Awaitable, Callable, Generic, Sequence, TypeVar

log = logging.getLogger(__name__)

B = TypeVar("B")  # a batch, as the agent took it
R = TypeVar("R")  # what processing it gave

FINISH_RETRY_S = (0.5, 1, 2, 5, 10)
# A batch still processing or finishing after this long is logged (and again each time as long
# again passes): a stall shows in the worker's log, with its stage, instead of as silence.
STALL_WARNING_S = 60.0


class InFlight(Generic[B, R]):
    """At most ``depth`` batches processing at once; ``finish`` runs on each, in submission order."""

    def __init__(self, depth: int, process: Callable[[B], Awaitable[R]],
                 finish: Callable[[B, R], Awaitable[None]], stall_warning_s: float = STALL_WARNING_S):
        self._stall_warning_s = stall_warning_s
        self._slots = asyncio.Semaphore(max(depth, 1))
        self._process = process
        self._finish = finish
        self._queue: asyncio.Queue[tuple[B, asyncio.Task]] = asyncio.Queue()
        self._finisher: asyncio.Task | None = None

    async def __aenter__(self) -> "InFlight[B, R]":
        self._finisher = asyncio.create_task(self._finish_in_order(), name="wirestream-finisher")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Stopping: unfinished batches are dropped; their offsets were never committed.
        tasks = [self._finisher] if self._finisher else []
        while not self._queue.empty():
            tasks.append(self._queue.get_nowait()[1])
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def submit(self, batch: B) -> None:
        """Start processing a batch; waits while ``depth`` batches are already in flight."""
        await self._slots.acquire()
        self._queue.put_nowait((batch, asyncio.create_task(self._process(batch))))

    async def drain(self) -> None:
        """Wait until every submitted batch is finished, or the finisher has ended (stopping)."""
        joined = asyncio.create_task(self._queue.join())
        waiting = {joined} | ({self._finisher} if self._finisher else set())
        try:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        finally:
            joined.cancel()

    async def _finish_in_order(self) -> None:
        while True:
            batch, task = await self._queue.get()
            try:
                # Processing raises only when the worker is stopping (the pool closed): then the
                # finisher ends too, and this batch and every later one stay uncommitted.
                result = await self._watched(task, "processing")
                await self._watched(self._finish_until_done(batch, result), "finishing (publishing, committing)")
            finally:
                self._slots.release()
                self._queue.task_done()

    async def _watched(self, awaitable: Awaitable, stage: str):
        """Await, logging a warning each time ``stall_warning_s`` passes without an end."""
        task = asyncio.ensure_future(awaitable)
        waited = 0.0
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self._stall_warning_s)
                if done:
                    return task.result()
                waited += self._stall_warning_s
                log.warning("a batch has been %s for %.0f s; later batches wait behind it", stage, waited)
        except asyncio.CancelledError:
            task.cancel()  # asyncio.wait leaves its task running; the stop must reach it
            raise

    async def _finish_until_done(self, batch: B, result: R) -> None:
        attempt = 0
        while True:
            try:
                await self._finish(batch, result)
                return
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the batch must finish before any later one does
                pause = FINISH_RETRY_S[min(attempt, len(FINISH_RETRY_S) - 1)]
                log.exception("finishing a batch failed; trying it again in %ss (later batches wait)", pause)
                attempt += 1
                await asyncio.sleep(pause)
