"""One stream step, Kafka-client-free: a batch of raw messages in, the records to publish out.

The agent feeds it ``Incoming`` messages and publishes the ``Outgoing`` records it returns;
everything between (decode, dedup, NLP through the pool, fan-out, dead letters, metrics) is here,
so it can be tested without a broker.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import NamedTuple, Protocol, Sequence

from schemas import DeadLetterReason, EnrichedArticle, PipelineInfo, RawArticle
from schemas.topics import FAILED_AT_HEADER, PROCESSED_AT_HEADER
from streams import metrics
from streams.codec import (
    Origin,
    Rejected,
    content_hash,
    dead_letter,
    decode_article,
    enriched_article,
    entity_records,
    statement_records,
    to_bytes,
)
from streams.worker.pool import Failed, NlpPool, TimedOut
from streams.settings import Settings


@dataclass(frozen=True)
class Incoming:
    value: bytes | None
    origin: Origin


@dataclass(frozen=True)
class Outgoing:
    topic: str
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    source_timestamp: datetime | None = None  # for the end-to-end latency of enriched records


@dataclass
class BatchResult:
    records: list[Outgoing] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    # (article id, source partition, "content_hash:revision") to remember once the records are published
    seen_updates: list[tuple[str, int | None, str]] = field(default_factory=list)
    # (article id, "content_hash:revision") this batch claimed; released by Processor.settle
    claims: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class _Pending(NamedTuple):
    message: Incoming
    article: RawArticle
    state: str  # "content_hash:revision"


class SeenStore(Protocol):
    """Article id -> "content_hash:revision", per source partition (a faust table in the worker)."""

    def get(self, article_id: str, partition: int | None) -> str | None: ...

    def set(self, article_id: str, partition: int | None, value: str) -> None: ...


class MemorySeen:
    """A SeenStore in a dict, for tests and offline use."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get(self, article_id: str, partition: int | None) -> str | None:
        return self.data.get(article_id)

    def set(self, article_id: str, partition: int | None, value: str) -> None:
        self.data[article_id] = value


