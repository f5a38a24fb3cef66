"""``wirestream enrich``: the stream's decode -> engine -> enriched path on a JSONL file, no Kafka.

Output lines are byte-for-byte what the worker publishes to ``articles.enriched`` for the same
input (minus ``received_at``, which only a Kafka record has), so quality measured here is the
quality on the topic.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from tqdm import tqdm

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


def enrich_file(input_path: Path, output_path: Path, settings: Settings, engine: Engine | None = None,
                progress: bool | None = None) -> OfflineReport:
    """Enrich every line of ``input_path`` into ``output_path``.

    ``progress``: a bar on stderr; None shows it only when stderr is a terminal (tqdm's own test),
    so a piped or logged run stays quiet.
    """
    engine = engine or build_engine(settings)
    report = OfflineReport()
    with open(input_path, "rb") as src, open(output_path, "wb") as out, \
            tqdm(total=_count_lines(input_path), unit="article", disable=None if progress is None else not progress,
                 desc="enriching") as bar:
        batch: list[RawArticle] = []
        for article in read_articles(src, settings.max_message_bytes, settings.max_article_chars, report):
            batch.append(article)
            if len(batch) >= settings.batch_size:
                report.enriched += _write_batch(engine, batch, out)
                batch = []
                bar.update(report.enriched + len(report.rejected) - bar.n)  # lines finished, good or bad
        report.enriched += _write_batch(engine, batch, out)
        bar.update(report.enriched + len(report.rejected) - bar.n)
    return report


def _count_lines(path: Path) -> int:
    """Non-blank lines: the articles to come (bad ones included), for the bar's total."""
    with open(path, "rb") as lines:
        return sum(1 for line in lines if line.strip())


def _write_batch(engine: Engine, batch: list[RawArticle], out: IO[bytes]) -> int:
    for article, enrichment in zip(batch, engine.enrich_batch(batch)):
        out.write(to_bytes(enriched_article(article, enrichment, engine.pipeline)) + b"\n")
    return len(batch)


def print_report(report: OfflineReport, stream: IO[str] = sys.stderr) -> None:
    for number, reason, message in report.rejected:
        print(f"line {number}: rejected ({reason}): {message}", file=stream)
    print(f"enriched {report.enriched}, rejected {len(report.rejected)}", file=stream)
