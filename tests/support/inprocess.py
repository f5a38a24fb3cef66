"""An NLP pool that runs the engine in this process (pool size 0), for unit tests."""

import asyncio
import contextlib
import signal
from typing import Iterator

from streams.worker.pool import NlpPool
from streams.settings import Settings


@contextlib.contextmanager
def in_process_pool(settings: Settings) -> Iterator[NlpPool]:
    handler = signal.getsignal(signal.SIGINT)
    pool = NlpPool(settings.model, settings.excluded_components, settings.time_budget_s, processes=0)
    asyncio.run(pool.start())
    signal.signal(signal.SIGINT, handler)  # the in-process engine's initializer ignores Ctrl-C
    try:
        yield pool
    finally:
        pool.stop()
