"""Bytes <-> models. Decoding never raises: every input becomes a RawArticle or a DeadLetter.

No I/O here; the stream layer and the CLI both call these functions.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ValidationError

from schemas import (
    DeadLetter,
    DeadLetterReason,
    EnrichedArticle,
    EntityRecord,
    PipelineInfo,
    RawArticle,
    StatementRecord,
)

@dataclass(frozen=True)
class Origin:
    """Where a message came from: carried into its dead-letter record."""

    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    timestamp: datetime | None = None


class Rejected(Exception):
    """A message that cannot become a RawArticle; carries the dead-letter reason."""

    def __init__(self, reason: DeadLetterReason, message: str, article_id: str | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.article_id = article_id


def decode_article(value: bytes | None, max_bytes: int, max_chars: int | None = None) -> RawArticle:
    """Raw Kafka value -> RawArticle, or raise Rejected with the first reason that applies.

    ``max_bytes`` bounds the message, before any parsing; ``max_chars`` bounds the text the NLP
    would have to parse (title plus body), whose cost grows with its length.
    """
    if value is None:
        raise Rejected(DeadLetterReason.INVALID_SCHEMA, "message has no value (tombstone)")
    if len(value) > max_bytes:
        raise Rejected(DeadLetterReason.OVERSIZE, f"message is {len(value)} bytes; the limit is {max_bytes}")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected(DeadLetterReason.NOT_UTF8, f"not UTF-8: {exc.reason} at byte {exc.start}") from None
    article = _validate(_parse_json(text))
    if max_chars is not None and len(article.title) + len(article.body) > max_chars:
        raise Rejected(DeadLetterReason.OVERSIZE,
                       f"title and body have {len(article.title) + len(article.body)} characters; "
                       f"the limit is {max_chars}", article.id)
    return article


def _parse_json(text: str) -> object:
    # json.loads is iterative for flat input and raises RecursionError (caught) on deep nesting.
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise Rejected(DeadLetterReason.NOT_JSON, f"not JSON: {_short(str(exc))}") from None


def _validate(data: object) -> RawArticle:
    article_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    if not isinstance(data, dict):
        raise Rejected(DeadLetterReason.INVALID_SCHEMA, f"expected a JSON object, got {type(data).__name__}")
    try:
        return RawArticle.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if any(e["loc"] == ("body",) and "empty" in e["msg"] for e in errors):
            raise Rejected(DeadLetterReason.EMPTY_BODY, "body is empty or white space only", article_id) from None
        detail = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in errors[:5])
        raise Rejected(DeadLetterReason.INVALID_SCHEMA, _short(detail), article_id) from None


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def dead_letter(value: bytes | None, rejected: Rejected, origin: Origin) -> DeadLetter:
    """The dead-letter record: a function of the message alone (no clock), so re-deliveries are identical."""
    raw = value or b""
    return DeadLetter(
        reason=rejected.reason,
        message=rejected.message,
        article_id=rejected.article_id,
        original_base64=base64.b64encode(raw).decode("ascii"),
        original_size=len(raw),
        original_key_base64=base64.b64encode(origin.key).decode("ascii") if origin.key is not None else None,
        source_topic=origin.topic,
        source_partition=origin.partition,
        source_offset=origin.offset,
    )


def content_hash(article: RawArticle) -> str:
    """Identity of an article's content: same id and hash means the same article delivered again."""
    digest = hashlib.sha256()
    for part in (article.title, "\x00", article.body):
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def enriched_article(article: RawArticle, enrichment, pipeline: PipelineInfo,
                     received_at: datetime | None = None, revision: int = 1,
                     flags: tuple[str, ...] = ()) -> EnrichedArticle:
    """Combine the raw article with the engine's Enrichment (duck-typed: codec does not import the NLP)."""
    return EnrichedArticle(
        id=article.id,
        title=enrichment.title,
        body=enrichment.body,
        url=article.url,
        source=article.source,
        language=enrichment.language,
        published_at=article.published_at,
        received_at=received_at,
        content_hash=content_hash(article),
        revision=revision,
        flags=[*enrichment.flags, *flags],
        entities=enrichment.entities,
        statements=enrichment.statements,
        pipeline=pipeline,
    )


def entity_records(article: EnrichedArticle) -> list[tuple[str, EntityRecord]]:
    """(key, record) per entity cluster, keyed by canonical name."""
    return [
        (e.name, EntityRecord(article_id=article.id, entity_id=e.id, name=e.name, type=e.type,
                              count=e.count, mentions=e.mentions))
        for e in article.entities
    ]


def statement_records(article: EnrichedArticle) -> list[tuple[str | None, StatementRecord]]:
    """(key, record) per statement, keyed by canonical speaker (no key when the speaker is unknown)."""
    return [
        (s.speaker, StatementRecord(article_id=article.id, index=i, statement=s))
        for i, s in enumerate(article.statements)
    ]


def to_bytes(model: BaseModel) -> bytes:
    """The one JSON encoding of every record Wirestream writes: compact, UTF-8, stable field order."""
    return model.model_dump_json().encode("utf-8")
