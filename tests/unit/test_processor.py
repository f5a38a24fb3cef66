"""streams.worker.processor.Processor with a fake pool: outcomes, records, topics, keys, dedup and revisions."""

import asyncio
import json
from datetime import datetime, timezone

import pytest

from schemas import DeadLetter, EnrichedArticle, Entity, EntityMention, PipelineInfo, Span, Statement
from streams.codec import Origin, content_hash, decode_article
from streams.nlp.engine import Enrichment
from streams.worker.pool import Failed, TimedOut
from streams.worker.processor import FAILED_AT_HEADER, PROCESSED_AT_HEADER, Incoming, MemorySeen, Processor
from streams.settings import Settings

SETTINGS = Settings(topic_enriched="t.enriched", topic_dlq="t.dlq", topic_entities="t.entities",
                    topic_statements="t.statements", max_message_bytes=2048, time_budget_s=10.0)
PIPELINE = PipelineInfo(version="0.1.0", model="fake", model_version="0")
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def enrichment(article, flags=()) -> Enrichment:
    """What the fake engine finds: one entity, a statement with a speaker and one without."""
    mention = EntityMention(text="Ann Lee", label="PERSON", field="body", start=0, end=7)
    span = Span(field="body", start=0, end=3)
    return Enrichment(
        title=article.title, body=article.body, language="en", flags=tuple(flags),
        entities=[Entity(id="e1", name="Ann Lee", type="PERSON", count=1, mentions=[mention])],
        statements=[Statement(kind="direct", speaker=s, speaker_mention=s, cue="said", content="x",
                              cue_span=span, content_span=span) for s in ("Ann Lee", None)],
        words=len(article.body.split()), seconds=0.01)


class FakePool:
    def __init__(self, outcome=enrichment):
        self.outcome = outcome
        self.calls: list[list[str]] = []

    async def enrich(self, articles):
        self.calls.append([a.id for a in articles])
        return [self.outcome(a) for a in articles]


def msg(value: bytes | None, offset: int = 0, key: bytes | None = None, partition: int = 0,
        timestamp: datetime | None = T0) -> Incoming:
    return Incoming(value, Origin(topic="t.raw", partition=partition, offset=offset, key=key, timestamp=timestamp))


def good(article_id: str, body: str = "Ann Lee said it.", title: str = "T") -> bytes:
    return json.dumps({"id": article_id, "title": title, "body": body}).encode()


def run(processor: Processor, *messages: Incoming):
    return asyncio.run(processor.process(list(messages)))


def make(pool=None, seen=None) -> Processor:
    return Processor(SETTINGS, pool or FakePool(), PIPELINE, seen)


def apply(processor: Processor, result, seen: MemorySeen) -> None:
    """What the agent does once the records are published."""
    for article_id, partition, state in result.seen_updates:
        seen.set(article_id, partition, state)
    processor.settle(result)


def routing(result) -> list[tuple[str, bytes | None]]:
    return [(r.topic, r.key) for r in result.records]


def values(result, topic: str) -> list[dict]:
    return [json.loads(r.value) for r in result.records if r.topic == topic]


def dead_letters(result) -> list[DeadLetter]:
    return [DeadLetter.model_validate_json(r.value) for r in result.records if r.topic == "t.dlq"]


def test_mixed_batch_one_outcome_per_message():
    pool = FakePool()
    result = run(make(pool),
                 msg(good("g-1"), 0, b"g-1"),
                 msg(b"not json", 1, b"k1"),
                 msg(good("g-2"), 2, b"g-2"),
                 msg(b"\xff" * 3000, 3),
                 msg(None, 4, b"gone"),
                 msg(good("g-3", body=" "), 5, b"g-3"))
    assert result.outcomes == {"dead_letter": 4, "enriched": 2}
    assert pool.calls == [["g-1", "g-2"]]
    # dead letters are found while decoding, before the NLP; each enriched article fans out after
    assert routing(result) == [
        ("t.dlq", b"k1"), ("t.dlq", None), ("t.dlq", b"gone"), ("t.dlq", b"g-3"),
        ("t.enriched", b"g-1"), ("t.entities", b"Ann Lee"), ("t.statements", b"Ann Lee"), ("t.statements", None),
        ("t.enriched", b"g-2"), ("t.entities", b"Ann Lee"), ("t.statements", b"Ann Lee"), ("t.statements", None),
    ]
    assert [(d.reason.value, d.source_offset, d.article_id) for d in dead_letters(result)] == [
        ("not_json", 1, None), ("oversize", 3, None), ("invalid_schema", 4, None), ("empty_body", 5, "g-3")]
    assert [d.original for d in dead_letters(result)] == [b"not json", b"\xff" * 3000, b"", good("g-3", body=" ")]


