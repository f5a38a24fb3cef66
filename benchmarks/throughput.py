"""End-to-end throughput and latency on the real broker, beside bare spaCy, in one run.

    python benchmarks/throughput.py [--articles N] [--processes 1,2] [--scale-out] [--json]

For each pool size P (default 1 and 2) it measures, on the same texts (PolNeAR dev from
../shared, repeated under new ids up to N articles):

  bare   spaCy ``nlp.pipe`` of the same model and components in P processes, no Kafka: words/s
         of the parse alone (title and body of each article, as the engine parses them);
  e2e    a worker with WIRESTREAM_POOL_PROCESSES=P on a backlog of N raw articles in Kafka:
         words/s from its first enriched record to its last (model loading excluded, as bare's);
  then, on the same worker, paced publishing at about the peak rate ("full load") and at half of
  it, for latency from the raw record's Kafka timestamp to the enriched record's (p50/p95/p99).

With --aggregates it also drains the same backlog with the live aggregates off and on, side by side
in one run, alternating which goes first, and reports both rates, their ratio, how long the
aggregates took to catch up after the drain (their group's committed offsets at the end of the
enriched and facts topics) and their CPU against the enrichment's. --aggregates-mode split (the
default) is the split deployment: "off" is an enrich-role worker alone, "on" the same plus an
aggregates-role worker (its own process and consumer group, niced); in-process is the all-in-one
worker with WIRESTREAM_AGGREGATES_ENABLED false and true. With --scale-out it also runs two workers in one consumer group (each with a pool of one
process, so both together use the same two cores) and reports their aggregate rate beside one
such worker's. Peak memory (VmHWM) is reported per process. The bare and e2e runs of each size
alternate, so drifts in machine load fall on both. Words are white-space separated tokens.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streams.nlp.text import word_count  # noqa: E402
from streams.settings import Settings  # noqa: E402
from tests.support.broker import start_broker  # noqa: E402
from tests.support.kafka_io import produce, read_topic  # noqa: E402
from tests.support.worker import Worker  # noqa: E402

DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "polnear-dev" / "articles.jsonl"


# ---------------------------------------------------------------- input
def load_articles(path: Path, n: int) -> list[dict]:
    base = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**base[i % len(base)], "id": f"bench-{i:06d}"} for i in range(n)]


def words_of(articles: list[dict]) -> int:
    return sum(word_count(a.get("title", "")) + word_count(a["body"]) for a in articles)


# ---------------------------------------------------------------- bare spaCy
def _bare_worker(texts: list[str], model: str, exclude: list[str], ready, go, out) -> None:
    import resource

    import spacy

    nlp = spacy.load(model, exclude=exclude)
    list(nlp.pipe(texts[:4]))  # warm-up, as the worker's pool does before it is ready
    ready.put(os.getpid())
    go.wait()
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    out.put((time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


def bare_spacy(articles: list[dict], processes: int, settings: Settings) -> dict:
    """Parse the articles' texts in ``processes`` processes; time from 'go' to the last one done."""
    ctx = multiprocessing.get_context("spawn")
    shares = [articles[i::processes] for i in range(processes)]
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_bare_worker, args=([t for a in share for t in (a.get("title", ""), a["body"])],
                                                     settings.model, settings.excluded_components, ready, go, out))
             for share in shares]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=300)
    started = time.perf_counter()
    go.set()
    results = [out.get(timeout=3600) for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(60)
    return {"words_per_s": words_of(articles) / elapsed, "seconds": elapsed,
            "peak_rss_bytes": [rss for _, rss in results]}


# ---------------------------------------------------------------- e2e on Kafka
class Run:
    """One consumer group with its own topics on the shared benchmark broker."""

    counter = 0
    started: list["Run"] = []  # every run, stopped at the end even if a measurement fails

    def __init__(self, broker, workdir: Path):
        Run.counter += 1
        p = f"bench{os.getpid()}-{Run.counter}"
        self.broker = broker
        self.workdir = workdir
        self.env = {"WIRESTREAM_APP_ID": f"{p}-app", "WIRESTREAM_TOPIC_RAW": f"{p}.raw",
                    "WIRESTREAM_TOPIC_ENRICHED": f"{p}.enriched", "WIRESTREAM_TOPIC_DLQ": f"{p}.dlq",
                    "WIRESTREAM_TOPIC_ENTITIES": f"{p}.entities", "WIRESTREAM_TOPIC_STATEMENTS": f"{p}.statements",
                    "WIRESTREAM_LOG_LEVEL": "WARNING"}
        self.workers: list[Worker] = []
        self.side: list[Worker] = []  # workers beside the measured ones (the aggregates role)
        self.extra: dict[str, str] = {}  # more worker settings for this run
        Run.started.append(self)

    def topic(self, kind: str) -> str:
        return self.env[f"WIRESTREAM_TOPIC_{kind.upper()}"]

    def create_topics(self) -> None:
        from streams.kafka_client import ensure_topics

        settings = Settings(**{k[len("WIRESTREAM_"):].lower(): v for k, v in {**self.broker.env(), **self.env}.items()
                               if k[len("WIRESTREAM_"):].lower() in Settings.model_fields})
        asyncio.run(ensure_topics(settings))

    def start_worker(self, processes: int) -> Worker:
        worker = Worker(self.broker, {**self.env, "WIRESTREAM_POOL_PROCESSES": str(processes), **self.extra},
                        self.workdir, name=f"{self.env['WIRESTREAM_APP_ID']}-w{len(self.workers)}")
        self.workers.append(worker.start(wait_ready=300))
        return worker

    def start_aggregates(self) -> Worker:
        """An aggregates-role worker (its own process and consumer group), beside the measured ones."""
        worker = Worker(self.broker, {**self.env, "WIRESTREAM_WORKER_ROLE": "aggregates"}, self.workdir,
                        name=f"{self.env['WIRESTREAM_APP_ID']}-agg{len(self.side)}")
        self.side.append(worker.start(wait_ready=300))
        return worker

    @property
    def aggregates_group(self) -> str:
        return f"{self.env['WIRESTREAM_APP_ID']}-aggregates"

    def stop(self) -> dict[str, int]:
        peaks = {}
        for w in self.workers + self.side:
            try:
                peaks.update(peak_rss(w.process.pid))
            finally:
                w.stop()
        return peaks


def peak_rss(pid: int) -> dict[str, int]:
    """VmHWM of a process and its children, in bytes."""
    out = {}
    pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                out[f"pid{p}"] = int(line.split()[1]) * 1024
    return out


def enriched_ids(records) -> set[str]:
    return {json.loads(r.value)["id"] for r in records}


def e2e_backlog(run: Run, articles: list[dict], workers: int, processes: int, split_aggregates: bool = False) -> dict:
    """All articles in Kafka first, then the worker(s) start: a full-speed drain. With
    ``split_aggregates`` an aggregates-role worker runs beside them (started first, not measured)."""
    run.create_topics()
    produce(run.broker.bootstrap, run.topic("raw"), [(a["id"].encode(), json.dumps(a).encode()) for a in articles])
    side = run.start_aggregates() if split_aggregates else None
    for _ in range(workers):
        run.start_worker(processes)
    cpu_at_start = [cpu_seconds(w.process.pid) for w in run.workers]
    side_cpu_at_start = cpu_seconds(side.process.pid)[0] if side else 0.0
    ids = {a["id"] for a in articles}
    records = read_topic(run.broker.bootstrap, run.topic("enriched"), until=lambda rs: enriched_ids(rs) >= ids,
                         timeout=7200, idle=0)
    stamps = sorted(r.timestamp_ms / 1000 for r in records)
    by_id = {a["id"]: a for a in articles}
    first_batch = [json.loads(r.value)["id"] for r in records if r.timestamp_ms / 1000 == stamps[0]]
    # Words after the first record: the first one's time is when the pipeline was full, not started.
    words = words_of(articles) - words_of([by_id[i] for i in first_batch])
    span = stamps[-1] - stamps[0]
    cpu = [tuple(b - a for a, b in zip(start, cpu_seconds(w.process.pid))) for w, start in zip(run.workers, cpu_at_start)]
    out = {"words_per_s": words / span, "articles_per_s": (len(articles) - len(first_batch)) / span,
           "seconds": span, "duplicates": len(records) - len(enriched_ids(records)),
           "main_cpu_s": sum(c[0] for c in cpu), "nlp_cpu_s": sum(c[1] for c in cpu)}
    out["load_average_at_end"] = round(os.getloadavg()[0], 2)  # the machine's other load, for the record
    if side:
        out["aggregates_applied_at_drain_end"] = applied_articles(side)
        out["aggregates_cpu_during_drain_s"] = cpu_seconds(side.process.pid)[0] - side_cpu_at_start
        out["aggregates_catch_up_s"] = committed_catch_up(run)
        out["aggregates_cpu_s"] = cpu_seconds(side.process.pid)[0] - side_cpu_at_start
    return out


def applied_articles(worker: Worker) -> float:
    series = 'wirestream_aggregate_records_total{agent="articles",outcome="applied"}'
    text = worker.get("/metrics")[1].decode()
    return next((float(line.split()[1]) for line in text.splitlines() if line.startswith(series + " ")), 0.0)


def committed_catch_up(run: Run, timeout: float = 1800) -> float:
    """Seconds from now (the end of the drain) until the aggregates group's committed offsets reach the
    end of the enriched topic and then of the facts topic (complete once stage 1 is)."""
    from tests.support.delivery import group_progress

    started = time.monotonic()
    group = run.aggregates_group
    for topic in (run.topic("enriched"), f"{group}-agg-facts"):
        while True:
            done, end = group_progress(run.broker.bootstrap, group, topic)
            if end and done >= end:
                break
            if time.monotonic() - started > timeout:
                return float("inf")
            time.sleep(0.5)
    return time.monotonic() - started


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) used so far by a worker's own process and by its NLP processes."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(p: int) -> float:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return used(pid), sum(used(c) for c in children)


