"""Dead letters on the real broker: ``wirestream dlq list`` and ``dlq replay``, and a bad message processed
twice giving byte-identical dead letters.

The story an operator lives through: a worker with a tight size limit dead-letters three good but
large articles (and a message that is plain garbage); the cause is fixed (a worker with the default
limit takes over); ``dlq replay --reason oversize`` sends the three back and they are enriched.
Replaying them a second time publishes nothing new: the copies are duplicates for the seen table.
One raw partition, so that source offsets are the order the messages were produced in.
"""

import json
import os
import subprocess
import sys

import pytest

from datetime import datetime

from schemas import DeadLetter
from schemas.topics import FAILED_AT_HEADER, REPLAYED_FROM_HEADER
from tests.support.kafka_io import produce, read_topic
from tests.support.malformed import catalogue
from tests.support.paths import ROOT
from tests.support.polling import wait_for
from tests.support.terminal import on_a_terminal

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TIGHT_LIMIT = 2048  # bytes: the "misconfigured" worker's WIRESTREAM_MAX_MESSAGE_BYTES
SETTINGS = {"WIRESTREAM_TOPIC_PARTITIONS": "1", "WIRESTREAM_POOL_PROCESSES": "1"}


def article(article_id: str, paragraphs: int) -> bytes:
    body = "\n\n".join(f"Ann Lee, the mayor of Springfield, said on Monday that the bridge would reopen in May. "
                       f"Repairs went on through the winter, she said, part {i}." for i in range(paragraphs))
    return json.dumps({"id": article_id, "title": "Bridge to reopen", "body": body}).encode()


# (key, value) in production order: source offsets 0..5
MESSAGES = [
    (b"small-1", article("small-1", 2)),
    (b"large-1", article("large-1", 30)),
    (b"junk-1", b"this is not json"),
    (b"large-2", article("large-2", 30)),
    (b"small-2", article("small-2", 2)),
    (b"large-3", article("large-3", 30)),
]
LARGE = {b"large-1", b"large-2", b"large-3"}


