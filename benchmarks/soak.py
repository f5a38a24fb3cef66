"""Soak run (not in CI): many articles, the worker killed with SIGKILL at random moments.

    python benchmarks/soak.py [--articles 20000] [--kills 3] [--seed 1] [--json]

Publishes N articles (PolNeAR dev from ../shared under new ids) to a fresh broker, runs a worker,
kills it (`kill -9`, with its NLP processes) at random moments while it works, restarts it each
time, and at the end accounts for every id on articles.enriched and articles.dlq: lost (must be
0), duplicated, and whether every duplicate is byte-identical.
"""

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.broker import start_broker  # noqa: E402
from tests.support.kafka_io import produce, read_topic  # noqa: E402
from tests.support.paths import POLNEAR_ARTICLES  # noqa: E402
from tests.support.worker import Worker  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    base = [json.loads(line) for line in POLNEAR_ARTICLES.read_text().splitlines() if line.strip()]
    articles = [{**base[i % len(base)], "id": f"soak-{i:06d}"} for i in range(args.articles)]
    ids = {a["id"] for a in articles}
    env = {"WIRESTREAM_APP_ID": "soak", "WIRESTREAM_TOPIC_RAW": "soak.raw", "WIRESTREAM_TOPIC_ENRICHED": "soak.enriched",
           "WIRESTREAM_TOPIC_DLQ": "soak.dlq", "WIRESTREAM_TOPIC_ENTITIES": "soak.entities",
           "WIRESTREAM_TOPIC_STATEMENTS": "soak.statements", "WIRESTREAM_LOG_LEVEL": "WARNING"}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wirestream-soak-") as tmp:
        broker = start_broker(Path(tmp) / "kafka")
        try:
            worker = Worker(broker, env, Path(tmp), name="soak").start(wait_ready=300)
            produce(broker.bootstrap, env["WIRESTREAM_TOPIC_RAW"],
                    [(a["id"].encode(), json.dumps(a).encode()) for a in articles])
            kills = []
            for k in range(args.kills):
                # a random moment while there is work left: between 5% and 90% of the way
                target = int(args.articles * rng.uniform(0.05 + 0.85 * k / args.kills, 0.05 + 0.85 * (k + 1) / args.kills))
                read_topic(broker.bootstrap, env["WIRESTREAM_TOPIC_ENRICHED"], until=lambda rs: len(rs) >= target,
                           idle=0, timeout=14400)
                time.sleep(rng.uniform(0, 2))
                worker.kill()
                kills.append(target)
                worker = Worker(broker, env, Path(tmp), name="soak").start(wait_ready=300)
            enriched = read_topic(broker.bootstrap, env["WIRESTREAM_TOPIC_ENRICHED"],
                                  until=lambda rs: len({json.loads(r.value)["id"] for r in rs}) >= len(ids),
                                  timeout=14400, idle=10)
            dead = read_topic(broker.bootstrap, env["WIRESTREAM_TOPIC_DLQ"], timeout=30, idle=5)
            worker.stop()
        finally:
            broker.stop()
    values: dict[str, set[bytes]] = {}
    for r in enriched:
        values.setdefault(json.loads(r.value)["id"], set()).add(r.value)
    dead_ids = {json.loads(r.value).get("article_id") for r in dead}
    report = {
        "articles": args.articles, "kills": len(kills), "killed_after_enriched": kills,
        "lost": len(ids - set(values) - dead_ids), "dead_letters": len(dead),
        "duplicates": len(enriched) - len(values), "duplicates_identical": all(len(v) == 1 for v in values.values()),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(report, indent=2) if args.json else
          "\n".join(f"{k:24s} {v}" for k, v in report.items()))
    return 0 if report["lost"] == 0 and report["duplicates_identical"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