def paced_latency(run: Run, articles: list[dict], rate: float, seconds: float, tag: str) -> dict:
    """Publish at ``rate`` articles/s for ``seconds``; latency raw timestamp -> enriched timestamp."""
    from aiokafka import AIOKafkaProducer

    n = max(10, int(rate * seconds))
    batch = [{**articles[i % len(articles)], "id": f"{tag}-{i:06d}"} for i in range(n)]

    async def send() -> dict[str, float]:
        producer = AIOKafkaProducer(bootstrap_servers=run.broker.bootstrap, linger_ms=0)
        await producer.start()
        sent = {}
        try:
            start = time.monotonic()
            for i, a in enumerate(batch):
                delay = start + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                meta = await (await producer.send(run.topic("raw"), json.dumps(a).encode(), key=a["id"].encode()))
                sent[a["id"]] = meta.timestamp / 1000
        finally:
            await producer.stop()
        return sent

    sent = asyncio.run(send())
    records = read_topic(run.broker.bootstrap, run.topic("enriched"),
                         until=lambda rs: enriched_ids(rs) >= set(sent), timeout=3600, idle=0)
    done = {}
    for r in records:
        article_id = json.loads(r.value)["id"]
        if article_id in sent:
            done.setdefault(article_id, r.timestamp_ms / 1000)
    latencies = sorted(done[i] - sent[i] for i in sent)
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"rate_per_s": rate, "articles": n, "p50_s": q[49], "p95_s": q[94], "p99_s": q[98]}


# ---------------------------------------------------------------- main
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--processes", default="1,2", help="pool sizes to measure, comma-separated")
    parser.add_argument("--latency-seconds", type=float, default=40.0, help="length of each paced phase")
    parser.add_argument("--scale-out", action="store_true", help="also run two workers in one group")
    parser.add_argument("--aggregates", action="store_true",
                        help="also measure the end-to-end rate with the aggregates off and on, side by side")
    parser.add_argument("--aggregates-only", action="store_true",
                        help="only that comparison (no bare spaCy, no latency phases)")
    parser.add_argument("--pairs", type=int, default=1, help="off/on pairs per pool size (order alternates)")
    parser.add_argument("--aggregates-mode", choices=("split", "in-process"), default="split",
                        help="split: an enrich-role worker alone vs beside an aggregates-role worker (default); "
                             "in-process: the all-in-one worker with the aggregates off vs on")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    settings = Settings()
    articles = load_articles(args.input, args.articles)
    sizes = [int(p) for p in args.processes.split(",")]
    result: dict = {"articles": args.articles, "words": words_of(articles), "cores": os.cpu_count(),
                    "model": settings.model, "excluded": settings.excluded_components, "runs": {}}
    with tempfile.TemporaryDirectory(prefix="wirestream-bench-") as tmp:
        broker = start_broker(Path(tmp) / "kafka")
        try:
            for i, p in enumerate(sizes if not args.aggregates_only else []):
                result["runs"][p] = measure_size(broker, Path(tmp), articles, p, args.latency_seconds, i % 2 == 1)
            if args.aggregates or args.aggregates_only:
                result["aggregates_mode"] = args.aggregates_mode
                result["aggregates"] = {p: compare_aggregates(broker, Path(tmp), articles, p, args.pairs,
                                                              args.aggregates_mode == "split")
                                        for p in sizes}
            if args.scale_out:
                result["scale_out"] = measure_scale_out(broker, Path(tmp), articles)
        finally:
            for run in Run.started:
                for worker in run.workers + run.side:
                    worker.stop()
            broker.stop()
    if result["runs"]:
        summarise(result, sizes)
    print(json.dumps(result, indent=2) if args.json else table(result, sizes if result["runs"] else []))
    return 0


def measure_size(broker, tmp: Path, articles: list[dict], processes: int, latency_s: float,
                 e2e_first: bool) -> dict:
    out = {}
    order = ("e2e", "bare") if e2e_first else ("bare", "e2e")
    for kind in order:
        if kind == "bare":
            out["bare"] = bare_spacy(articles, processes, Settings())
            continue
        run = Run(broker, tmp)
        out["e2e"] = e2e_backlog(run, articles, workers=1, processes=processes)
        peak = out["e2e"]["articles_per_s"]
        out["full_load"] = paced_latency(run, articles, 0.95 * peak, latency_s, f"full{processes}")
        out["half_load"] = paced_latency(run, articles, 0.5 * peak, latency_s, f"half{processes}")
        out["e2e"]["peak_rss_bytes"] = run.stop()
    out["ratio"] = out["e2e"]["words_per_s"] / out["bare"]["words_per_s"]
    return out


def measure_aggregates(broker, tmp: Path, articles: list[dict], processes: int, on_first: bool,
                       split: bool = True) -> dict:
    """The same backlog drained with the aggregates off and on: split, an enrich-role worker alone and
    beside an aggregates-role worker; in-process, the all-in-one worker with them off and on."""
    out = {}
    for enabled in ((True, False) if on_first else (False, True)):
        run = Run(broker, tmp)
        if split:
            run.extra = {"WIRESTREAM_WORKER_ROLE": "enrich"}
            drained = e2e_backlog(run, articles, workers=1, processes=processes, split_aggregates=enabled)
            out["on" if enabled else "off"] = drained
            run.stop()
            continue
        run.extra = {"WIRESTREAM_AGGREGATES_ENABLED": str(enabled).lower()}
        drained = e2e_backlog(run, articles, workers=1, processes=processes)
        if enabled:
            before = cpu_seconds(run.workers[0].process.pid)[0]
            drained["aggregates_catch_up_s"] = aggregates_catch_up(run.workers[0], articles)
            drained["main_cpu_s"] += cpu_seconds(run.workers[0].process.pid)[0] - before
        out["on" if enabled else "off"] = drained
        run.stop()
    out["ratio_on_off"] = out["on"]["words_per_s"] / out["off"]["words_per_s"]
    # What the aggregates cost in CPU, against all the CPU the enrichment took: robust to other load
    # on the machine, which moves the rates of the two runs unevenly.
    off, on = out["off"], out["on"]
    extra = on["aggregates_cpu_s"] if split else on["main_cpu_s"] - off["main_cpu_s"]
    out["aggregates_cpu_share"] = extra / (off["main_cpu_s"] + off["nlp_cpu_s"])
    return out


def compare_aggregates(broker, tmp: Path, articles: list[dict], processes: int, pairs: int, split: bool = True) -> dict:
    """``pairs`` off/on measurements, alternating which goes first; the ratio of the summed rates."""
    runs = [measure_aggregates(broker, tmp, articles, processes, on_first=i % 2 == 1, split=split)
            for i in range(pairs)]
    off = sum(r["off"]["words_per_s"] for r in runs) / pairs
    on = sum(r["on"]["words_per_s"] for r in runs) / pairs
    return {"pairs": runs, "off": {"words_per_s": off}, "on": {"words_per_s": on,
            "aggregates_catch_up_s": max(r["on"]["aggregates_catch_up_s"] for r in runs)},
            "ratio_on_off": on / off, "pair_ratios": [round(r["ratio_on_off"], 3) for r in runs],
            "cpu_shares": [round(r["aggregates_cpu_share"], 4) for r in runs]}


def aggregates_catch_up(worker: Worker, articles: list[dict], timeout: float = 600) -> float:
    """Seconds from the end of the drain until the aggregates had applied every article."""
    started = time.monotonic()
    series = 'wirestream_aggregate_records_total{agent="articles",outcome="applied"}'
    while time.monotonic() - started < timeout:
        text = worker.get("/metrics")[1].decode()
        applied = next((float(line.split()[1]) for line in text.splitlines() if line.startswith(series + " ")), 0)
        if applied >= len(articles):
            return time.monotonic() - started
        time.sleep(0.5)
    return float("inf")


def measure_scale_out(broker, tmp: Path, articles: list[dict]) -> dict:
    one_run = Run(broker, tmp)
    one = e2e_backlog(one_run, articles, workers=1, processes=1)
    one_run.stop()  # before the two-worker run: an idle worker still takes a little CPU
    two_run = Run(broker, tmp)
    two = e2e_backlog(two_run, articles, workers=2, processes=1)
    two_run.stop()
    return {"one_worker_words_per_s": one["words_per_s"], "two_workers_words_per_s": two["words_per_s"],
            "speed_up": two["words_per_s"] / one["words_per_s"], "duplicates": two["duplicates"]}


def summarise(result: dict, sizes: list[int]) -> None:
    """The flat keys the issue asks for, from the largest pool size measured."""
    top = result["runs"][max(sizes)]
    result.update({
        "processes": max(sizes),
        "e2e_words_per_s": round(top["e2e"]["words_per_s"], 1),
        "spacy_words_per_s": round(top["bare"]["words_per_s"], 1),
        "ratio": round(top["ratio"], 3),
        "p50_s": round(top["full_load"]["p50_s"], 3),
        "p99_s": round(top["full_load"]["p99_s"], 3),
        "half_load_p99_s": round(top["half_load"]["p99_s"], 3),
    })
    if 1 in result["runs"]:
        result["single_process_ratio"] = round(result["runs"][1]["ratio"], 3)


def table(result: dict, sizes: list[int]) -> str:
    lines = [f"{result['articles']} articles, {result['words']} words, {result['cores']} cores, "
             f"model {result['model']} without {','.join(result['excluded'])}", "",
             f"{'procs':>5} {'bare w/s':>10} {'e2e w/s':>10} {'ratio':>6} {'art/s':>7} "
             f"{'p50 full':>9} {'p99 full':>9} {'p50 half':>9} {'p99 half':>9} {'peak RSS MiB (per process)':>28}"]
    for p in sizes:
        r = result["runs"][p]
        rss = " ".join(f"{v / 2**20:.0f}" for v in r["e2e"]["peak_rss_bytes"].values())
        lines.append(f"{p:>5} {r['bare']['words_per_s']:>10.0f} {r['e2e']['words_per_s']:>10.0f} {r['ratio']:>6.3f} "
                     f"{r['e2e']['articles_per_s']:>7.1f} {r['full_load']['p50_s']:>9.3f} {r['full_load']['p99_s']:>9.3f} "
                     f"{r['half_load']['p50_s']:>9.3f} {r['half_load']['p99_s']:>9.3f} {rss:>28}")
        lines.append(f"{'':>5} bare peak RSS MiB: " + " ".join(f"{v / 2**20:.0f}" for v in r["bare"]["peak_rss_bytes"]))
    for p, a in result.get("aggregates", {}).items():
        lines.append(f"aggregates, pool of {p}: off {a['off']['words_per_s']:.0f} w/s, on {a['on']['words_per_s']:.0f} "
                     f"w/s (ratio {a['ratio_on_off']:.3f}, pairs {a['pair_ratios']}; extra CPU of the aggregates "
                     f"{a['cpu_shares']} of the enrichment's); aggregates caught up "
                     f"{a['on']['aggregates_catch_up_s']:.1f} s after the drain ({result.get('aggregates_mode')})")
    if "scale_out" in result:
        s = result["scale_out"]
        lines += ["", f"scale-out, pool of 1 per worker: one worker {s['one_worker_words_per_s']:.0f} w/s, "
                      f"two workers in one group {s['two_workers_words_per_s']:.0f} w/s (x{s['speed_up']:.2f}), "
                      f"duplicates {s['duplicates']}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