class Processor:
    """Decode, deduplicate, enrich and fan out one batch of raw messages."""

    def __init__(self, settings: Settings, pool: NlpPool, pipeline: PipelineInfo,
                 seen: "SeenStore | None" = None):
        self.settings = settings
        self.pool = pool
        self.pipeline = pipeline
        self.seen = seen if seen is not None else MemorySeen()
        # Articles taken but not yet published, id -> "content_hash:revision". Batches are processed
        # side by side, so a re-delivery may arrive before the seen table knows the first copy: the
        # claim makes it a duplicate (or the next revision) all the same.
        self.claimed: dict[str, str] = {}

    async def process(self, batch: Sequence[Incoming]) -> BatchResult:
        result = BatchResult()
        try:
            await self._process(batch, result)
        except BaseException:
            self.settle(result)  # a retry of this batch must not find its own claims
            raise
        return result

    def settle(self, result: BatchResult) -> None:
        """Release the batch's claims, once its records are published (or it was given up)."""
        for article_id, state in result.claims:
            if self.claimed.get(article_id) == state:
                del self.claimed[article_id]

    async def _process(self, batch: Sequence[Incoming], result: BatchResult) -> None:
        started = time.perf_counter()
        to_enrich: list[_Pending] = []
        for message in batch:
            article = self._decode(message, result)
            if article is None:
                continue
            state = self._next_state(article, message.origin.partition)
            if state is None:
                result.count("duplicate")
                continue
            self.claimed[article.id] = state
            result.claims.append((article.id, state))
            to_enrich.append(_Pending(message, article, state))
        metrics.PROCESSING_SECONDS.labels("decode").observe(time.perf_counter() - started)
        await self._enrich(to_enrich, result)

    def _decode(self, message: Incoming, result: BatchResult) -> RawArticle | None:
        try:
            return decode_article(message.value, self.settings.max_message_bytes, self.settings.max_article_chars)
        except Rejected as rejected:
            self._dead_letter(message, rejected, result)
            return None

    def _next_state(self, article: RawArticle, partition: int | None) -> str | None:
        """The "content_hash:revision" to publish, or None for a re-delivery of content already enriched."""
        digest = content_hash(article)
        previous = self.claimed.get(article.id) or self.seen.get(article.id, partition)
        if previous is None:
            return f"{digest}:1"
        old_digest, _, old_revision = previous.partition(":")
        if old_digest == digest:
            return None
        return f"{digest}:{int(old_revision or 1) + 1}"

    async def _enrich(self, items: list["_Pending"], result: BatchResult) -> None:
        if not items:
            return
        metrics.BATCH_SIZE.observe(len(items))
        started = time.perf_counter()
        outcomes = await self.pool.enrich([item.article for item in items])
        metrics.PROCESSING_SECONDS.labels("nlp").observe(time.perf_counter() - started)
        for (message, article, state), outcome in zip(items, outcomes):
            if isinstance(outcome, TimedOut):
                why = f"the NLP did not finish within the time budget of {outcome.seconds:g} s"
                self._dead_letter(message, Rejected(DeadLetterReason.TIME_BUDGET, why, article.id), result)
            elif isinstance(outcome, Failed):
                metrics.ERRORS.labels("nlp", "engine_exception").inc()
                why = f"the engine failed on this article: {outcome.message}"
                self._dead_letter(message, Rejected(DeadLetterReason.PROCESSING_ERROR, why, article.id), result)
            else:
                revision = int(state.rpartition(":")[2])
                flags = ("revision",) if revision > 1 else ()
                enriched = enriched_article(article, outcome, self.pipeline, message.origin.timestamp,
                                            revision, flags)
                self._count_enrichment(enriched, outcome.words)
                result.records.extend(self._fan_out(enriched, message.origin.timestamp))
                result.count("enriched")
                # Remembered only once published: the agent applies seen_updates after the sends succeed.
                result.seen_updates.append((article.id, message.origin.partition, state))

    def _fan_out(self, article: EnrichedArticle, source_timestamp: datetime | None) -> list[Outgoing]:
        s = self.settings
        headers = ((PROCESSED_AT_HEADER, datetime.now(timezone.utc).isoformat().encode()),)
        records = [Outgoing(s.topic_enriched, article.id.encode(), to_bytes(article), headers, source_timestamp)]
        records += [Outgoing(s.topic_entities, key.encode(), to_bytes(rec), headers)
                    for key, rec in entity_records(article)]
        records += [Outgoing(s.topic_statements, key.encode() if key else None, to_bytes(rec), headers)
                    for key, rec in statement_records(article)]
        return records

    def dead_letter_all(self, batch: Sequence[Incoming], why: str) -> BatchResult:
        """Last resort for a batch the processor itself failed on: every message dead-lettered."""
        result = BatchResult()
        for message in batch:
            self._dead_letter(message, Rejected(DeadLetterReason.PROCESSING_ERROR, why), result, outcome="error")
        return result

    def _dead_letter(self, message: Incoming, rejected: Rejected, result: BatchResult,
                     outcome: str = "dead_letter") -> None:
        record = dead_letter(message.value, rejected, message.origin)
        metrics.DEAD_LETTERS.labels(rejected.reason.value).inc()
        # the failure time goes in a header: the value stays byte-identical when the message comes again
        headers = ((FAILED_AT_HEADER, datetime.now(timezone.utc).isoformat().encode()),)
        result.records.append(Outgoing(self.settings.topic_dlq, message.origin.key, to_bytes(record), headers))
        result.count(outcome)

    @staticmethod
    def _count_enrichment(article: EnrichedArticle, words: int) -> None:
        if "language_skipped" not in article.flags:
            metrics.ARTICLES_PARSED.inc()
            metrics.WORDS.inc(words)
        for entity in article.entities:
            metrics.ENTITIES.labels(metrics.entity_type_label(entity.type)).inc()
        for statement in article.statements:
            metrics.STATEMENTS.labels(statement.kind).inc()
