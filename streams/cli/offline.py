"""``wirestream enrich``: the stream's decode -> engine -> enriched path on a JSONL file, no Kafka.

Output lines are byte-for-byte what the worker publishes to ``articles.enriched`` for the same
input (minus ``received_at``, which only a Kafka record has), so quality measured here is the
quality on the topic.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from schemas import RawArticle
from streams.codec import Rejected, decode_article, enriched_article, to_bytes
from streams.nlp.engine import Engine
from streams.settings import Settings


@dataclass
class OfflineReport:
    enriched: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, reason, message)


def build_engine(settings: Settings) -> Engine:
    return Engine(settings.model, settings.excluded_components, settings.time_budget_s)


def read_articles(lines: IO[bytes], max_bytes: int, max_chars: int, report: OfflineReport) -> Iterator[RawArticle]:
    """Decode each non-blank line; a bad line is recorded in the report, never dropped silently."""
    for number, line in enumerate(lines, start=1):
        line = line.rstrip(b"\r\n")
        if not line.strip():
            continue
        try:
            yield decode_article(line, max_bytes, max_chars)
        except Rejected as exc:
            report.rejected.append((number, exc.reason.value, exc.message))


def enrich_file(input_path: Path, output_path: Path, settings: Settings, engine: Engine | None = None) -> OfflineReport:
    engine = engine or build_engine(settings)
    report = OfflineReport()
    with open(input_path, "rb") as src, open(output_path, "wb") as out:
        batch: list[RawArticle] = []
        for article in read_articles(src, settings.max_message_bytes, settings.max_article_chars, report):
            batch.append(article)
            if len(batch) >= settings.batch_size:
                report.enriched += _write_batch(engine, batch, out)
                batch = []
        report.enriched += _write_batch(engine, batch, out)
    return report


def _write_batch(engine: Engine, batch: list[RawArticle], out: IO[bytes]) -> int:
    for article, enrichment in zip(batch, engine.enrich_batch(batch)):
        out.write(to_bytes(enriched_article(article, enrichment, engine.pipeline)) + b"\n")
    return len(batch)


def print_report(report: OfflineReport, stream: IO[str] = sys.stderr) -> None:
    for number, reason, message in report.rejected:
        print(f"line {number}: rejected ({reason}): {message}", file=stream)
    print(f"enriched {report.enriched}, rejected {len(report.rejected)}", file=stream)
