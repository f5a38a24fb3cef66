"""The wire contract: every message shape Wirestream reads or writes, as pydantic v2 models.

This package imports nothing else of Wirestream's. JSON Schema files in ``schemas/json`` are
generated from these models (``python -m schemas.export``); a test keeps them in step.
"""

from schemas.article import RawArticle
from schemas.deadletter import DeadLetter, DeadLetterReason
from schemas.enriched import (
    EnrichedArticle,
    Entity,
    EntityMention,
    EntityRecord,
    PipelineInfo,
    Span,
    Statement,
    StatementRecord,
)

__all__ = [
    "DeadLetter",
    "DeadLetterReason",
    "EnrichedArticle",
    "Entity",
    "EntityMention",
    "EntityRecord",
    "PipelineInfo",
    "RawArticle",
    "Span",
    "Statement",
    "StatementRecord",
]
