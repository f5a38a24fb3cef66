"""streams.codec: every dead-letter reason, dead-letter records, content hashes, fan-out keys, encoding."""

import base64
import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from schemas import (
    DeadLetter,
    DeadLetterReason,
    EnrichedArticle,
    Entity,
    EntityMention,
    PipelineInfo,
    RawArticle,
    Span,
    Statement,
)
from streams.codec import (
    Origin,
    Rejected,
    content_hash,
    dead_letter,
    decode_article,
    entity_records,
    statement_records,
    to_bytes,
)
from tests.support.malformed import ONE_MIB, catalogue

LIMIT = ONE_MIB  # Settings().max_message_bytes, the limit the catalogue is built around


def article(**fields) -> bytes:
    return json.dumps({"id": "a-1", "body": "Some text.", **fields}).encode()


def reject(value: bytes | None, limit: int = LIMIT) -> Rejected:
    with pytest.raises(Rejected) as info:
        decode_article(value, limit)
    return info.value


def reject_chars(value: bytes, max_chars: int) -> Rejected:
    with pytest.raises(Rejected) as info:
        decode_article(value, LIMIT, max_chars)
    return info.value


# --- the catalogue of bad messages, at the codec level ------------------------------------

@pytest.mark.parametrize("bad", catalogue(), ids=lambda bad: bad.name)
def test_catalogue_reason(bad):
    assert reject(bad.value).reason.value == bad.reason


# --- oversize: checked before anything else ------------------------------------------------

def test_oversize_is_checked_before_decoding():
    rejected = reject(b"\xff" * (LIMIT + 1))  # would be not_utf8 if it were decoded
    assert rejected.reason is DeadLetterReason.OVERSIZE
    assert rejected.message == f"message is {LIMIT + 1} bytes; the limit is {LIMIT}"


def test_oversize_boundary_is_inclusive():
    value = article(body="x" * 2000)
    padded = value[:-1] + b" " * (2048 - len(value)) + b"}"  # JSON allows trailing white space in the object
    assert len(padded) == 2048
    assert decode_article(padded, 2048).body == "x" * 2000
    assert reject(padded, 2047).reason is DeadLetterReason.OVERSIZE


# --- not_utf8 ---------------------------------------------------------------------------------

def test_not_utf8_names_the_byte():
    rejected = reject(b'{"id": "a", "body": "caf\xe9"}')
    assert rejected.reason is DeadLetterReason.NOT_UTF8
    assert rejected.message == "not UTF-8: invalid continuation byte at byte 24"
    assert rejected.article_id is None


# --- not_json -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    b"",
    b"   ",
    b"{",
    b"{'id': 'a', 'body': 'single quotes'}",
    b'{"id": "a", "body": "x"} {"id": "b", "body": "y"}',
    b'{"id": "a", "body": "x"} trailing',
    b'{"id": "a", "body": "x"},',
])
def test_not_json(value):
    assert reject(value).reason is DeadLetterReason.NOT_JSON


