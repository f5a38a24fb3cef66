"""Batches in flight: processed side by side, published strictly in the order they were taken.

Why: one batch at a time leaves every NLP process but one idle whenever batches are small, and at
moderate load a batch holds one or two articles; an article arriving meanwhile then waits for the
whole batch before its own parse starts. With several batches in flight each NLP process takes
the next one as soon as it is free, while one publisher task sends the results batch by batch in
the order they were taken, so the output keeps the input's per-key order.

Offsets: ``take_events`` acknowledges a batch as soon as the agent asks for the next one. Each
message therefore gets one extra reference when taken (``hold``), released only once its batch's
records are acknowledged by Kafka (``release``); faust commits an offset when its last reference is
gone, so nothing is committed that was not published (at-least-once). A batch that never
publishes (the worker stops or is killed) keeps its reference and is delivered again.
"""

import asyncio
import contextlib
import logging
from typing import Awaitable, Callable, Generic, Sequence, TypeVar

import faust

log = logging.getLogger(__name__)

R = TypeVar("R")


def hold(events: Sequence[faust.EventT]) -> None:
    for event in events:
        event.message.incref()


def release(events: Sequence[faust.EventT]) -> None:
    for event in events:
        event.ack()  # the last reference: faust may now commit this offset


class InFlight(Generic[R]):
    """At most ``depth`` batches processing at once; ``finish`` runs on each, in submission order."""

    def __init__(self, depth: int,
                 process: Callable[[Sequence[faust.EventT]], Awaitable[R]],
                 finish: Callable[[Sequence[faust.EventT], R], Awaitable[None]]):
        self._slots = asyncio.Semaphore(max(depth, 1))
        self._process = process
        self._finish = finish
        self._queue: asyncio.Queue[tuple[Sequence[faust.EventT], asyncio.Task]] = asyncio.Queue()
        self._publisher: asyncio.Task | None = None

    async def __aenter__(self) -> "InFlight[R]":
        self._publisher = asyncio.create_task(self._finish_in_order(), name="wirestream-publisher")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Stopping: unfinished batches keep their extra reference, so their offsets stay uncommitted.
        tasks = [self._publisher] if self._publisher else []
        while not self._queue.empty():
            tasks.append(self._queue.get_nowait()[1])
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def submit(self, events: Sequence[faust.EventT]) -> None:
        """Start processing a batch; waits while ``depth`` batches are already in flight."""
        hold(events)
        await self._slots.acquire()
        task = asyncio.create_task(self._process(events))
        self._queue.put_nowait((events, task))

    async def drain(self) -> None:
        """Wait until every submitted batch is finished (the tests use it; the agent never ends)."""
        await self._queue.join()

    async def _finish_in_order(self) -> None:
        while True:
            events, task = await self._queue.get()
            try:
                await self._finish(events, await task)
                release(events)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the batch stays uncommitted and comes back after a restart
                log.exception("a batch of %d was not published; its offsets stay uncommitted", len(events))
            finally:
                self._slots.release()
                self._queue.task_done()
