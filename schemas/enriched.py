"""What Wirestream publishes: the enriched article and its per-entity and per-statement records."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

TextField = Literal["title", "body"]
StatementKind = Literal["direct", "indirect", "mixed", "according_to", "headline"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """A character range ``[start, end)`` in the article's ``title`` or ``body``."""

    field: TextField
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class EntityMention(_Frozen):
    """One occurrence of a named entity: ``article[field][start:end] == text``."""

    text: str
    label: str = Field(description="The model's label for this mention (PERSON, ORG, GPE, LOC, FAC, NORP, ...).")
    field: TextField
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Entity(_Frozen):
    """A canonical entity inside one article: all mentions that name the same thing."""

    id: str = Field(description="Cluster id, unique inside the article (e1, e2, ...).")
    name: str = Field(description="Canonical name: the longest full form in the article.")
    type: str = Field(description="Cluster type, repaired by majority and name evidence (PERSON, ORG, GPE, ...).")
    count: int = Field(ge=1, description="Number of mentions.")
    mentions: list[EntityMention]


class Statement(_Frozen):
    """Who said what: an attributed quote, reported speech, 'according to' source or headline claim."""

    kind: StatementKind
    speaker: str | None = Field(description="Canonical speaker (entity name, nominal, or resolved pronoun).")
    speaker_mention: str | None = Field(description="The speaker as written at the cue.")
    speaker_entity_id: str | None = Field(default=None, description="Id of the speaker's entity cluster.")
    cue: str
    content: str
    speaker_span: Span | None = None
    cue_span: Span
    content_span: Span
    confidence: float = Field(
        default=0.0, ge=0, le=1,
        description="Share of statements found the same way (rule, kind, form of speaker) that were right, "
        "content and speaker, on evaluation data (docs/quality.md); 0 when not rated.",
    )


class PipelineInfo(_Frozen):
    version: str = Field(description="Wirestream version that produced the record.")
    model: str = Field(description="spaCy model package name.")
    model_version: str


class EnrichedArticle(_Frozen):
    """The raw article's fields plus what the NLP found; published to ``articles.enriched`` keyed by id.

    The value is a deterministic function of the raw record and the pipeline version, so a
    re-delivered article yields a byte-identical record. Wall-clock processing time travels in the
    ``wirestream-processed-at`` Kafka header instead.
    """

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    title: str
    body: str
    url: str | None = None
    source: str | None = None
    language: str | None = Field(description="Declared or detected language.")
    published_at: datetime | None = None
    received_at: datetime | None = Field(
        default=None, description="Kafka timestamp of the raw record (absent when enriched offline)."
    )
    content_hash: str = Field(description="sha256 of the article's title and body as received.")
    revision: int = Field(default=1, ge=1, description="1, or more when this id came back with other content.")
    flags: list[str] = Field(
        default_factory=list,
        description="What was done beyond plain enrichment: html_stripped, language_skipped, language_uncertain "
        "(enriched as English without clear evidence of it), long_runs_skipped, time_budget_exceeded, revision.",
    )
    entities: list[Entity] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    pipeline: PipelineInfo


class EntityRecord(_Frozen):
    """One entity cluster of one article; published to ``entities`` keyed by the canonical name."""

    schema_version: Literal[1] = SCHEMA_VERSION
    article_id: str
    entity_id: str
    name: str
    type: str
    count: int
    mentions: list[EntityMention]


class StatementRecord(_Frozen):
    """One statement of one article; published to ``statements`` keyed by the canonical speaker."""

    schema_version: Literal[1] = SCHEMA_VERSION
    article_id: str
    index: int = Field(ge=0, description="Position of the statement in the article's list.")
    statement: Statement