def test_runaway_nesting_is_not_json():
    rejected = reject(b'{"id": "a", "body": "x", "meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert rejected.reason is DeadLetterReason.NOT_JSON
    assert "recursion" in rejected.message


def test_moderate_nesting_in_an_ignored_field_is_fine():
    value = b'{"id": "a", "body": "x", "meta": ' + b"[" * 200 + b"]" * 200 + b"}"
    assert decode_article(value, LIMIT).id == "a"


def test_brackets_inside_strings_are_not_nesting():
    body = "[" * 500
    assert decode_article(article(body=body), LIMIT).body == body


def test_text_longer_than_the_nlp_limit_is_oversize():
    rejected = reject_chars(article(title="T" * 10, body="word " * 300), 1000)
    assert rejected.reason is DeadLetterReason.OVERSIZE
    assert rejected.message == "title and body have 1510 characters; the limit is 1000"


# --- invalid_schema -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, b"null", b"true", b"42", b'"text"', b'[{"id": "a", "body": "x"}]'])
def test_not_an_object(value):
    assert reject(value).reason is DeadLetterReason.INVALID_SCHEMA


def test_tombstone_message():
    assert reject(None).message == "message has no value (tombstone)"


def test_array_message():
    assert reject(b"[]").message == "expected a JSON object, got list"


@pytest.mark.parametrize("fields", [
    {"id": 7},
    {"id": True},
    {"id": None},
    {"body": 123},
    {"body": ["a"]},
    {"title": ["a"]},
    {"title": None},
    {"url": 5},
    {"source": {"name": "x"}},
    {"language": 1},
    {"published_at": 1714560000},
    {"published_at": "yesterday"},
    {"schema_version": 2},
    {"schema_version": "1"},
], ids=repr)
def test_wrong_types(fields):
    assert reject(article(**fields)).reason is DeadLetterReason.INVALID_SCHEMA


@pytest.mark.parametrize("article_id", ["", "a b", "a\tb", "a\nb", "a\x00b", "a\x7fb", "x" * 257])
def test_id_pattern(article_id):
    assert reject(article(id=article_id)).reason is DeadLetterReason.INVALID_SCHEMA


@pytest.mark.parametrize("article_id", ["x" * 256, "ä/ö:1?&#", "urn:news:2024-05-01:42"])
def test_ids_that_pass(article_id):
    assert decode_article(article(id=article_id), LIMIT).id == article_id


def test_missing_id_and_missing_body():
    missing_id = reject(b'{"body": "text"}')
    assert (missing_id.reason, missing_id.message, missing_id.article_id) == \
        (DeadLetterReason.INVALID_SCHEMA, "id: Field required", None)
    missing_body = reject(b'{"id": "a-2"}')
    assert (missing_body.reason, missing_body.message, missing_body.article_id) == \
        (DeadLetterReason.INVALID_SCHEMA, "body: Field required", "a-2")


def test_schema_version_1_is_accepted_and_2_is_not():
    assert decode_article(article(schema_version=1), LIMIT).schema_version == 1
    assert reject(article(schema_version=2)).message.startswith("schema_version: Input should be 1")


def test_extra_fields_are_ignored():
    raw = decode_article(article(producer={"x": [1, 2]}, tags=["a"], id="a-3"), LIMIT)
    assert raw == RawArticle(id="a-3", body="Some text.")


def test_all_fields():
    raw = decode_article(article(title="T", url="https://x/1", source="Wire", language="en-GB",
                                 published_at="2024-05-01T12:30:00+02:00"), LIMIT)
    assert (raw.title, raw.url, raw.source, raw.language) == ("T", "https://x/1", "Wire", "en-GB")
    assert raw.published_at == datetime(2024, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))


def test_published_at_z_suffix_is_utc():
    raw = decode_article(article(published_at="2024-05-01T12:30:00Z"), LIMIT)
    assert raw.published_at == datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
    assert raw.published_at.utcoffset() == timedelta(0)


# --- empty_body -----------------------------------------------------------------------------------

@pytest.mark.parametrize("body", ["", " ", "\n\t \r\n", "\u00a0\u2003"])
def test_empty_body(body):
    rejected = reject(article(id="a-4", body=body))
    assert (rejected.reason, rejected.message, rejected.article_id) == \
        (DeadLetterReason.EMPTY_BODY, "body is empty or white space only", "a-4")


def test_empty_title_is_fine():
    assert decode_article(article(title=""), LIMIT).title == ""


# --- lone surrogates ------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["body", "title", "url", "source", "language"])
def test_lone_surrogate_escape_is_rejected(field):
    value = ('{"id": "a-5", "body": "fine", "%s": "broken \\ud800 pair"}' % field).encode()
    rejected = reject(value)
    assert rejected.reason is DeadLetterReason.INVALID_SCHEMA
    assert rejected.message.startswith(f"{field}: ") and rejected.article_id == "a-5"


# --- dead-letter records --------------------------------------------------------------------------

def test_dead_letter_round_trip():
    value = b'{"id": "a", "body": "caf\xe9"}\x00\xff'
    origin = Origin(topic="articles.raw", partition=3, offset=1234, key=b"k\x00\xfe")
    record = dead_letter(value, reject(value), origin)
    back = DeadLetter.model_validate_json(to_bytes(record))
    assert back == record
    assert back.original == value
    assert back.original_size == len(value)
    assert base64.b64decode(back.original_key_base64) == b"k\x00\xfe"
    assert (back.source_topic, back.source_partition, back.source_offset) == ("articles.raw", 3, 1234)
    assert (back.reason, back.article_id, back.schema_version) == (DeadLetterReason.NOT_UTF8, None, 2)


def test_dead_letter_carries_the_article_id():
    value = article(id="a-6", body="  ")
    record = dead_letter(value, reject(value), Origin())
    assert (record.reason, record.article_id, record.original) == (DeadLetterReason.EMPTY_BODY, "a-6", value)


def test_dead_letter_of_a_tombstone_without_origin():
    record = dead_letter(None, reject(None), Origin())
    assert (record.original, record.original_size, record.original_key_base64) == (b"", 0, None)
    assert (record.source_topic, record.source_partition, record.source_offset) == (None, None, None)