def test_enriched_record_contents():
    result = run(make(), msg(good("g-1"), 7, b"g-1"))
    enriched = [r for r in result.records if r.topic == "t.enriched"]
    assert len(enriched) == 1
    article = EnrichedArticle.model_validate_json(enriched[0].value)
    raw = decode_article(good("g-1"), 2048)
    assert (article.id, article.revision, article.flags, article.received_at) == ("g-1", 1, [], T0)
    assert (article.content_hash, article.pipeline) == (content_hash(raw), PIPELINE)
    assert enriched[0].source_timestamp == T0
    assert [name for name, _ in enriched[0].headers] == [PROCESSED_AT_HEADER]
    assert {r.headers for r in result.records} == {enriched[0].headers}
    assert values(result, "t.entities") == [{"schema_version": 1, "article_id": "g-1", "entity_id": "e1",
                                             "name": "Ann Lee", "type": "PERSON", "count": 1,
                                             "mentions": [{"text": "Ann Lee", "label": "PERSON", "field": "body",
                                                           "start": 0, "end": 7}]}]
    assert [(s["article_id"], s["index"], s["statement"]["speaker"]) for s in values(result, "t.statements")] == \
        [("g-1", 0, "Ann Lee"), ("g-1", 1, None)]
    assert result.seen_updates == [("g-1", 0, f"{content_hash(raw)}:1")]


def test_engine_flags_come_first():
    pool = FakePool(lambda a: enrichment(a, flags=("html_stripped",)))
    seen = MemorySeen()
    processor = make(pool, seen)
    first = run(processor, msg(good("g-1", body="v1")))
    apply(processor, first, seen)
    second = run(processor, msg(good("g-1", body="v2")))
    assert [v["flags"] for v in values(first, "t.enriched")] == [["html_stripped"]]
    assert [v["flags"] for v in values(second, "t.enriched")] == [["html_stripped", "revision"]]


def test_redelivery_is_a_duplicate_and_not_parsed_again():
    pool, seen = FakePool(), MemorySeen()
    processor = make(pool, seen)
    apply(processor, run(processor, msg(good("g-1"))), seen)
    again = run(processor, msg(good("g-1"), offset=9))
    assert (again.outcomes, again.records, again.seen_updates) == ({"duplicate": 1}, [], [])
    assert pool.calls == [["g-1"]]


def test_without_applying_seen_updates_nothing_is_remembered():
    pool = FakePool()
    processor = make(pool, MemorySeen())
    processor.settle(run(processor, msg(good("g-1"))))  # settled, but never recorded as published
    assert run(processor, msg(good("g-1"))).outcomes == {"enriched": 1}
    assert pool.calls == [["g-1"], ["g-1"]]


def test_a_copy_arriving_while_the_first_is_in_flight_is_a_duplicate():
    # Batches are processed side by side: the seen table does not know the first copy yet.
    pool = FakePool()
    processor = make(pool, MemorySeen())
    first = run(processor, msg(good("g-1", body="v1")))
    assert run(processor, msg(good("g-1", body="v1"), offset=1)).outcomes == {"duplicate": 1}
    revised = run(processor, msg(good("g-1", body="v2"), offset=2))
    assert values(revised, "t.enriched")[0]["revision"] == 2
    assert pool.calls == [["g-1"], ["g-1"]]
    processor.settle(first)
    assert processor.claimed == {"g-1": revised.claims[0][1]}  # the later claim stays
    processor.settle(revised)
    assert processor.claimed == {}


def test_a_failed_batch_releases_its_claims_so_its_retry_is_processed():
    class FlakyPool(FakePool):
        async def enrich(self, articles):
            if not self.calls:
                self.calls.append("boom")
                raise RuntimeError("boom")
            return await super().enrich(articles)

    pool = FlakyPool()
    processor = make(pool, MemorySeen())
    with pytest.raises(RuntimeError):
        run(processor, msg(good("g-1")))
    assert processor.claimed == {}
    assert run(processor, msg(good("g-1"))).outcomes == {"enriched": 1}


def test_new_content_is_a_revision():
    seen = MemorySeen()
    processor = make(FakePool(), seen)
    for body, revision in (("v1", 1), ("v2", 2), ("v3", 3)):
        result = run(processor, msg(good("g-1", body=body)))
        apply(processor, result, seen)
        [article] = values(result, "t.enriched")
        assert (article["revision"], article["flags"]) == (revision, ["revision"] if revision > 1 else [])
    assert seen.data == {"g-1": f"{content_hash(decode_article(good('g-1', body='v3'), 2048))}:3"}


def test_title_change_is_a_revision_too():
    seen = MemorySeen()
    processor = make(FakePool(), seen)
    apply(processor, run(processor, msg(good("g-1", title="Old"))), seen)
    assert values(run(processor, msg(good("g-1", title="New"))), "t.enriched")[0]["revision"] == 2


