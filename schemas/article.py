"""The raw article a producer publishes to ``articles.raw``."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

SCHEMA_VERSION = 1

# An id is a Kafka key and a file-safe token: printable, no white space, bounded.
ArticleId = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=r"^[^\s\x00-\x1f\x7f]+$")]


class RawArticle(BaseModel):
    """One news article as published by a producer.

    Unknown fields are ignored (producers may carry their own metadata); known fields are
    strictly typed, so ``"id": 7`` is rejected rather than silently turned into ``"7"``.
    """

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, description="Version of this contract.")
    id: ArticleId = Field(description="Producer-assigned article id; the Kafka key of every output record.")
    title: str = Field(default="", max_length=4096, description="Headline; may be empty.")
    body: str = Field(description="Article text, plain text (HTML is stripped and flagged).")
    url: str | None = Field(default=None, max_length=4096)
    source: str | None = Field(default=None, max_length=256, description="Publisher or feed name.")
    language: str | None = Field(
        default=None, max_length=35, description="Declared language (BCP 47, e.g. 'en'); detected when absent."
    )
    published_at: datetime | None = Field(default=None, description="Publication time, ISO 8601.")

    @field_validator("published_at", mode="before")
    @classmethod
    def _parse_iso(cls, value: object) -> object:
        # Strict mode refuses strings for datetimes; JSON has no other way to carry one.
        if isinstance(value, str):
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value

    @field_validator("id", "title", "body", "url", "source", "language")
    @classmethod
    def _encodable(cls, value: str | None) -> str | None:
        # JSON may escape lone surrogates ("\ud800"): valid JSON, but not text that UTF-8 can carry.
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("contains a lone surrogate (not valid Unicode text)") from None
        return value

    @field_validator("body")
    @classmethod
    def _body_has_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("body is empty or white space only")
        return value
