"""A graceful stop's last commit is bounded: with the brokers gone it would wait for ever."""

import asyncio
import logging
import time

from streams.worker import commits


def test_a_last_commit_that_never_ends_is_given_up_after_the_bound(monkeypatch, caplog):
    monkeypatch.setattr(commits, "STOP_COMMIT_S", 0.2)
    started = asyncio.Event()

    async def stuck() -> None:  # aiokafka retrying a flush to a broker that is gone
        started.set()
        await asyncio.Event().wait()

    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="streams.worker.commits"):
        asyncio.run(commits.commit_before_stop(stuck, "the raw topic"))
    assert started.is_set()
    assert time.monotonic() - t0 < 5
    assert "stopping without the last commit of the raw topic" in caplog.text


def test_a_last_commit_that_ends_is_awaited_whole():
    done = []

    async def commit() -> None:
        await asyncio.sleep(0.05)
        done.append(True)

    asyncio.run(commits.commit_before_stop(commit, "the aggregates"))
    assert done == [True]
