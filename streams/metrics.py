"""Every Prometheus metric of Wirestream, defined once.

Names follow Prometheus conventions: ``wirestream_`` prefix, base units (seconds, bytes),
``_total`` for counters. Label values come from small fixed sets (topics, outcomes, reasons,
stages, entity labels, statement kinds, partitions): never an article id or URL.
All metrics live in the worker's main process; the NLP processes report counts back to it.
"""

from prometheus_client import Counter, Gauge, Histogram, Info

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)

MESSAGES_CONSUMED = Counter("wirestream_messages_consumed", "Raw messages read from Kafka.", ["topic"])
MESSAGES_PROCESSED = Counter(
    "wirestream_messages_processed",
    "Raw messages finished, by outcome: enriched, duplicate (same id and content, not parsed again), "
    "dead_letter, error (the processor itself failed on the batch; dead-lettered as processing_error).",
    ["outcome"],
)
MESSAGES_PRODUCED = Counter("wirestream_messages_produced", "Records written to Kafka.", ["topic"])
DEAD_LETTERS = Counter("wirestream_dead_letters", "Messages sent to the dead-letter topic.", ["reason"])
ERRORS = Counter("wirestream_errors", "Errors caught while processing.", ["stage", "type"])
PROCESSING_SECONDS = Histogram(
    "wirestream_processing_seconds", "Time spent per batch in each stage.", ["stage"], buckets=LATENCY_BUCKETS
)
END_TO_END_SECONDS = Histogram(
    "wirestream_end_to_end_latency_seconds",
    "From the raw record's Kafka timestamp to its enriched record being acknowledged by Kafka.",
    buckets=LATENCY_BUCKETS,
)
BATCH_SIZE = Histogram("wirestream_batch_size_messages", "Messages per batch handed to the NLP.", buckets=BATCH_BUCKETS)
IN_PROGRESS = Gauge("wirestream_messages_in_progress", "Messages taken from Kafka and not yet finished.")
CONSUMER_LAG = Gauge(
    "wirestream_consumer_lag_messages", "Messages in the partition not yet processed by this worker.",
    ["topic", "partition"],
)
COMMITTED_LAG = Gauge(
    "wirestream_consumer_committed_lag_messages",
    "Messages in the partition past the group's committed offset on the broker (what kafka-consumer-groups.sh "
    "shows as LAG); above the processed lag by the batches in flight.",
    ["topic", "partition"],
)
SKIPPED_RECORDS = Counter(
    "wirestream_skipped_records_detected",
    "Times the worker found raw offsets the stream never delivered (records skipped by the consumer, "
    "not a gap in the log) and sought the partition back to deliver them.",
    ["topic"],
)
LAST_PROCESSED = Gauge(
    "wirestream_last_processed_timestamp_seconds", "Unix time when the last message was finished."
)
WORDS = Counter("wirestream_words_processed", "Words (white-space separated) of the articles parsed.")
ARTICLES_PARSED = Counter("wirestream_articles_parsed", "Articles run through the NLP model.")
ENTITIES = Counter("wirestream_entities", "Entity clusters found, by type.", ["type"])
STATEMENTS = Counter("wirestream_statements", "Statements found, by kind.", ["kind"])
BUILD_INFO = Info("wirestream_build", "Version of Wirestream and of its NLP model.")
READY = Gauge("wirestream_ready", "1 when the worker is ready: partitions assigned, broker reachable, model loaded.")
AGGREGATE_RECORDS = Counter(
    "wirestream_aggregate_records",
    "Records read by the aggregate agents, by agent (articles: enriched articles in; facts: per-group facts in) "
    "and outcome: applied, duplicate (a re-delivered fact the tables had counted already), invalid (skipped).",
    ["agent", "outcome"],
)
AGGREGATE_TABLE_KEYS = Gauge(
    "wirestream_aggregate_table_keys", "Keys in an aggregate table, in the partitions this worker owns.", ["table"])
AGGREGATE_INPUT_LAG = Gauge(
    "wirestream_aggregate_input_lag_messages",
    "Messages of an aggregate agent's input topic not yet applied, summed over this worker's partitions.", ["topic"])

# Entity types are the model's label set; anything else is folded so the label set stays bounded.
ENTITY_TYPES = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
                          "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


def entity_type_label(entity_type: str) -> str:
    return entity_type if entity_type in ENTITY_TYPES else "OTHER"


OUTCOMES = ("enriched", "duplicate", "dead_letter", "error")
AGGREGATE_AGENTS = ("articles", "facts")
AGGREGATE_OUTCOMES = ("applied", "duplicate", "invalid")
STAGES = ("decode", "nlp", "produce")


def initialise(consumed_topics: list[str], produced_topics: list[str], reasons: list[str]) -> None:
    """Create every labelled series at 0, so the first increment of each shows in rate()."""
    for topic in consumed_topics:
        MESSAGES_CONSUMED.labels(topic)
        SKIPPED_RECORDS.labels(topic)
    for outcome in OUTCOMES:
        MESSAGES_PROCESSED.labels(outcome)
    for topic in produced_topics:
        MESSAGES_PRODUCED.labels(topic)
    for reason in reasons:
        DEAD_LETTERS.labels(reason)
    for stage in STAGES:
        PROCESSING_SECONDS.labels(stage)


def initialise_aggregates(input_topics: list[str], tables: list[str]) -> None:
    """The aggregate series at 0 from the start, like initialise()."""
    for agent in AGGREGATE_AGENTS:
        for outcome in AGGREGATE_OUTCOMES:
            AGGREGATE_RECORDS.labels(agent, outcome)
    for table in tables:
        AGGREGATE_TABLE_KEYS.labels(table).set(0)
    for topic in input_topics:
        AGGREGATE_INPUT_LAG.labels(topic).set(0)
