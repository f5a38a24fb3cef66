"""Property (issue 6): whatever the bytes, Processor.process gives each message exactly one outcome
(an enriched record or a dead letter, or a duplicate of an earlier message of the batch), never
raises, and stays within the time budget. The NLP is real: one in-process engine for the module."""

import asyncio
import json
import re
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from schemas import DeadLetter, DeadLetterReason, EnrichedArticle
from streams.codec import Origin, Rejected, content_hash, decode_article
from streams.nlp.engine import pipeline_info
from tests.support.inprocess import in_process_pool
from streams.worker.processor import Incoming, Processor
from streams.settings import Settings

SETTINGS = Settings()
MARGIN_S = 10.0  # the pool's own start-up margin is 5 s; the rest is for a loaded CI machine
TIMINGS: list[float] = []


@pytest.fixture(scope="module")
def pool():
    with in_process_pool(SETTINGS) as pool:
        yield pool
    if TIMINGS:
        print(f"\n{len(TIMINGS)} batches, slowest {max(TIMINGS):.2f} s, total {sum(TIMINGS):.1f} s")


# --- strategies -------------------------------------------------------------------------------------

SENTENCES = [
    "The minister said on Friday that the talks would resume in Geneva.",
    '"We are ready," said Ann Lee, the mayor of Springfield.',
    "According to the United Nations, the ceasefire holds.",
    "He told reporters: \u201cThis is not over.\u201d",
    "Officials, who spoke on condition of anonymity, said the deal was close.",
    "\u2018Nothing is agreed,\u2019 she added, \u201cuntil everything is agreed.\u201d",
    "Staffan de Mistura: Talks go on",
    "Q: What now? A: We wait.",
]
PIECES = ['"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", " said", " says ", " told reporters",
          " according to ", "Ann Lee", " John Smith", " he", " she", " they", ", ", ". ", ": ", " \u2014 ", "\n\n",
          "<p>", "</p>", "&amp;", "<br>", "(", ")", "[", "{", " the", " UN", "\t", "\u00a0", "\u200b"]

english = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=60).map(" ".join)
quote_heavy = st.lists(st.sampled_from(PIECES), max_size=600).map("".join)
html = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=8).map(
    lambda s: "".join(f"<p>{x}</p><script>var a = '<p>x</p>';</script>" for x in s))
# Large bodies, in the sizes the engine can meet cheaply: quote-heavy English up to a few thousand
# words; English just over spaCy's 1,000,000-character limit but under the 1 MiB message limit;
# non-English near the message limit; and anything over it.
huge = st.one_of(
    st.builds(lambda s, n: s * n, st.sampled_from(SENTENCES), st.integers(20, 120)),
    st.integers(0, 30_000).map(lambda n: ("The man said it was fine. " * 38_500)[: 1_000_001 + n]),
    st.integers(900_000, 1_040_000).map(lambda n: ("xq\u00e9z " * 210_000)[:n]),
    st.integers(1, 1000).map(lambda n: "word " * (210_000 + n)),
)
text_body = st.one_of(st.text(min_size=1, max_size=400), english, quote_heavy, html, huge)
article_id = st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)
json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                          max_leaves=10)
# A producer's article: right types, random content.
valid_article = st.fixed_dictionaries(
    {"id": article_id, "body": text_body},
    optional={
        "title": st.one_of(st.text(max_size=80), english, quote_heavy),
        "url": st.text(max_size=30),
        "source": st.text(max_size=30),
        "language": st.sampled_from(["en", "en-GB", "de", "fr-CA", "EN"]),
        "published_at": st.sampled_from(["2024-05-01T12:30:00Z", "2024-05-01T12:30:00+02:00", "2024-05-01"]),
        "schema_version": st.just(1),
        "producer_meta": json_value,
    },
)
# Anything goes: missing fields, wrong types, bad values.
wild_article = st.fixed_dictionaries(
    {"body": st.one_of(text_body, st.sampled_from(["", " ", "\n\t", "\u00a0"]), st.integers(), st.none(),
                       st.lists(st.text(max_size=3)))},
    optional={
        "id": st.one_of(article_id, st.text(max_size=12), st.integers()),
        "title": st.one_of(st.text(max_size=80), st.none(), st.integers()),
        "url": st.one_of(st.text(max_size=30), st.none(), st.integers()),
        "language": st.one_of(st.text(max_size=40), st.integers()),
        "published_at": st.one_of(st.sampled_from(["yesterday", "2024-13-45T99:00:00Z", ""]), st.integers()),
        "schema_version": st.sampled_from([2, "1", None]),
        "extra": json_value,
    },
)


