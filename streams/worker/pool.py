"""Long-lived NLP worker processes, so parsing uses every core and never blocks the event loop.

Each process loads the model once (in its initializer) and runs ``Engine.enrich_batch`` on the
chunks it is given. Only validated ``RawArticle`` models cross the process boundary, never raw
message bytes. The per-article time budget is enforced here, from outside: a chunk that overruns
its budget has its processes killed, and its articles are retried one by one so that only the
article that overruns is given up (``TimedOut``).
"""

import asyncio
import concurrent.futures
import multiprocessing
import os
import signal
import traceback
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Sequence

from schemas import RawArticle
from streams.nlp.engine import Engine, Enrichment

_ENGINE: Engine | None = None  # one per NLP process
CHUNKS_PER_PROCESS = 4
IPC_MARGIN_S = 0.5  # added to a chunk's budget for sending it to its process and the result back


def _init_process(model: str, exclude: tuple[str, ...], time_budget_s: float) -> None:
    # The worker's Ctrl-C is for the parent to handle; children stop when the pool shuts down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _load_engine(model, exclude, time_budget_s)


def _load_engine(model: str, exclude: tuple[str, ...], time_budget_s: float) -> None:
    global _ENGINE
    _ENGINE = Engine(model, exclude, time_budget_s)


def _run_chunk(articles: Sequence[RawArticle]) -> list[Enrichment]:
    assert _ENGINE is not None, "NLP process used before its initializer ran"
    return _ENGINE.enrich_batch(articles)


def _ping() -> int:
    return os.getpid()


class PoolClosed(Exception):
    """The pool was stopped (the worker is shutting down) while articles were in flight."""


@dataclass(frozen=True)
class Failed:
    """The engine raised on this article: a bug, reported with its traceback's last line."""

    message: str


@dataclass(frozen=True)
class TimedOut:
    """The article did not finish within its time budget."""

    seconds: float


Outcome = Enrichment | Failed | TimedOut


class NlpPool:
    """Runs the engine in ``processes`` child processes (0: in a thread of this process)."""

    def __init__(self, model: str, exclude: Sequence[str], time_budget_s: float, processes: int):
        self._args = (model, tuple(exclude), time_budget_s)
        self.time_budget_s = time_budget_s
        self.processes = processes
        self._executor: concurrent.futures.Executor | None = None
        self._generation = 0
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None  # what the lock and semaphore belong to

    def _new_executor(self) -> concurrent.futures.Executor:
        if self.processes == 0:
            # The engine lives in this process and a thread keeps the loop free; the budget cannot
            # be enforced from outside here (a thread cannot be killed): for tests and small setups.
            _load_engine(*self._args)
            return concurrent.futures.ThreadPoolExecutor(max_workers=1)
        # spawn, not fork: forking a process that runs an event loop and Kafka clients is unsafe.
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.processes, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_process, initargs=self._args,
        )

    async def start(self) -> None:
        """Start every process and wait until each has loaded the model."""
        self._closed = False
        self._executor = self._new_executor()
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._executor, _ping) for _ in range(max(self.processes, 1))))

    def stop(self) -> None:
        self._closed = True
        self._shutdown()

    def _shutdown(self) -> None:
        if self._executor is not None:
            self._kill_processes()
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    @property
    def started(self) -> bool:
        return self._executor is not None

    async def enrich(self, articles: Sequence[RawArticle]) -> list[Outcome]:
        """Enrich articles in order, spread over the processes; never raises for a bad article."""
        if not articles:
            return []
        self._bind_loop()
        # More chunks than processes: a process that finishes early takes the next chunk, so
        # long and short articles even out instead of one core idling at the end of a batch.
        chunks = _split(list(articles), max(self.processes, 1) * CHUNKS_PER_PROCESS)
        results = await asyncio.gather(*(self._enrich_chunk(c) for c in chunks))
        return [outcome for chunk in results for outcome in chunk]

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._restart_lock = asyncio.Lock()
            # At most one chunk per process in flight: a chunk's budget clock must start when it
            # runs, not while it waits in the executor's queue behind a slow neighbour.
            self._slots = asyncio.Semaphore(max(self.processes, 1))

    async def _enrich_chunk(self, chunk: list[RawArticle], retries: int = 2) -> list[Outcome]:
        try:
            async with self._slots:
                generation = self._generation
                return list(await self._submit(chunk, self.time_budget_s * len(chunk)))
        except asyncio.CancelledError:
            if asyncio.current_task().cancelling():
                raise  # this task is being cancelled (the worker is stopping)
            # Only the executor's future was cancelled, by a restart after another chunk failed.
            exc: Exception = BrokenProcessPool("cancelled by a pool restart")
        except Exception as e:  # noqa: BLE001 - one bad article must not sink its neighbours
            exc = e
        if self._closed:  # not the articles' fault: they must be processed again after restart
            raise PoolClosed()
        return await self._recover(chunk, exc, generation, retries)


    async def _recover(self, chunk: list[RawArticle], exc: Exception, generation: int,
                       retries: int) -> list[Outcome]:
        """After a failure: restart what died, then isolate the article responsible."""
        if isinstance(exc, asyncio.TimeoutError):
            await self._restart(generation)
            if len(chunk) == 1:
                return [TimedOut(self.time_budget_s)]
        elif isinstance(exc, BrokenProcessPool):
            # A process died: killed because another chunk overran, or crashed on its own.
            await self._restart(generation)
            if retries:
                return await self._enrich_chunk(chunk, retries - 1)
            if len(chunk) == 1:
                return [Failed("the NLP process died while parsing this article")]
        elif len(chunk) == 1:
            return [Failed("".join(traceback.format_exception_only(exc)).strip())]
        # Find the culprit: retry one by one, each with its own budget.
        return [o for article in chunk for o in await self._enrich_chunk([article])]

    async def _submit(self, chunk: list[RawArticle], timeout: float) -> list[Enrichment]:
        if self._closed:
            raise PoolClosed()
        if self._executor is None:
            await self.start()
        loop = asyncio.get_running_loop()
        # The processes are up (start() waited for them): the margin only covers passing the chunk.
        return await asyncio.wait_for(loop.run_in_executor(self._executor, _run_chunk, chunk), timeout + IPC_MARGIN_S)

    async def _restart(self, generation: int) -> None:
        async with self._restart_lock:
            if generation != self._generation:
                return  # another chunk already restarted the pool after the same failure
            self._shutdown()
            await self.start()
            self._generation += 1

    def _kill_processes(self) -> None:
        # ProcessPoolExecutor cannot cancel a running task; killing its processes is the only
        # way to take back a core from a parse that has overrun its budget.
        processes = getattr(self._executor, "_processes", None) or {}
        for process in list(processes.values()):
            if process.is_alive():
                process.kill()


def _split(items: list, parts: int) -> list[list]:
    """Split into at most ``parts`` contiguous, near-equal chunks (order kept)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks
