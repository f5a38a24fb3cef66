"""A real Prometheus server scrapes a real worker on the real broker; the numbers must be exact.

Prometheus is Debian's binary (deploy/prometheus/install.sh installs it; `make test` runs that),
started on a free loopback port with its own storage directory and deploy/prometheus/prometheus.yml
changed only where a test must differ from the compose stack: the worker's address instead of DNS
discovery, 1 s intervals, and the absolute path of the alert rules. Everything is read back through
Prometheus' HTTP API, as Grafana and the alerts read it.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.support.broker import free_port
from tests.support.kafka_io import produce, read_topic
from tests.support.processes import terminate
from tests.support.malformed import catalogue
from tests.support.paths import POLNEAR_ARTICLES, ROOT
from tests.support.polling import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.prometheus, pytest.mark.slow]

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "wirestream.json"
SAMPLES = ROOT / "samples" / "articles.jsonl"
JOB = "wirestream"

sys.path.insert(0, str(PROMETHEUS_DIR))
import metrics_table  # noqa: E402  (deploy/prometheus/metrics_table.py: the README's table)


class Prometheus:
    """A Prometheus server process with a rendered configuration, queried over its HTTP API."""

    def __init__(self, workdir: Path, worker_port: int):
        self.port = free_port()
        self.workdir = workdir
        self.config_path = workdir / "prometheus.yml"
        self.log_path = workdir / "prometheus.log"
        self.config_path.write_text(yaml.safe_dump(render_config(worker_port)))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> "Prometheus":
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={self.config_path}", f"--storage.tsdb.path={self.workdir / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: self._ready(), timeout, "Prometheus ready", log=self.log_tail)
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"prometheus exited with {self.process.returncode}:\n{self.log_tail()}")
        try:
            with urllib.request.urlopen(self.url + "/-/ready", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def api(self, path: str, **params: str) -> dict:
        url = f"{self.url}/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:  # a bad query is a 400 with a JSON error
            body = json.loads(exc.read())
        assert body["status"] == "success", f"{path} {params}: {body}"
        return body["data"]

    def query(self, promql: str) -> list[dict]:
        data = self.api("query", query=promql)
        assert data["resultType"] == "vector", data
        return data["result"]

    def values(self, promql: str, by: str) -> dict[str, float]:
        """{value of label `by`: sample value} of an instant query."""
        return {sample["metric"].get(by, ""): float(sample["value"][1]) for sample in self.query(promql)}

    def counts(self, promql: str, by: str) -> dict[str, float]:
        """values() without zeros: a series created at 0 ahead of use counts as none."""
        return {key: value for key, value in self.values(promql, by).items() if value != 0}

    def scalar(self, promql: str) -> float | None:
        result = self.query(promql)
        assert len(result) <= 1, result
        return float(result[0]["value"][1]) if result else None

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 30) -> None:
        terminate(self.process, timeout)


def render_config(worker_port: int) -> dict:
    """deploy/prometheus/prometheus.yml, pointed at one worker on loopback, with 1 s intervals."""
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    config["global"].update(scrape_interval="1s", evaluation_interval="1s")
    config["rule_files"] = [str(PROMETHEUS_DIR / name) for name in config["rule_files"]]
    job = next(j for j in config["scrape_configs"] if j["job_name"] == JOB)
    del job["dns_sd_configs"]
    job["static_configs"] = [{"targets": [f"127.0.0.1:{worker_port}"]}]
    config["scrape_configs"] = [job]
    return config


@pytest.fixture
def start_prometheus(tmp_path):
    if shutil.which("prometheus") is None:
        message = "prometheus is not installed: run deploy/prometheus/install.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    servers: list[Prometheus] = []

    def start(worker_port: int) -> Prometheus:
        workdir = tmp_path / f"prometheus{len(servers)}"
        workdir.mkdir()
        server = Prometheus(workdir, worker_port)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


def good_articles() -> list[tuple[bytes, bytes]]:
    """The 12 samples and the 84 PolNeAR articles: long enough to keep the worker busy for a while,
    so that the lag gauge (updated every 5 s) is seen above 0 before it drains."""
    lines = SAMPLES.read_bytes().splitlines() + POLNEAR_ARTICLES.read_bytes().splitlines()
    return [(json.loads(line)["id"].encode(), line) for line in lines if line.strip()]


def test_prometheus_reads_exact_counts_latency_and_lag(broker, make_worker, topics_env, start_prometheus):
    good = good_articles()
    bad = catalogue()
    duplicate = good[0]  # same id, same content: counted as a duplicate, not parsed again
    assert len(good) == 96 and len({k for k, _ in good}) == 96 and len(bad) == 26
    raw = topics_env["WIRESTREAM_TOPIC_RAW"]

    worker = make_worker().start()
    prometheus = start_prometheus(worker.port)
    wait_for(lambda: prometheus.scalar(f'up{{job="{JOB}"}}') == 1, 60, "the worker scraped", log=prometheus.log_tail)
    wait_for(lambda: rules_healthy(prometheus), 60, "every rule evaluated without error", log=prometheus.log_tail)

    # Nothing processed yet: the counters have no outcome, the latency histogram is empty.
    assert prometheus.counts("wirestream_messages_processed_total", "outcome") == {}
    assert prometheus.scalar("wirestream_end_to_end_latency_seconds_count") == 0

    # Two rounds. The worker creates a labelled counter's series (say dead_letters_total{reason="oversize"})
    # at its first increment, so Prometheus' first sample of it already holds that increment and rate()
    # never sees it (no series starts at 0). The first round makes every series used below exist: one
    # good article and one bad message of each dead-letter reason. The second round is the rest.
    first_of_reason = {b.reason: b for b in reversed(bad)}
    warm_up = [good[0]] + [(b.key, b.value) for b in first_of_reason.values()]
    rest = good[1:] + [duplicate] + [(b.key, b.value) for b in bad if first_of_reason[b.reason] is not b]
    total = len(good) + 1 + len(bad)
    assert len(warm_up) + len(rest) == total
    produce(broker.bootstrap, raw, warm_up)
    wait_for(lambda: prometheus.scalar("sum(wirestream_messages_processed_total)") == len(warm_up), 120,
             "the first round processed, as seen by Prometheus", pause=1, log=worker.log_tail)
    time.sleep(2)  # a second sample of every new series
    produce(broker.bootstrap, raw, rest)

    # Bounded wait until Prometheus has scraped the last message's outcome, then a few more scrapes
    # so a late or doubled count would show.
    wait_for(lambda: prometheus.scalar("sum(wirestream_messages_processed_total)") == total, 300,
             f"{total} messages processed, as seen by Prometheus", pause=1,
             log=lambda: f"{prometheus.counts('wirestream_messages_processed_total', 'outcome')}\n{worker.log_tail()}")
    time.sleep(3)

    assert prometheus.counts("wirestream_messages_consumed_total", "topic") == {raw: total}
    assert prometheus.counts("wirestream_messages_processed_total", "outcome") == {
        "enriched": len(good), "duplicate": 1, "dead_letter": len(bad)}
    assert prometheus.counts("wirestream_dead_letters_total", "reason") == dict(Counter(b.reason for b in bad))
    assert prometheus.counts("wirestream_errors_total", "stage") == {}
    assert prometheus.scalar("wirestream_messages_in_progress") == 0

    # Produced records, topic by topic, are exactly what the topics hold.
    held = {name: len(read_topic(broker.bootstrap, topics_env[f"WIRESTREAM_TOPIC_{name}"], timeout=60, idle=2))
            for name in ("ENRICHED", "DLQ", "ENTITIES", "STATEMENTS")}
    assert held["ENRICHED"] == len(good) and held["DLQ"] == len(bad)
    assert held["ENTITIES"] > 0 and held["STATEMENTS"] > 0
    assert prometheus.counts("wirestream_messages_produced_total", "topic") == {
        topics_env[f"WIRESTREAM_TOPIC_{name}"]: n for name, n in held.items()}
    # One entity record per cluster and one statement record per statement.
    assert prometheus.scalar("sum(wirestream_entities_total)") == held["ENTITIES"]
    assert prometheus.scalar("sum(wirestream_statements_total)") == held["STATEMENTS"]
    assert prometheus.scalar("wirestream_articles_parsed_total") == len(good)
    assert prometheus.scalar("wirestream_words_processed_total") > 10_000

    # Latency: one observation per enriched article, and the dashboard's quantiles are numbers.
    assert prometheus.scalar("wirestream_end_to_end_latency_seconds_count") == len(good)
    for q in (0.5, 0.99):
        value = prometheus.scalar(
            f"histogram_quantile({q}, sum by (le) (rate(wirestream_end_to_end_latency_seconds_bucket[10m])))")
        assert value is not None and math.isfinite(value) and 0 < value <= 120, (q, value)
    stages = prometheus.values("sum by (stage) (wirestream_processing_seconds_count)", "stage")
    assert set(stages) == {"decode", "nlp", "produce"} and all(n > 0 for n in stages.values()), stages
    assert prometheus.scalar("wirestream_batch_size_messages_sum") == len(good)

    # Lag: seen above 0 while the worker was busy, back to 0 on every partition once it is done.
    peak = prometheus.scalar(f"max_over_time(sum(wirestream_consumer_lag_messages{{topic='{raw}'}})[10m:1s])")
    assert peak is not None and peak > 0, "the lag was never seen above 0"
    wait_for(lambda: set(prometheus.values(f"wirestream_consumer_lag_messages{{topic='{raw}'}}",
                                           "partition").values()) == {0}, 30, "lag 0 on every partition")
    assert set(prometheus.values("wirestream_consumer_lag_messages", "partition")) == {"0", "1", "2", "3"}
    assert prometheus.scalar("time() - wirestream_last_processed_timestamp_seconds") < 600

    check_readme_labels(prometheus)
    check_dashboard_queries(prometheus)

    # 21 of the 117 messages of the second round (18 %) were dead letters: above the 5 % threshold,
    # so the rule's expression holds on these real series and the alert is pending (firing needs 10m).
    wait_for(lambda: prometheus.query('ALERTS{alertname="WirestreamDeadLetterRateHigh", alertstate="pending"}'),
             30, "WirestreamDeadLetterRateHigh pending")
    assert not prometheus.query('ALERTS{alertname=~"WirestreamWorkerDown|WirestreamNoWorkerUp|WirestreamErrorRateHigh"}')

    # The worker stops: its target goes down and WirestreamWorkerDown is pending (firing after 1m).
    worker.stop()
    wait_for(lambda: prometheus.scalar(f'up{{job="{JOB}"}}') == 0, 30, "the stopped worker's target down")
    wait_for(lambda: prometheus.query('ALERTS{alertname="WirestreamWorkerDown", alertstate="pending"}'),
             30, "WirestreamWorkerDown pending")


def rules_healthy(prometheus: Prometheus) -> bool:
    groups = prometheus.api("rules")["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    names = {rule["name"] for rule in rules}
    assert {"WirestreamWorkerDown", "WirestreamConsumerLagGrowing", "WirestreamDeadLetterRateHigh",
            "WirestreamErrorRateHigh", "WirestreamLatencyP99High"} <= names, names
    return all(rule["health"] == "ok" for rule in rules)


def check_readme_labels(prometheus: Prometheus) -> None:
    """The README's metrics table (generated from streams/metrics.py) lists the labels the worker exposes."""
    for name, _, labels, _ in metrics_table.rows():
        name = name.strip("`")
        documented = set(re.findall(r"`([a-z_]+)`", labels))
        series = name + "_bucket" if "le" in documented else name
        seen = prometheus.query(f'{{__name__="{series}", job="{JOB}"}}')
        if not seen:
            assert name == "wirestream_errors_total", f"{name}: no series"  # no error happened
            continue
        exposed = set().union(*(sample["metric"] for sample in seen)) - {"__name__", "job", "instance"}
        assert exposed == documented, f"{name}: exposes {exposed}, the README says {documented}"


def check_dashboard_queries(prometheus: Prometheus) -> None:
    """Every query of the Grafana dashboard parses and, but for errors, finds series."""
    board = json.loads(DASHBOARD.read_text())
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$__rate_interval", "1m")
            result = prometheus.query(expr)
            if "wirestream_errors_total" not in expr:
                assert result, f"dashboard panel {panel['title']!r}: no data for {expr}"
