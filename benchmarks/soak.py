"""Chaos soak (not in CI): many articles, on a busy machine, through kills, broker restarts and rebalances.

    python benchmarks/soak.py [--articles 20000] [--kills 10] [--broker-restarts 2] [--rebalances 2]
                              [--nodes 3] [--hogs 1] [--max-chars 1500] [--bad-every 200] [--seed 1] [--json]

Starts a fresh Kafka cluster of --nodes brokers (deploy/kafka/cluster.sh; 1: the single broker),
--hogs CPU-bound busy loops for the whole run, and a worker; publishes N articles (PolNeAR dev
from ../shared, repeated under new ids, each cut at a paragraph break to at most --max-chars
characters so that a run takes tens of minutes; 0 keeps them whole) with one malformed message
from the test catalogue after every --bad-every articles. At random moments while the work goes
on it: kills the worker and its NLP processes with SIGKILL (or, one time in three, one NLP process
alone) and starts a new worker; restarts one broker after another (stop, start, wait until every
partition is back in sync); and lets a second worker join the group and later leave it (two
rebalances each). At the end, once the group has committed the end of the raw topic, every key
published must be on articles.enriched (articles) or articles.dlq (bad messages, with the reason
the catalogue expects): the report gives the count lost (must be 0), the duplicates, and whether
every duplicate is byte-identical (dead letters too: their time is a header). Exit status 0 only
if nothing is lost or altered.
"""

import argparse
import asyncio
import hashlib
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.broker import start_broker  # noqa: E402
from tests.support.cluster import start_cluster  # noqa: E402
from tests.support.delivery import cpu_hogs, group_progress, nlp_processes  # noqa: E402
from tests.support.kafka_io import open_reader, partitions_of, produce  # noqa: E402
from tests.support.malformed import catalogue  # noqa: E402
from tests.support.paths import POLNEAR_ARTICLES  # noqa: E402
from tests.support.worker import Worker  # noqa: E402

TOPICS = {"raw": "soak.raw", "enriched": "soak.enriched", "dlq": "soak.dlq",
          "entities": "soak.entities", "statements": "soak.statements"}
ENV = {"WIRESTREAM_APP_ID": "soak", "WIRESTREAM_LOG_LEVEL": "WARNING",
       **{f"WIRESTREAM_TOPIC_{name.upper()}": topic for name, topic in TOPICS.items()}}


# ---------------------------------------------------------------- input
def cut(body: str, max_chars: int) -> str:
    """The leading paragraphs of a body, at most max_chars long (at least the first paragraph)."""
    if not max_chars or len(body) <= max_chars:
        return body
    kept: list[str] = []
    for paragraph in body.split("\n"):
        if kept and sum(len(p) + 1 for p in kept) + len(paragraph) > max_chars:
            break
        kept.append(paragraph)
    return "\n".join(kept)


