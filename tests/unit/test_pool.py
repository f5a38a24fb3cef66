"""streams.worker.pool: splitting, the recovery logic (with a fake submit), and one real NLP process."""

import asyncio
import os
import signal
import threading
import time
import types
from concurrent.futures.process import BrokenProcessPool

import pytest

import streams.worker.pool
from schemas import RawArticle
from streams.nlp.engine import Enrichment
from streams.worker.pool import CHUNKS_PER_PROCESS, Failed, NlpPool, PoolClosed, TimedOut, _split
from streams.settings import Settings

SETTINGS = Settings()


def raw(article_id: str, body: str = "Ann Lee said the talks would go on.", **fields) -> RawArticle:
    return RawArticle(id=article_id, title=f"Title {article_id}", body=body, **fields)


# --- _split ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, parts, expected", [
    (5, 2, [[0, 1, 2], [3, 4]]),
    (6, 3, [[0, 1], [2, 3], [4, 5]]),
    (7, 3, [[0, 1, 2], [3, 4], [5, 6]]),
    (2, 4, [[0], [1]]),
    (3, 1, [[0, 1, 2]]),
    (3, 0, [[0, 1, 2]]),
    (1, 8, [[0]]),
])
def test_split(n, parts, expected):
    assert _split(list(range(n)), parts) == expected


# --- recovery, with a fake submit and no processes ------------------------------------------------

class FakeExecutor:
    def shutdown(self, wait=True, cancel_futures=False):
        pass


class Scripted(NlpPool):
    """An NlpPool whose chunks are 'run' by a script: an article id decides what happens to its chunk."""

    def __init__(self, processes: int = 1, crashes: int = 0):
        super().__init__("no-model", (), 2.5, processes)
        self.submitted: list[list[str]] = []
        self.timeouts: list[float] = []
        self.starts = 0
        self.crashes = crashes  # how many times a chunk with "crash" in it breaks the pool

    async def start(self):
        self.starts += 1
        self._executor = FakeExecutor()

    async def _submit(self, chunk, timeout):
        if self._closed:
            raise PoolClosed()
        if self._executor is None:
            await self.start()
        ids = [a.id for a in chunk]
        self.submitted.append(ids)
        self.timeouts.append(timeout)
        await asyncio.sleep(0)  # let concurrent chunks interleave, as real ones do
        if "slow" in ids:
            raise asyncio.TimeoutError()
        if "bug" in ids:
            raise ValueError("boom")
        if "crash" in ids and self.crashes:
            self.crashes -= 1
            raise BrokenProcessPool("a child process terminated abruptly")
        if "dies" in ids:
            raise BrokenProcessPool("a child process terminated abruptly")
        return [a.id for a in chunk]  # stands for the Enrichment


def enrich(pool: NlpPool, ids: list[str]):
    return asyncio.run(pool.enrich([raw(i) for i in ids]))


def test_chunks_follow_the_process_count():
    ids = [f"a{i}" for i in range(4 * CHUNKS_PER_PROCESS + 1)]
    pool = Scripted(processes=2)
    assert enrich(pool, ids) == ids
    assert pool.submitted == _split(ids, 2 * CHUNKS_PER_PROCESS)
    assert pool.timeouts == [2.5 * len(chunk) for chunk in pool.submitted]  # the budget per article in the chunk
    assert pool.starts == 1


@pytest.fixture
def one_chunk_per_process(monkeypatch):
    """The recovery tests below reason about whole chunks: one per process."""
    monkeypatch.setattr(streams.worker.pool, "CHUNKS_PER_PROCESS", 1)


def test_nothing_to_do():
    pool = Scripted()
    assert (enrich(pool, []), pool.submitted, pool.starts) == ([], [], 0)


@pytest.mark.usefixtures("one_chunk_per_process")
def test_a_timeout_isolates_the_slow_article():
    pool = Scripted()
    assert enrich(pool, ["a", "slow", "b"]) == ["a", TimedOut(2.5), "b"]
    assert pool.submitted == [["a", "slow", "b"], ["a"], ["slow"], ["b"]]
    assert pool.starts == 3  # the first start, then a restart per timeout (chunk, then the single article)


@pytest.mark.usefixtures("one_chunk_per_process")
def test_an_engine_exception_fails_only_its_article():
    pool = Scripted()
    assert enrich(pool, ["a", "bug", "b"]) == ["a", Failed("ValueError: boom"), "b"]
    assert pool.submitted == [["a", "bug", "b"], ["a"], ["bug"], ["b"]]
    assert pool.starts == 1  # an exception in the engine leaves the processes alive


@pytest.mark.usefixtures("one_chunk_per_process")
def test_a_broken_pool_is_restarted_and_the_chunk_retried():
    pool = Scripted(crashes=1)
    assert enrich(pool, ["a", "crash"]) == ["a", "crash"]
    assert pool.submitted == [["a", "crash"], ["a", "crash"]]
    assert pool.starts == 2


@pytest.mark.usefixtures("one_chunk_per_process")
def test_an_article_that_always_kills_its_process_is_failed():
    pool = Scripted()
    assert enrich(pool, ["a", "dies"]) == ["a", Failed("the NLP process died while parsing this article")]
    # the chunk three times (two retries), then one by one: "dies" three times again
    assert pool.submitted == [["a", "dies"]] * 3 + [["a"]] + [["dies"]] * 3
    assert pool.starts == 1 + 6


