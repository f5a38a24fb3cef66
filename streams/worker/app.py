"""The Faust app: topics, the seen-articles table, the NLP pool service, and wiring.

``build(settings)`` returns everything the worker runs; ``streams.worker.agents`` and ``streams.web.endpoints``
attach the agent, the lag timer and the HTTP endpoints to it.
"""

import contextlib
import logging
import weakref
from dataclasses import dataclass, field
from typing import Sequence

import faust
import mode
from faust.streams import _current_event

from streams import kafka_client, metrics
from streams.worker import transport
from streams.nlp.engine import pipeline_info
from streams.worker.commits import Committer
from streams.worker.offsets import OffsetReader
from streams.worker.pool import NlpPool
from streams.worker.processor import Processor
from streams.settings import Settings
from streams import __version__
from schemas import DeadLetterReason

log = logging.getLogger(__name__)


def rocksdict_available() -> bool:
    try:
        import rocksdict  # noqa: F401
    except ImportError:
        return False
    return True


def table_store_url(settings: Settings) -> str:
    if settings.table_store == "rocksdb" and rocksdict_available():
        return "rocksdb://"
    if settings.table_store == "rocksdb":
        log.warning("rocksdict is not installed: the seen-articles table is kept in memory")
    return "memory://"


@dataclass
class Topics:
    raw: faust.TopicT
    enriched: faust.TopicT
    dlq: faust.TopicT
    entities: faust.TopicT
    statements: faust.TopicT

    def by_name(self) -> dict[str, faust.TopicT]:
        return {t.get_topic_name(): t for t in (self.raw, self.enriched, self.dlq, self.entities, self.statements)}


class SeenArticles:
    """The seen-articles table (article id -> "content_hash:revision") for the processor.

    faust tables are co-partitioned with the stream: an entry lives in the store and changelog
    partition of the record that wrote it, and faust finds that partition through the "current
    event". A batch holds events of several partitions, so each access names its partition and
    runs with an event of that partition as the current one.
    """

    def __init__(self, table: faust.Table):
        self.table = table
        self._events: dict[int, faust.EventT] = {}

    def bind(self, events: Sequence[faust.EventT]) -> None:
        """Remember an event of each partition of a batch about to be processed.

        Several batches are in flight at once; any event of a partition names that partition,
        so the latest one is kept (one per partition: bounded)."""
        self._events.update((e.message.partition, e) for e in events if not getattr(e, "redelivered", False))

    def get(self, article_id: str, partition: int | None) -> str | None:
        with self._as_current(partition):
            return self.table.get(article_id.encode())

    def set(self, article_id: str, partition: int | None, value: str) -> None:
        with self._as_current(partition):
            self.table[article_id.encode()] = value

    @contextlib.contextmanager
    def _as_current(self, partition: int | None):
        event = self._events.get(partition) if partition is not None else None
        # faust exposes no public setter for the current event; this is the context variable
        # its own stream iteration sets (faust-streaming 0.15, pinned in requirements/).
        token = _current_event.set(weakref.ref(event)) if event is not None else None
        try:
            yield
        finally:
            if token is not None:
                _current_event.reset(token)


class PoolService(mode.Service):
    """Starts the NLP processes with the worker and stops them with it."""

    def __init__(self, pool: NlpPool, **kwargs):
        self.pool = pool
        super().__init__(**kwargs)

    async def on_start(self) -> None:
        await self.pool.start()
        log.info("NLP pool ready: %d process(es)", self.pool.processes)

    async def on_stop(self) -> None:
        self.pool.stop()


@dataclass
class Wirestream:
    settings: Settings
    app: faust.App
    topics: Topics
    seen: SeenArticles
    pool: NlpPool
    processor: Processor
    inflight: "object | None" = None  # the agent's InFlight, once it runs (drained on a graceful stop)
    offsets: OffsetReader = None  # type: ignore[assignment]  # the broker's view of consumed offsets
    raw_commits: Committer = None  # type: ignore[assignment]  # the raw topic's commits, by the ledger's rule
    positions: dict[int, int] = field(default_factory=dict)  # raw partition -> next offset to process
    lag_partitions: set[str] = field(default_factory=set)  # partitions with a lag series exported

    def services(self) -> list[mode.Service]:
        """Services the faust Worker starts beside the app (an aggregates-role worker has no NLP)."""
        return [PoolService(self.pool)] if self.settings.enriches else []


def build(settings: Settings) -> Wirestream:
    app = transport.DurableApp(
        settings.app_id,
        broker=kafka_client.faust_broker_url(settings),
        broker_credentials=kafka_client.faust_credentials(settings),
        key_serializer="raw",
        value_serializer="raw",
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        producer_max_request_size=kafka_client.PRODUCER_MAX_REQUEST_BYTES,
        consumer_max_fetch_size=kafka_client.RAW_TOPIC_MAX_BYTES,
        store=table_store_url(settings),
        datadir=str(settings.data_dir),
        broker_session_timeout=settings.kafka_session_timeout_s,
        broker_heartbeat_interval=settings.kafka_session_timeout_s / 15,
        producer_acks=-1 if settings.kafka_producer_acks == "all" else 1,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        autodiscover=False,
    )
    app.transport_type = transport.transport_class(
        "all" if settings.kafka_producer_acks == "all" else 1, settings.kafka_producer_idempotence)
    topics = Topics(**{
        # acks=False on the raw topic: faust never commits it; the agent does, by the ledger's rule
        attr: app.topic(name, key_type=bytes, value_type=bytes, value_serializer="raw", key_serializer="raw",
                        acks=attr != "raw")
        for attr, name in (("raw", settings.topic_raw), ("enriched", settings.topic_enriched),
                            ("dlq", settings.topic_dlq), ("entities", settings.topic_entities),
                            ("statements", settings.topic_statements))
    })
    # bytes keys use the raw codec, str values JSON: never pickle (faust derives codecs from the types)
    # (only where the enrichment runs: an aggregates-role worker has no seen-articles table to recover)
    table = app.Table("seen-articles", default=None, partitions=settings.topic_partitions,
                      key_type=bytes, value_type=str,
                      extra_topic_configs=kafka_client.durability_configs(settings)) if settings.enriches else None
    pool = NlpPool(settings.model, settings.excluded_components, settings.time_budget_s, settings.pool_processes)
    pipeline = pipeline_info(settings.model)
    seen = SeenArticles(table)
    processor = Processor(settings, pool, pipeline, seen)
    metrics.initialise([settings.topic_raw],
                       [settings.topic_enriched, settings.topic_dlq, settings.topic_entities, settings.topic_statements],
                       [reason.value for reason in DeadLetterReason])
    metrics.BUILD_INFO.info({"version": __version__, "model": settings.model, "model_version": pipeline.model_version})
    offsets = OffsetReader(settings)
    return Wirestream(settings, app, topics, seen, pool, processor, offsets=offsets,
                      raw_commits=Committer(app, settings.topic_raw, offsets))