def messages(n: int, max_chars: int, bad_every: int) -> tuple[list[tuple[bytes, bytes | None]], dict[bytes, str]]:
    """The keyed messages to publish, and the dead-letter reason expected for each bad one."""
    base = [json.loads(line) for line in POLNEAR_ARTICLES.read_text().splitlines() if line.strip()]
    bad_cases = catalogue()
    out: list[tuple[bytes, bytes]] = []
    expected_reasons: dict[bytes, str] = {}
    for i in range(n):
        article = base[i % len(base)]
        article = {**article, "id": f"soak-{i:06d}", "body": cut(article["body"], max_chars)}
        out.append((article["id"].encode(), json.dumps(article).encode()))
        if bad_every and i % bad_every == bad_every - 1:
            bad = bad_cases[(i // bad_every) % len(bad_cases)]
            key = f"soak-bad-{i:06d}".encode()
            out.append((key, bad.value))
            expected_reasons[key] = bad.reason
    return out, expected_reasons


# ---------------------------------------------------------------- reading the output
def records_on(bootstrap: str, *topics: str) -> int:
    """Records on the topics so far (sum of their partitions' end offsets): cheap progress."""
    async def run() -> int:
        consumer = await open_reader(bootstrap)
        try:
            tps = [tp for topic in topics for tp in await partitions_of(consumer, topic)]
            return sum((await consumer.end_offsets(tps)).values()) if tps else 0
        finally:
            await consumer.stop()
    return asyncio.run(run())


def digests(bootstrap: str, topic: str) -> dict[bytes, list[tuple[str, bytes]]]:
    """Key -> [(sha256 of value, value if it is a dead letter)] for every record now on the topic."""
    async def run() -> dict[bytes, list[tuple[str, bytes]]]:
        consumer = await open_reader(bootstrap)
        out: dict[bytes, list[tuple[str, bytes]]] = defaultdict(list)
        try:
            tps = await partitions_of(consumer, topic)
            if not tps:
                return out
            ends = await consumer.end_offsets(tps)
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
                for batch in (await consumer.getmany(timeout_ms=1000)).values():
                    for m in batch:
                        value = m.value or b""
                        out[m.key].append((hashlib.sha256(value).hexdigest(), value if topic == TOPICS["dlq"] else b""))
        finally:
            await consumer.stop()
        return out
    return asyncio.run(run())


def wait_until(condition, timeout: float, pause: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(pause)
    return False


# ---------------------------------------------------------------- the run
def schedule(rng: random.Random, args: argparse.Namespace) -> list[tuple[float, str]]:
    """(share of the articles enriched, event) in order: kills, broker restarts, joins and leaves.

    Spread over 5-90 % of the run; each join is followed, a few events later, by its leave."""
    events = ["kill"] * args.kills + ["broker"] * args.broker_restarts
    rng.shuffle(events)
    after = 0  # one second worker at a time: each join after the previous leave
    for _ in range(args.rebalances):
        join = rng.randint(after, len(events))
        events.insert(join, "join")
        leave = rng.randint(join + 1, len(events))
        events.insert(leave, "leave")
        after = leave + 1
    moments = sorted(rng.uniform(0.05, 0.9) for _ in events)
    return list(zip(moments, events))


class Soak:
    """The cluster, the workers and what was done to them."""

    def __init__(self, args: argparse.Namespace, tmp: Path):
        self.args, self.tmp = args, tmp
        self.rng = random.Random(args.seed)
        self.kafka = start_cluster(tmp / "kafka", args.nodes) if args.nodes > 1 else start_broker(tmp / "kafka")
        self.env = {**ENV, **({"WIRESTREAM_TOPIC_REPLICATION": str(args.nodes)} if args.nodes > 1 else {}),
                    "WIRESTREAM_KAFKA_SESSION_TIMEOUT_S": "15"}
        self.names = iter(range(1000))
        self.worker = self.new_worker()
        self.second = None
        self.done: list[dict] = []

    def new_worker(self) -> Worker:
        return Worker(self.kafka, self.env, self.tmp, name=f"soak{next(self.names)}").start(wait_ready=300)

    def enriched(self) -> int:
        return records_on(self.kafka.bootstrap, TOPICS["enriched"])

    def act(self, event: str, started: float) -> None:
        record = {"event": event, "after_enriched_records": self.enriched(), "at_s": round(time.monotonic() - started)}
        if event == "kill":
            pool = nlp_processes(self.worker.process.pid)
            if pool and self.rng.random() < 1 / 3:
                os.kill(self.rng.choice(pool), signal.SIGKILL)
                record["event"] = "kill NLP process"
            else:
                self.worker.kill()
                record["event"] = "kill worker"
                self.worker = self.new_worker()
        elif event == "broker" and self.args.nodes > 1:
            node = 1 + len([d for d in self.done if d["event"].startswith("restart")]) % self.args.nodes
            self.kafka.stop_node(node)
            self.kafka.start_node(node)
            self.kafka.wait_in_sync(timeout=300)
            record["event"] = f"restart broker {node}"
        elif event == "broker":
            self.kafka.stop()
            self.kafka.start()
            record["event"] = "restart broker"
        elif event == "join" and self.second is None:
            self.second = self.new_worker()
            record["event"] = "second worker joins"
        elif event == "leave" and self.second is not None:
            self.second.stop()
            self.second = None
            record["event"] = "second worker leaves"
        else:
            return
        self.done.append(record)

    def wait_all_committed(self, total: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                done, end = group_progress(self.kafka.bootstrap, ENV["WIRESTREAM_APP_ID"], TOPICS["raw"])
                if end >= total and done >= end:
                    return
            except Exception:  # noqa: BLE001 - a broker restarting: ask again
                pass
            time.sleep(5)

    def stop(self) -> None:
        for worker in (self.second, self.worker):
            if worker is not None:
                worker.stop()
        self.kafka.stop()


def soak(args: argparse.Namespace) -> dict:
    published, expected_reasons = messages(args.articles, args.max_chars, args.bad_every)
    keys = {key for key, _ in published}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wirestream-soak-") as tmp, cpu_hogs(args.hogs):
        run = Soak(args, Path(tmp))
        try:
            produce(run.kafka.bootstrap, TOPICS["raw"], published)
            for share, event in schedule(run.rng, args):
                wait_until(lambda: run.enriched() >= int(args.articles * share), args.timeout)
                time.sleep(run.rng.uniform(0, 3))
                run.act(event, started)
            run.wait_all_committed(len(published), args.timeout)
            enriched = digests(run.kafka.bootstrap, TOPICS["enriched"])
            dead = digests(run.kafka.bootstrap, TOPICS["dlq"])
            seconds = time.monotonic() - started
        finally:
            run.stop()
    return account(args, keys, expected_reasons, enriched, dead, run.done, seconds)


def account(args, keys, expected_reasons, enriched, dead, kills, seconds) -> dict:
    out_keys = set(enriched) | set(dead)
    wrong_reason = [k.decode() for k, reason in expected_reasons.items()
                    if k in dead and any(json.loads(v)["reason"] != reason for _, v in dead[k])]
    records = {**{("enriched", k): v for k, v in enriched.items()}, **{("dlq", k): v for k, v in dead.items()}}
    return {
        "articles": args.articles,
        "bad_messages": len(expected_reasons),
        "max_chars": args.max_chars,
        "events": kills,
        "lost": len(keys - out_keys),
        "lost_keys": sorted(k.decode() for k in keys - out_keys)[:20],
        "articles_dead_lettered": sorted(k.decode() for k in set(dead) - set(expected_reasons))[:20],
        "bad_with_unexpected_reason": wrong_reason,
        "enriched_records": sum(len(v) for v in enriched.values()),
        "dead_letter_records": sum(len(v) for v in dead.values()),
        "duplicates": sum(len(v) - 1 for v in records.values()),
        "duplicates_identical": all(len({d for d, _ in v}) == 1 for v in records.values()),
        "unexpected_keys": len(out_keys - keys),
        "seconds": round(seconds, 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--kills", type=int, default=10, help="kill -9 of the worker, or of one NLP process")
    parser.add_argument("--broker-restarts", type=int, default=2)
    parser.add_argument("--rebalances", type=int, default=2, help="a second worker joins, later leaves")
    parser.add_argument("--nodes", type=int, default=3, help="brokers in the cluster (1: the single broker)")
    parser.add_argument("--hogs", type=int, default=1, help="CPU-bound busy loops beside the run")
    parser.add_argument("--max-chars", type=int, default=1500, help="cut bodies to this many characters; 0: whole")
    parser.add_argument("--bad-every", type=int, default=200, help="a malformed message after every N articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="longest wait for any one stage")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = soak(args)
    print(json.dumps(report, indent=2) if args.json else
          "\n".join(f"{k:28s} {v}" for k, v in report.items()))
    ok = (report["lost"] == 0 and report["duplicates_identical"] and not report["bad_with_unexpected_reason"]
          and not report["unexpected_keys"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