@pytest.mark.usefixtures("one_chunk_per_process")
def test_concurrent_failures_restart_once():
    pool = Scripted(processes=2, crashes=2)
    assert enrich(pool, ["crash", "crash"]) == ["crash", "crash"]
    assert pool.starts == 2  # both chunks broke on the same generation: one restart


def test_a_stopped_pool_raises_pool_closed():
    pool = Scripted()
    enrich(pool, ["a"])
    pool.stop()
    with pytest.raises(PoolClosed):
        enrich(pool, ["b"])
    assert (pool.submitted, pool.started) == ([["a"]], False)


# --- one real NLP process -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_pool():
    pool = NlpPool(SETTINGS.model, SETTINGS.excluded_components, SETTINGS.time_budget_s, processes=1)
    asyncio.run(pool.start())
    yield pool
    pool.stop()


def test_real_pool_enriches_in_order(real_pool):
    articles = [raw("r-1", "Ann Lee, the mayor of Springfield, said the bridge would reopen in May."),
                raw("r-2", "Die Brücke wird im Mai wieder geöffnet, sagte die Bürgermeisterin.", language="de"),
                raw("r-3", '"We are ready," said John Smith, the UN envoy, in Geneva on Friday.')]
    outcomes = asyncio.run(real_pool.enrich(articles))
    assert [type(o) for o in outcomes] == [Enrichment] * 3
    assert [(o.title, o.body) for o in outcomes] == [(a.title, a.body) for a in articles]
    assert [(o.language, o.flags) for o in outcomes] == [("en", ()), ("de", ("language_skipped",)), ("en", ())]
    assert (outcomes[1].entities, outcomes[1].statements) == ([], [])
    assert "John Smith" in {e.name for e in outcomes[2].entities}
    assert [o.words for o in outcomes] == [13 + 2, 10 + 2, 13 + 2]


@pytest.mark.usefixtures("one_chunk_per_process")  # the three articles share one chunk
def test_real_engine_exception_is_failed_and_neighbours_survive(real_pool):
    broken = RawArticle.model_construct(id="r-bad", title="", body=None)  # the engine cannot prepare it
    outcomes = asyncio.run(real_pool.enrich([raw("r-4"), broken, raw("r-5")]))
    assert [type(o) for o in outcomes] == [Enrichment, Failed, Enrichment]
    assert outcomes[1].message.startswith("TypeError: ")
    assert [o.body for o in (outcomes[0], outcomes[2])] == [raw("r-4").body, raw("r-5").body]


def test_real_process_killed_from_outside_is_replaced(real_pool):
    [old_pid] = list(real_pool._executor._processes)
    os.kill(old_pid, signal.SIGKILL)
    time.sleep(0.2)
    started = time.perf_counter()
    outcomes = asyncio.run(real_pool.enrich([raw("r-6")]))
    assert [type(o) for o in outcomes] == [Enrichment]
    assert list(real_pool._executor._processes) != [old_pid]
    assert time.perf_counter() - started < 60


# --- a chunk's deadline runs only while it runs, not while it waits in the queue -----------------

@pytest.fixture
def sleepy_engine(monkeypatch):
    """An in-thread 'engine' without a model: an article named "slow" blocks until released,
    every other article takes ``per_article`` seconds."""
    release = threading.Event()
    state = types.SimpleNamespace(per_article=0.0, release=release)

    def run_chunk(chunk):
        for article in chunk:
            if article.id == "slow":
                release.wait(30)
            time.sleep(state.per_article)
        return [article.id for article in chunk]

    monkeypatch.setattr(streams.worker.pool, "CHUNKS_PER_PROCESS", 4)
    monkeypatch.setattr(streams.worker.pool, "_init_process", lambda *args: None)
    monkeypatch.setattr(streams.worker.pool, "_load_engine", lambda *args: None)
    monkeypatch.setattr(streams.worker.pool, "_run_chunk", run_chunk)
    yield state
    release.set()


async def started_and_enriched(pool: NlpPool, ids: list[str]):
    await pool.start()  # as in the worker: started before the first batch
    return await pool.enrich([raw(i) for i in ids])


@pytest.mark.slow
def test_only_the_slow_article_times_out(sleepy_engine):
    pool = NlpPool("no-model", (), 0.01, processes=0)  # one worker thread, four chunks of one article
    try:
        outcomes = asyncio.run(started_and_enriched(pool, ["slow", "b", "c", "d"]))  # ~0.5 s: the IPC margin
    finally:
        pool.stop()
    assert outcomes == [TimedOut(0.01), "b", "c", "d"]


def test_a_restart_does_not_cancel_other_chunks(sleepy_engine, monkeypatch):
    real_wait_for = asyncio.wait_for
    # the pool's IPC margin, shrunk to 0.05 s so that this runs in about a second
    monkeypatch.setattr(asyncio, "wait_for", lambda aw, timeout: real_wait_for(aw, timeout - 0.45))
    sleepy_engine.per_article = 0.09  # each article within its 0.1 s budget
    ids = [f"a{i}" for i in range(16)]
    pool = NlpPool("no-model", (), 0.1, processes=0)
    try:
        outcomes = asyncio.run(started_and_enriched(pool, ids))
    finally:
        pool.stop()
    assert len(outcomes) == len(ids)