@st.composite
def near_valid(draw) -> bytes:
    fields = draw(valid_article if draw(st.integers(0, 3)) else wild_article)
    data = json.dumps(fields, ensure_ascii=draw(st.booleans())).encode("utf-8")
    mutation = draw(st.sampled_from(["none"] * 12 + ["truncate", "junk", "byte", "bom", "wrap", "nest"]))
    if mutation == "truncate":
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    elif mutation == "junk":
        data += draw(st.binary(min_size=1, max_size=8))
    elif mutation == "byte" and data:
        i = draw(st.integers(0, len(data) - 1))
        data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
    elif mutation == "bom":
        data = b"\xef\xbb\xbf" + data
    elif mutation == "wrap":
        data = b"[" + data + b"]"
    elif mutation == "nest":
        depth = draw(st.integers(1, 200))
        data = data[:-1] + b', "deep": ' + b"[" * depth + b"]" * depth + b"}"
    return data


@st.composite
def message(draw) -> bytes | None:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return draw(st.binary(max_size=300))
    if kind == 1:
        return None
    return draw(near_valid())


@st.composite
def batches(draw) -> list[bytes | None]:
    values = draw(st.lists(message(), min_size=1, max_size=4))
    if draw(st.booleans()):  # the same message again: a re-delivery inside the batch
        values.insert(draw(st.integers(0, len(values))), draw(st.sampled_from(values)))
    return values


# --- the property -----------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def decoded(value: bytes | None):
    try:
        return decode_article(value, SETTINGS.max_message_bytes)
    except Rejected:
        return None


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(values=batches())
def test_every_message_has_exactly_one_outcome(pool, values):
    batch = [Incoming(v, Origin(topic="raw", partition=0, offset=i, key=b"k%d" % i)) for i, v in enumerate(values)]
    processor = Processor(SETTINGS, pool, pipeline_info(SETTINGS.model))

    started = time.perf_counter()
    result = asyncio.run(processor.process(batch))
    elapsed = time.perf_counter() - started
    TIMINGS.append(elapsed)
    assert elapsed < SETTINGS.time_budget_s * len(batch) + MARGIN_S

    assert set(result.outcomes) <= {"enriched", "dead_letter", "duplicate"}
    assert sum(result.outcomes.values()) == len(batch)
    assert {r.topic for r in result.records} <= {SETTINGS.topic_enriched, SETTINGS.topic_dlq,
                                                 SETTINGS.topic_entities, SETTINGS.topic_statements}
    enriched = [EnrichedArticle.model_validate_json(r.value) for r in result.records if r.topic == SETTINGS.topic_enriched]
    dead = [DeadLetter.model_validate_json(r.value) for r in result.records if r.topic == SETTINGS.topic_dlq]
    for outcome in result.outcomes:  # pytest --hypothesis-show-statistics shows the mix
        event(outcome)
    for letter in dead:
        event(f"dead letter: {letter.reason.value}")
    assert len(enriched) == result.outcomes.get("enriched", 0)
    assert len(dead) == result.outcomes.get("dead_letter", 0)

    # Match every record to its own message: nothing is lost, nothing is made up.
    unmatched = Counter(v or b"" for v in values)
    for letter in dead:
        assert letter.reason in set(DeadLetterReason)
        assert unmatched[letter.original] > 0
        unmatched[letter.original] -= 1
    identities = {}
    for v in values:
        raw = decoded(v)
        if raw is not None:
            identities.setdefault((raw.id, content_hash(raw)), []).append(v)
    for article_out in enriched:  # (A, B, A again) enriches A twice: revisions 1 and 3
        candidates = [v or b"" for v in identities[(article_out.id, article_out.content_hash)] if unmatched[v or b""]]
        assert candidates
        unmatched[candidates[0]] -= 1
    left = list((+unmatched).elements())
    assert len(left) == result.outcomes.get("duplicate", 0)
    for v in left:  # a duplicate is a second copy of an article that was enriched or dead-lettered
        raw = decoded(v)
        assert raw is not None and len(identities[(raw.id, content_hash(raw))]) >= 2


def test_lone_surrogate_is_dead_lettered(pool):
    values = [b'{"id": "s-1", "body": "A lone \\udc00 surrogate."}', b'{"id": "s-2", "title": "\\ud83d", "body": "Fine."}']
    batch = [Incoming(v, Origin(offset=i)) for i, v in enumerate(values)]
    result = asyncio.run(Processor(SETTINGS, pool, pipeline_info(SETTINGS.model)).process(batch))
    assert result.outcomes == {"dead_letter": 2}
