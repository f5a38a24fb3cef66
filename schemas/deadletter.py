"""The dead-letter record written to ``articles.dlq`` for every message that could not be enriched."""

import base64
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# 2: the failure time left the value for the wirestream-failed-at header (schemas/topics.py), so a
# message dead-lettered twice yields a byte-identical record. A version 1 record reads the same (its
# failed_at field is ignored).
SCHEMA_VERSION = 2


class DeadLetterReason(str, Enum):
    """The fixed set of reasons a message is dead-lettered (documented in docs/reliability.md)."""

    OVERSIZE = "oversize"  # larger than the message size limit; checked before any parsing
    NOT_UTF8 = "not_utf8"  # the bytes are not valid UTF-8
    NOT_JSON = "not_json"  # valid text, but not a JSON document
    INVALID_SCHEMA = "invalid_schema"  # JSON, but not a RawArticle (missing or mistyped fields)
    EMPTY_BODY = "empty_body"  # the body is empty or white space only
    TIME_BUDGET = "time_budget"  # the NLP did not finish within the per-article time budget
    PROCESSING_ERROR = "processing_error"  # the engine raised on this article (a bug: see the message)


class DeadLetter(BaseModel):
    """A message Wirestream could not enrich, with its original bytes and the reason why.

    The value is a deterministic function of the raw record, so a message dead-lettered again after a
    re-delivery yields a byte-identical record; the time of dead-lettering travels in the
    ``wirestream-failed-at`` Kafka header instead.
    """

    model_config = ConfigDict(frozen=True)

    schema_version: Literal[1, 2] = Field(default=SCHEMA_VERSION, description="Version of this contract.")
    reason: DeadLetterReason
    message: str = Field(description="Human-readable explanation of the reason.")
    article_id: str | None = Field(default=None, description="The article id when it could be read.")
    original_base64: str = Field(description="The original message value, byte for byte, base64-encoded.")
    original_size: int = Field(ge=0, description="Length of the original value in bytes.")
    original_key_base64: str | None = Field(default=None, description="The original key, base64, if any.")
    source_topic: str | None = None
    source_partition: int | None = None
    source_offset: int | None = None

    @property
    def original(self) -> bytes:
        return base64.b64decode(self.original_base64)