def wirestream(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


def table_rows(done: subprocess.CompletedProcess) -> list[list[str]]:
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == ["REASON", "PARTITION", "SOURCE", "OFFSET", "SIZE", "MESSAGE"]
    return [row.split(maxsplit=4) for row in rows]


def outcome_count(worker, outcome: str) -> float:
    _, body = worker.get("/metrics")
    prefix = f'wirestream_messages_processed_total{{outcome="{outcome}"}} '
    return next((float(line[len(prefix):]) for line in body.decode().splitlines() if line.startswith(prefix)), 0.0)


def enriched_ids(records) -> list[str]:
    return sorted(json.loads(r.value)["id"] for r in records)


def test_dead_letters_listed_fixed_replayed_enriched_and_a_second_replay_publishes_nothing_new(
        broker, make_worker, topics_env):
    env = {**broker.env(), **topics_env, **SETTINGS}
    raw, enriched, dlq = (topics_env[f"WIRESTREAM_TOPIC_{name}"] for name in ("RAW", "ENRICHED", "DLQ"))
    assert all(len(value) > TIGHT_LIMIT for key, value in MESSAGES if key in LARGE)
    assert all(len(value) < TIGHT_LIMIT for key, value in MESSAGES if key not in LARGE)

    # 1. A worker with a tight size limit: the large articles and the garbage are dead-lettered.
    tight = make_worker("tight", **SETTINGS, WIRESTREAM_MAX_MESSAGE_BYTES=str(TIGHT_LIMIT)).start()
    produce(broker.bootstrap, raw, MESSAGES)
    letters = read_topic(broker.bootstrap, dlq, until=lambda rs: len(rs) >= 4, timeout=180, idle=2)
    assert enriched_ids(read_topic(broker.bootstrap, enriched, until=lambda rs: len(rs) >= 2)) == ["small-1", "small-2"]
    tight.stop()
    assert sorted(DeadLetter.model_validate_json(r.value).reason.value for r in letters) == \
        ["not_json", "oversize", "oversize", "oversize"]

    # 2. dlq list: the table, filtered by reason, source offsets and a limit.
    rows = table_rows(wirestream(env, "dlq", "list"))
    assert [(r[0], r[1], r[2]) for r in rows] == [("oversize", "0", "1"), ("not_json", "0", "2"),
                                                 ("oversize", "0", "3"), ("oversize", "0", "5")]
    assert rows[0][3] == str(len(MESSAGES[1][1])) and rows[0][4].startswith("message is")
    assert [r[2] for r in table_rows(wirestream(env, "dlq", "list", "--reason", "oversize"))] == ["1", "3", "5"]
    assert [r[2] for r in table_rows(wirestream(env, "dlq", "list", "--from-offset", "2", "--to-offset", "3"))] == \
        ["2", "3"]
    assert len(table_rows(wirestream(env, "dlq", "list", "--limit", "1"))) == 1

    # 3. The cause fixed: a worker with the default limit. A dry run sends nothing.
    fixed = make_worker("fixed", **SETTINGS).start()
    dry = wirestream(env, "dlq", "replay", "--reason", "oversize", "--dry-run")
    assert dry.returncode == 0 and "would replay 3 dead letters" in dry.stderr, dry.stderr
    assert len(read_topic(broker.bootstrap, raw, timeout=10, idle=1)) == len(MESSAGES)

    # 4. Replay: the original bytes, keyed as they came, with a header naming the dead letter; enriched.
    done = wirestream(env, "dlq", "replay", "--reason", "oversize")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == f"replayed 3 dead letters to {raw}, skipped 0"
    assert "replaying" not in done.stderr, "no progress bar when stderr is not a terminal"
    replayed = read_topic(broker.bootstrap, raw, timeout=10, idle=1)[len(MESSAGES):]
    letter_names = {f"{r.topic}/{r.partition}/{r.offset}": r for r in letters}
    for record in replayed:
        [(name, value)] = [h for h in record.headers if h[0] == REPLAYED_FROM_HEADER]
        letter = DeadLetter.model_validate_json(letter_names[value.decode()].value)
        assert (record.key, record.value) == (letter_names[value.decode()].key, letter.original)
    assert sorted(r.key for r in replayed) == sorted(LARGE)
    everything = ["large-1", "large-2", "large-3", "small-1", "small-2"]
    records = read_topic(broker.bootstrap, enriched, until=lambda rs: len(rs) >= 5, timeout=180)
    assert enriched_ids(records) == everything, fixed.log_tail()

    # 5. Replay twice: the copies are duplicates (same key, same bytes, same partition); nothing new downstream.
    wait_for(lambda: outcome_count(fixed, "enriched") == 3, 60, "the first replay counted", log=fixed.log_tail)
    duplicates = outcome_count(fixed, "duplicate")
    # (this time at a terminal, where the progress bar shows)
    status, shown = on_a_terminal([sys.executable, "-m", "streams.cli", "dlq", "replay", "--reason", "oversize"],
                                  {**os.environ, **env}, ROOT)
    assert status == 0, shown
    assert "replaying: 100%" in shown and "3/3" in shown, shown
    assert f"replayed 3 dead letters to {raw}, skipped 0" in shown
    wait_for(lambda: outcome_count(fixed, "duplicate") == duplicates + 3, 120, "the second replay seen as duplicates",
             log=fixed.log_tail)
    assert enriched_ids(read_topic(broker.bootstrap, enriched, timeout=15, idle=3)) == everything
    assert len(read_topic(broker.bootstrap, dlq, timeout=10, idle=2)) == 4  # and no new dead letter
    assert outcome_count(fixed, "enriched") == 3


def test_a_bad_message_processed_twice_yields_byte_identical_dead_letters(broker, make_worker, topics_env):
    """The same raw records dead-lettered twice, as a re-delivery after a crash would: a second consumer
    group reads them again from the start and writes to the same dead-letter topic."""
    raw, dlq = topics_env["WIRESTREAM_TOPIC_RAW"], topics_env["WIRESTREAM_TOPIC_DLQ"]
    bad = [b for b in catalogue() if b.reason != "oversize"]  # every reason the decoder gives, but small
    for run in ("first", "second"):
        group = f"{topics_env['WIRESTREAM_APP_ID']}-{run}"
        worker = make_worker(run, WIRESTREAM_POOL_PROCESSES="1", WIRESTREAM_APP_ID=group).start()
        if run == "first":
            produce(broker.bootstrap, raw, [(b.key, b.value) for b in bad])  # once: the worker made the topics
        expected = len(bad) * (1 if run == "first" else 2)
        read_topic(broker.bootstrap, dlq, until=lambda rs, n=expected: len(rs) >= n, timeout=180, idle=2)
        worker.stop()

    records = read_topic(broker.bootstrap, dlq, timeout=10, idle=2)
    assert len(records) == 2 * len(bad)
    copies: dict[tuple, set[bytes]] = {}
    for record in records:
        letter = DeadLetter.model_validate_json(record.value)
        copies.setdefault((letter.source_partition, letter.source_offset), set()).add(record.value)
        [(_, when)] = [h for h in record.headers if h[0] == FAILED_AT_HEADER]
        assert datetime.fromisoformat(when.decode()).tzinfo is not None
    assert len(copies) == len(bad), "one dead letter value per bad message"
    assert all(len(values) == 1 for values in copies.values()), "the second copy differs from the first"
