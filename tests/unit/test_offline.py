"""``wirestream enrich`` as a subprocess without any broker, and the offline == stream contract: the
lines it writes are the bytes the Processor publishes to the enriched topic for the same input."""

import asyncio
import json
import os
import subprocess
import sys

import pytest

from schemas import EnrichedArticle
from streams.codec import Origin
from streams.nlp.engine import pipeline_info
from tests.support.inprocess import in_process_pool
from streams.worker.processor import Incoming, Processor
from streams.settings import ENV_PREFIX, Settings
from tests.support.paths import ROOT, SEED_ARTICLE

SETTINGS = Settings()
HTML_ARTICLE = json.dumps({
    "id": "html-1", "title": "Mayor: <b>bridge</b> to reopen", "source": "Wire", "language": "en",
    "body": "<p>The bridge will reopen in May, Mayor Ann Lee said on Monday.</p>"
            "<p>&ldquo;We are ready,&rdquo; she told reporters in Springfield.</p>",
}).encode()
SHORT_ARTICLE = json.dumps({"id": "short-1", "body": "John Smith, the UN envoy, said talks would go on."}).encode()


def wirestream_enrich(tmp_path, input_bytes: bytes) -> tuple[subprocess.CompletedProcess, list[bytes]]:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(input_bytes)
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
    env[ENV_PREFIX + "KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9"  # nothing listens there: no broker needed
    done = subprocess.run([sys.executable, "-m", "streams.cli", "enrich", "--input", str(source), "--output", str(output)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return done, output.read_bytes().splitlines()


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    return wirestream_enrich(tmp_path_factory.mktemp("seed"), SEED_ARTICLE.read_bytes())


BAD_FILE_LINES = [
    SEED_ARTICLE.read_bytes().strip(),  # 1
    b"this is not json",  # 2
    b"",  # 3: blank lines are skipped, not rejected
    HTML_ARTICLE,  # 4
    b'{"id": "e-1", "body": "  "}',  # 5
    b'{"id": "l-1", "body": "caf\xe9"}',  # 6
    b'{"id": 7, "body": "text"}',  # 7
    SHORT_ARTICLE,  # 8
]


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    return wirestream_enrich(tmp_path_factory.mktemp("mixed"), b"\n".join(BAD_FILE_LINES) + b"\n")


def test_seed_enriches_without_a_broker(seed_run):
    done, lines = seed_run
    assert done.returncode == 0, done.stderr
    assert done.stderr == "enriched 1, rejected 0\n"
    assert len(lines) == 1
    article = EnrichedArticle.model_validate_json(lines[0])
    assert (article.id, article.received_at, article.revision) == ("seed-0001", None, 1)
    assert (article.pipeline.model, article.language) == (SETTINGS.model, "en")
    assert article.entities and article.statements


def test_every_mention_slices_its_text(seed_run):
    article = EnrichedArticle.model_validate_json(seed_run[1][0])
    mentions = [m for e in article.entities for m in e.mentions]
    assert len(mentions) == sum(e.count for e in article.entities)
    assert [getattr(article, m.field)[m.start:m.end] for m in mentions] == [m.text for m in mentions]


def test_bad_lines_are_reported_and_skipped(mixed_run):
    done, lines = mixed_run
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "line 2: rejected (not_json): not JSON: Expecting value: line 1 column 1 (char 0)",
        "line 5: rejected (empty_body): body is empty or white space only",
        "line 6: rejected (not_utf8): not UTF-8: invalid continuation byte at byte 26",
        "line 7: rejected (invalid_schema): id: Input should be a valid string",
        "enriched 3, rejected 4",
    ]
    assert [json.loads(line)["id"] for line in lines] == ["seed-0001", "html-1", "short-1"]


def test_html_is_stripped_offline(mixed_run):
    article = EnrichedArticle.model_validate_json(mixed_run[1][1])
    assert article.flags == ["html_stripped"]
    assert (article.title, article.body) == (
        "Mayor: bridge to reopen",
        "The bridge will reopen in May, Mayor Ann Lee said on Monday.\n\n\u201cWe are ready,\u201d she told "
        "reporters in Springfield.")


@pytest.fixture(scope="module")
def processor():
    with in_process_pool(SETTINGS) as pool:
        yield Processor(SETTINGS, pool, pipeline_info(SETTINGS.model))


def test_offline_output_is_what_the_stream_publishes(processor, seed_run, mixed_run):
    good = [BAD_FILE_LINES[0], HTML_ARTICLE, SHORT_ARTICLE]
    batch = [Incoming(value, Origin(topic=SETTINGS.topic_raw, partition=0, offset=i, key=None, timestamp=None))
             for i, value in enumerate(good)]
    result = asyncio.run(processor.process(batch))
    published = [r.value for r in result.records if r.topic == SETTINGS.topic_enriched]
    assert published == mixed_run[1]
    assert published[0] == seed_run[1][0]
