"""Accounting for the delivery guarantee in fault tests: every id enriched or dead-lettered.

A loss must fail in minutes, not at a long timeout, so the wait is on the consumer group's
committed offsets (read from the broker, as kafka-consumer-groups.sh does): once they reach the
end of the raw topic every message is finished, its records published before the commit; the
output topics are then read once and any missing id fails at once. The wait itself gives up
only when the committed offsets stop moving for ``stall_s``.
"""

import asyncio
import json
import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient

from tests.support.kafka_io import open_reader, partitions_of, read_topic


def group_progress(bootstrap: str, group: str, topic: str) -> tuple[int, int]:
    """(sum of the group's committed offsets, sum of the end offsets) over the topic's partitions."""

    async def run() -> tuple[int, int]:
        reader = await open_reader(bootstrap)
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            tps = await partitions_of(reader, topic)
            ends = await reader.end_offsets(tps)
            committed = await admin.list_consumer_group_offsets(group, partitions=tps)
            done = sum(max(meta.offset, 0) for tp, meta in committed.items() if tp in ends)
            return done, sum(ends.values())
        finally:
            await admin.close()
            await reader.stop()

    return asyncio.run(run())


def wait_until_all_committed(bootstrap: str, group: str, topic: str, stall_s: float = 180,
                             log=None) -> None:
    """Until the group has committed the end of every partition; fails when it stops moving."""
    last, moved_at = -1, time.monotonic()
    while True:
        try:
            done, end = group_progress(bootstrap, group, topic)
        except Exception:  # noqa: BLE001 - the broker may be restarting: that is no progress
            done, end = last, None
        if end is not None and done >= end:
            return
        if done != last:
            last, moved_at = done, time.monotonic()
        elif time.monotonic() - moved_at > stall_s:
            raise AssertionError(f"committed offsets of {group} stuck at {done} of {end} for {stall_s} s\n"
                                 f"{log() if log else ''}")
        time.sleep(1)


@dataclass
class Accounting:
    enriched: int
    unique: int
    duplicates: int
    dead_letters: int


def account_for(bootstrap: str, env: dict, ids: set[str], log=None) -> Accounting:
    """Every id enriched or dead-lettered, once the group has committed everything; duplicates identical."""
    wait_until_all_committed(bootstrap, env["WIRESTREAM_APP_ID"], env["WIRESTREAM_TOPIC_RAW"], log=log)
    enriched = read_topic(bootstrap, env["WIRESTREAM_TOPIC_ENRICHED"], until=lambda rs: True, timeout=60, idle=2)
    dead = read_topic(bootstrap, env["WIRESTREAM_TOPIC_DLQ"], until=lambda rs: True, timeout=30, idle=1)
    values: dict[str, set[bytes]] = {}
    for record in enriched:
        values.setdefault(json.loads(record.value)["id"], set()).add(record.value)
    dead_ids = {json.loads(r.value).get("article_id") for r in dead}
    lost = ids - set(values) - dead_ids
    assert not lost, f"lost {len(lost)} of {len(ids)}: {sorted(lost)[:12]}"
    differing = sorted(i for i, v in values.items() if len(v) > 1)
    assert not differing, f"duplicates that differ from their first delivery: {differing[:5]}"
    return Accounting(len(enriched), len(values), len(enriched) - len(values), len(dead))


@contextmanager
def cpu_hogs(n: int | None = None):
    """One busy loop per core beside the test, as on a shared CI machine."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n or os.cpu_count() or 1)]
    try:
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def kill_moments(seed: int, count: int, low: int, high: int) -> list[int]:
    """``count`` increasing numbers of enriched records at which to kill, drawn from the seed."""
    rng = random.Random(seed)
    return sorted(rng.sample(range(low, high), count))


def run_seed() -> int:
    """WIRESTREAM_TEST_SEED repeats a run; otherwise a new seed, which the test prints on failure."""
    return int(os.environ.get("WIRESTREAM_TEST_SEED") or time.time_ns() % 1_000_000)


def enriched_count(bootstrap: str, topic: str) -> int:
    async def run() -> int:
        reader = await open_reader(bootstrap)
        try:
            tps = await partitions_of(reader, topic)
            return sum((await reader.end_offsets(tps)).values()) if tps else 0
        finally:
            await reader.stop()

    return asyncio.run(run())


def wait_for_enriched(bootstrap: str, topic: str, n: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while enriched_count(bootstrap, topic) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {n} enriched records within {timeout} s")
        time.sleep(0.3)


def nlp_processes(worker_pid: int) -> list[int]:
    """The worker's NLP pool processes: its children started by multiprocessing's spawn."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == worker_pid and b"spawn_main" in cmdline:
            found.append(int(entry))
    return sorted(found)
