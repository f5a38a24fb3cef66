"""The topics of the wire contract: each one's default name, key, value model, headers and size limit.

These are facts a consumer of the topics needs as much as the value models, so they live here with
the models: ``streams.settings`` takes its topic defaults from ``TOPICS`` and ``streams.kafka_client``
its per-topic size limits, and the AsyncAPI document (``schemas/asyncapi.py``) is generated from this
catalogue without importing anything of ``streams`` (which imports ``schemas``, never the reverse).
"""

from dataclasses import dataclass

from pydantic import BaseModel

from schemas.article import RawArticle
from schemas.deadletter import DeadLetter
from schemas.enriched import EnrichedArticle, EntityRecord, StatementRecord

# The local broker that deploy/kafka starts; the settings' default connection.
LOCAL_BROKER_HOST = "127.0.0.1"
LOCAL_BROKER_PORT = 9092

# The consumer group (WIRESTREAM_APP_ID) that Wirestream's workers share by default.
DEFAULT_GROUP_ID = "wirestream"


@dataclass(frozen=True)
class Header:
    name: str
    description: str


# Wall-clock times go in headers, not values, so that a value is a deterministic function of its input
# and a re-delivered message yields a byte-identical record.
PROCESSED_AT = Header("wirestream-processed-at", "When the worker enriched the article (ISO 8601, UTC).")
FAILED_AT = Header("wirestream-failed-at", "When the worker dead-lettered the message (ISO 8601, UTC).")
REPLAYED_FROM = Header(
    "wirestream-replayed-from",
    "Set by `wirestream dlq replay`: the dead letter this message was replayed from, as TOPIC/PARTITION/OFFSET.")

PROCESSED_AT_HEADER = PROCESSED_AT.name
FAILED_AT_HEADER = FAILED_AT.name
REPLAYED_FROM_HEADER = REPLAYED_FROM.name

# Per-topic size limits. The raw topic accepts messages above the worker's own limit so they reach
# the worker and are dead-lettered with a reason instead of failing at the producer; the dead-letter
# topic holds them base64-encoded (4/3 larger), the enriched topic holds body plus annotations.
RAW_TOPIC_MAX_BYTES = 8 << 20
DLQ_TOPIC_MAX_BYTES = 12 << 20
ENRICHED_TOPIC_MAX_BYTES = 16 << 20


@dataclass(frozen=True)
class Topic:
    setting: str  # the Settings field (WIRESTREAM_TOPIC_...) that names the topic in a deployment
    default_name: str
    description: str
    value: type[BaseModel]
    key: str  # what the record key holds (UTF-8)
    key_optional: bool  # some records have no key
    headers: tuple[Header, ...]
    max_message_bytes: int | None  # the topic's max.message.bytes when Wirestream creates it
    consumed: bool  # True: Wirestream reads it (producers write it); False: Wirestream writes it

    @property
    def channel_id(self) -> str:
        return self.setting.removeprefix("topic_")


TOPICS: tuple[Topic, ...] = (
    Topic("topic_raw", "articles.raw", "Raw articles in, from publishers (and from `wirestream dlq replay`).",
          RawArticle, "The article id (recommended: the seen-articles table is partitioned like this topic).",
          True, (REPLAYED_FROM,), RAW_TOPIC_MAX_BYTES, consumed=True),
    Topic("topic_enriched", "articles.enriched", "Enriched articles: the raw fields plus entities and statements.",
          EnrichedArticle, "The article id.", False, (PROCESSED_AT,), ENRICHED_TOPIC_MAX_BYTES, consumed=False),
    Topic("topic_entities", "entities", "One record per entity cluster of an enriched article.",
          EntityRecord, "The entity's canonical name.", False, (PROCESSED_AT,), None, consumed=False),
    Topic("topic_statements", "statements", "One record per statement of an enriched article.",
          StatementRecord, "The canonical speaker; no key when the speaker is unknown.", True, (PROCESSED_AT,),
          None, consumed=False),
    Topic("topic_dlq", "articles.dlq", "Dead letters: raw messages that could not be enriched, with the reason.",
          DeadLetter, "The raw record's key, as it came.", True, (FAILED_AT,), DLQ_TOPIC_MAX_BYTES, consumed=False),
)

TOPIC_DEFAULTS: dict[str, str] = {t.setting: t.default_name for t in TOPICS}
