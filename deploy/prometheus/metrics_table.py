"""The README's metrics table, generated from the metric objects of streams/metrics.py.

    .venv/bin/python deploy/prometheus/metrics_table.py           print the table
    .venv/bin/python deploy/prometheus/metrics_table.py --write   replace it in README.md

Only the lines between the README's ``<!-- metrics-table:start -->`` and ``<!-- metrics-table:end -->``
markers are rewritten. tests/unit/test_deploy_files.py fails when the README's table differs from
this output, so a metric added, renamed or re-labelled in streams/metrics.py cannot be forgotten.
"""

import argparse
import sys
from pathlib import Path

from prometheus_client import Info
from prometheus_client.metrics import MetricWrapperBase

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streams import metrics  # noqa: E402

START, END = "<!-- metrics-table:start -->", "<!-- metrics-table:end -->"

# An Info's labels are the keys of the value the worker sets at start-up (streams.worker.app.build), so
# they are unknown until then; these are they. tests/integration/test_prometheus.py compares every
# metric's labels in the README table with what a running worker exposes, so this cannot go stale.
INFO_LABELS = {"wirestream_build": ["model", "model_version", "version"]}


def metric_objects() -> list[MetricWrapperBase]:
    """The metrics defined in streams/metrics.py, in the order they are defined there."""
    return [obj for obj in vars(metrics).values() if isinstance(obj, MetricWrapperBase)]


def exposed_name(metric: MetricWrapperBase) -> str:
    """The name Prometheus stores: counters get ``_total``, an Info becomes a ``_info`` gauge."""
    family = metric.describe()[0]
    if family.type == "counter":
        return family.name + "_total"
    if family.type == "info":
        return family.name + "_info"
    return family.name


def label_names(metric: MetricWrapperBase) -> list[str]:
    if isinstance(metric, Info):
        return INFO_LABELS[metric._name]
    names = list(metric._labelnames)  # prometheus_client keeps no public accessor
    if metric._type == "histogram":
        names.append("le")
    return names


def kind(metric: MetricWrapperBase) -> str:
    return {"info": "gauge (info, value 1)"}.get(metric._type, metric._type)


def rows() -> list[tuple[str, str, str, str]]:
    out = []
    for metric in metric_objects():
        labels = ", ".join(f"`{name}`" for name in label_names(metric)) or "none"
        meaning = " ".join(metric._documentation.split()).replace("|", "\\|")
        out.append((f"`{exposed_name(metric)}`", kind(metric), labels, meaning))
    return out


def markdown() -> str:
    lines = ["| Metric | Type | Labels | Meaning |", "|---|---|---|---|"]
    lines += [f"| {name} | {type_} | {labels} | {meaning} |" for name, type_, labels, meaning in rows()]
    return "\n".join(lines)


def write(readme: Path) -> None:
    text = readme.read_text()
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{readme}: markers {START} ... {END} not found")
    readme.write_text(f"{head}{START}\n{markdown()}\n{END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args()
    if args.write:
        write(ROOT / "README.md")
    else:
        print(markdown())


if __name__ == "__main__":
    main()