def test_same_article_twice_in_one_batch():
    pool = FakePool()
    result = run(make(pool), msg(good("g-1"), 0), msg(good("g-1"), 1))
    assert result.outcomes == {"enriched": 1, "duplicate": 1}
    assert pool.calls == [["g-1"]]
    assert [r.topic for r in result.records].count("t.enriched") == 1
    assert len(result.seen_updates) == 1


def test_same_id_new_content_in_one_batch():
    pool = FakePool()
    result = run(make(pool), msg(good("g-1", body="v1")), msg(good("g-1", body="v2")), msg(good("g-1", body="v1")))
    # v1 again after v2 is new content relative to the latest revision
    assert result.outcomes == {"enriched": 3}
    assert [(a["revision"], a["body"]) for a in values(result, "t.enriched")] == [(1, "v1"), (2, "v2"), (3, "v1")]
    assert [state.rsplit(":", 1)[1] for _, _, state in result.seen_updates] == ["1", "2", "3"]


def test_timed_out_is_a_time_budget_dead_letter():
    pool = FakePool(lambda a: TimedOut(10.0) if a.id == "slow" else enrichment(a))
    result = run(make(pool), msg(good("g-1"), 0), msg(good("slow"), 1, b"slow"))
    assert result.outcomes == {"enriched": 1, "dead_letter": 1}
    [dl] = dead_letters(result)
    assert (dl.reason.value, dl.article_id, dl.source_offset, dl.original) == ("time_budget", "slow", 1, good("slow"))
    assert dl.message == "the NLP did not finish within the time budget of 10 s"
    assert routing(result)[-1] == ("t.dlq", b"slow")


def test_failed_is_a_processing_error_dead_letter():
    pool = FakePool(lambda a: Failed("ValueError: boom"))
    result = run(make(pool), msg(good("g-1"), 3, b"g-1"))
    assert (result.outcomes, routing(result)) == ({"dead_letter": 1}, [("t.dlq", b"g-1")])
    [dl] = dead_letters(result)
    assert (dl.reason.value, dl.article_id, dl.source_offset) == ("processing_error", "g-1", 3)
    assert dl.message == "the engine failed on this article: ValueError: boom"


def test_only_bad_messages_never_call_the_pool():
    pool = FakePool()
    result = run(make(pool), msg(b"{}"), msg(b"[]"))
    assert (result.outcomes, pool.calls) == ({"dead_letter": 2}, [])


def test_empty_batch():
    result = run(make())
    assert (result.records, result.outcomes, result.seen_updates) == ([], {}, [])


def test_dead_letter_all():
    processor = make()
    batch = [msg(good("g-1"), 0, b"g-1"), msg(None, 1, b"x"), msg(b"\xff", 2)]
    result = processor.dead_letter_all(batch, "processing the batch failed repeatedly: RuntimeError()")
    assert result.outcomes == {"error": 3}
    assert routing(result) == [("t.dlq", b"g-1"), ("t.dlq", b"x"), ("t.dlq", None)]
    dls = dead_letters(result)
    assert {(d.reason.value, d.message) for d in dls} == \
        {("processing_error", "processing the batch failed repeatedly: RuntimeError()")}
    assert [(d.original, d.source_offset) for d in dls] == [(good("g-1"), 0), (b"", 1), (b"\xff", 2)]
    assert result.seen_updates == []


@pytest.mark.parametrize("timestamp", [None, T0])
def test_received_at_is_the_source_timestamp(timestamp):
    result = run(make(), msg(good("g-1"), timestamp=timestamp))
    assert values(result, "t.enriched")[0]["received_at"] == (timestamp.isoformat().replace("+00:00", "Z")
                                                             if timestamp else None)


def test_a_redelivered_bad_message_yields_a_byte_identical_dead_letter_and_the_time_in_a_header():
    processor = make(FakePool(lambda a: TimedOut(10.0) if a.id == "slow" else enrichment(a)))
    batch = [msg(b"not json", 3, b"k3"), msg(good("g-1", body=" "), 4, b"g-1"), msg(good("slow"), 5, b"slow")]
    first = run(processor, *batch)
    processor.settle(first)  # published; then a crash before the commit re-delivers the batch
    again = run(processor, *batch)
    first_dlq = [r for r in first.records if r.topic == "t.dlq"]
    again_dlq = [r for r in again.records if r.topic == "t.dlq"]
    assert len(first_dlq) == 3
    assert [r.value for r in again_dlq] == [r.value for r in first_dlq]
    for record in first_dlq:
        [(name, when)] = record.headers
        assert name == FAILED_AT_HEADER
        assert datetime.fromisoformat(when.decode()).tzinfo is not None