def test_dead_letter_of_the_same_message_is_byte_identical():
    value = b'{"id": "a-7", "body": 5}'
    origin = Origin(topic="articles.raw", partition=1, offset=9, key=b"a-7")
    first = to_bytes(dead_letter(value, reject(value), origin))
    assert to_bytes(dead_letter(value, reject(value), origin)) == first
    assert b"failed_at" not in first  # no clock in the value: the time is a header (schemas/topics.py)


def test_a_version_1_dead_letter_with_its_failed_at_still_reads():
    v1 = to_bytes(dead_letter(b"x", reject(b"x"), Origin())).replace(b'"schema_version":2', b'"schema_version":1')
    v1 = v1[:-1] + b',"failed_at":"2024-05-01T08:00:00Z"}'
    assert DeadLetter.model_validate_json(v1).schema_version == 1


# --- content hash ---------------------------------------------------------------------------------

def raw(**fields) -> RawArticle:
    return RawArticle(**{"id": "h-1", "title": "Title", "body": "Body text.", **fields})


def test_content_hash_is_sha256_of_title_nul_body():
    assert content_hash(raw()) == hashlib.sha256(b"Title\x00Body text.").hexdigest()
    assert content_hash(raw(title="", body="é")) == hashlib.sha256("\x00é".encode()).hexdigest()


def test_content_hash_is_stable_across_decodes():
    value = article(title="T", body="B")
    assert content_hash(decode_article(value, LIMIT)) == content_hash(decode_article(value, LIMIT))


def test_content_hash_sees_title_and_body_only():
    base = content_hash(raw())
    assert content_hash(raw(title="Title!")) != base
    assert content_hash(raw(body="Body text!")) != base
    assert content_hash(raw(id="h-2", url="u", source="s", language="de",
                            published_at=datetime(2024, 1, 1, tzinfo=timezone.utc))) == base
    # the separator keeps title and body apart
    assert content_hash(raw(title="ab", body="c")) != content_hash(raw(title="a", body="bc"))


# --- fan-out keys ---------------------------------------------------------------------------------

PIPELINE = PipelineInfo(version="0.1.0", model="m", model_version="1")


def mention(text: str, start: int) -> EntityMention:
    return EntityMention(text=text, label="PERSON", field="body", start=start, end=start + len(text))


def statement(speaker: str | None, content: str) -> Statement:
    return Statement(kind="direct", speaker=speaker, speaker_mention=speaker, cue="said", content=content,
                     cue_span=Span(field="body", start=0, end=4), content_span=Span(field="body", start=5, end=9))


def enriched(**fields) -> EnrichedArticle:
    return EnrichedArticle(**{
        "id": "e-1", "title": "T", "body": "Ann Lee said so. Lee left.", "language": "en",
        "content_hash": "0" * 64, "pipeline": PIPELINE,
        "entities": [
            Entity(id="e1", name="Ann Lee", type="PERSON", count=2, mentions=[mention("Ann Lee", 0), mention("Lee", 17)]),
            Entity(id="e2", name="Geneva", type="GPE", count=1, mentions=[mention("Geneva", 30)]),
        ],
        "statements": [statement("Ann Lee", "so"), statement(None, "left")],
        **fields,
    })


def test_entity_records_are_keyed_by_canonical_name():
    records = entity_records(enriched())
    assert [key for key, _ in records] == ["Ann Lee", "Geneva"]
    _, first = records[0]
    assert (first.article_id, first.entity_id, first.name, first.type, first.count) == ("e-1", "e1", "Ann Lee", "PERSON", 2)
    assert first.mentions == [mention("Ann Lee", 0), mention("Lee", 17)]


def test_statement_records_are_keyed_by_speaker_or_none():
    article = enriched()
    records = statement_records(article)
    assert [(key, rec.article_id, rec.index) for key, rec in records] == [("Ann Lee", "e-1", 0), (None, "e-1", 1)]
    assert [rec.statement for _, rec in records] == article.statements


def test_no_entities_no_statements_no_records():
    article = enriched(entities=[], statements=[])
    assert (entity_records(article), statement_records(article)) == ([], [])


# --- the one encoding -------------------------------------------------------------------------------

def test_to_bytes_is_deterministic_compact_utf8():
    a = enriched(title="Café")
    b = EnrichedArticle.model_validate(json.loads(json.dumps(a.model_dump(mode="json"), sort_keys=True)))
    assert to_bytes(a) == to_bytes(b)
    data = to_bytes(a)
    assert data.startswith(b'{"schema_version":1,"id":"e-1","title":"Caf\xc3\xa9","body":')
    assert data == json.dumps(json.loads(data), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert list(json.loads(data)) == list(EnrichedArticle.model_fields)
