"""Issue 13 on the real broker: the live aggregates equal what the topics carry, survive kill -9, and
answer for the whole key space from any worker of the group; the token is enforced."""

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.integration.test_pipeline import good_articles
from tests.support.api import FromTopics, api_get, api_speaker_forms, metric
from tests.support.delivery import wait_until_all_committed
from tests.support.kafka_io import produce, read_topic
from tests.support.paths import ROOT, SEED_ARTICLE
from tests.support.polling import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

SAMPLES = ROOT / "samples" / "articles.jsonl"

TOKEN = "tok-" + "5d1c9a77e2"


def entity_forms(worker, want: FromTopics, token: str | None = None) -> tuple[Counter, Counter]:
    """Mentions and articles per entity form, each (name, type) looked up in /api/entity, per day."""
    mentions, articles = Counter(), Counter()
    for name, types in want.entity_types.items():
        for etype in sorted(types):
            for day in want.days:
                status, body = api_get(worker, "/api/entity", token, name=name, type=etype, window="1d", start=day)
                if status == 404:
                    continue  # not named that day
                assert status == 200, (name, etype, body)
                form = next((f for f in body["identity"]["forms"] if f["name"] == name), None)
                if form is None:
                    continue  # known to its group, not named in this day's window
                mentions[name] += form["mentions"]
                articles[name] += form["articles"]
    return +mentions, +articles


def wait_until_inputs_committed(broker, topics_env, worker) -> None:
    """The aggregates' own committers (both input topics are subscribed with acks=False, so faust
    commits neither) bring the group's committed offsets to the end of each: nothing left to redo."""
    group = topics_env["WIRESTREAM_APP_ID"]
    for topic in (topics_env["WIRESTREAM_TOPIC_ENRICHED"], f"{group}-agg-facts"):
        wait_until_all_committed(broker.bootstrap, group, topic, stall_s=60, log=worker.log_tail)


def settled(worker, want: FromTopics, token: str | None = None) -> bool:
    """The aggregates have caught up: every statement the topics carry is counted."""
    return sum(api_speaker_forms(worker, want.days, token)[0].values()) == sum(want.statements.values())


def test_api_counts_equal_the_topics_and_a_wrong_token_gets_401(broker, make_worker, topics_env):
    good = good_articles()  # the seed article and PolNeAR dev
    worker = make_worker(WIRESTREAM_API_TOKEN=TOKEN).start()
    for path in ("/api/top/speakers", "/api/local/top/speakers", "/api/speaker?name=x", "/ui/", "/ui/article/x"):
        assert api_get(worker, path)[0] == 401, path
        assert api_get(worker, path, token="wrong")[0] == 401, path
    assert api_get(worker, "/api/top/speakers", TOKEN)[0] == 200
    assert api_get(worker, "/api/top/speakers", TOKEN, window="2h")[0] == 400

    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], good)
    want = FromTopics(broker.bootstrap, topics_env, {k.decode() for k, _ in good})
    assert sum(want.statements.values()) > 500 and sum(want.mentions.values()) > 1000
    wait_for(lambda: settled(worker, want, TOKEN), 300, "aggregates caught up", pause=2, log=worker.log_tail)

    forms, listed = api_speaker_forms(worker, want.days, TOKEN)
    assert listed < 1000, "the top list was cut off: the comparison would be incomplete"
    assert forms == want.statements
    mentions, articles = entity_forms(worker, want, TOKEN)
    assert mentions == want.mentions
    assert articles == Counter(want.entity_articles)
    assert TOKEN not in worker.log_path.read_text(errors="replace"), "the token must never be logged"

    # Every enriched record delivered again (as after a crash): the tables recognise each fact.
    facts_before = metric(worker, 'wirestream_aggregate_records_total{agent="facts",outcome="applied"}')
    enriched = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], timeout=60, idle=2)
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], [(r.key, r.value) for r in enriched])
    wait_for(lambda: metric(worker, 'wirestream_aggregate_records_total{agent="facts",outcome="duplicate"}')
             >= facts_before, 300, "every re-delivered fact seen", pause=2, log=worker.log_tail)
    assert metric(worker, 'wirestream_aggregate_records_total{agent="facts",outcome="applied"}') == facts_before
    assert api_speaker_forms(worker, want.days, TOKEN)[0] == want.statements
    assert entity_forms(worker, want, TOKEN)[0] == want.mentions
    wait_until_inputs_committed(broker, topics_env, worker)

    # Unreadable records on both input topics are counted and skipped; the agents go on.
    bad = [b"not json", b"[1, 2]", json.dumps({"id": "x", "entities": "nope", "statements": []}).encode(), b"{}"]
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], [(b"bad", v) for v in bad])
    produce(broker.bootstrap, f"{topics_env['WIRESTREAM_APP_ID']}-agg-facts", [(None, b"\xff\xfe"), (None, b"{}")])
    wait_for(lambda: metric(worker, 'wirestream_aggregate_records_total{agent="articles",outcome="invalid"}') == 4
             and metric(worker, 'wirestream_aggregate_records_total{agent="facts",outcome="invalid"}') == 2,
             120, "bad records counted", pause=1, log=worker.log_tail)
    late = {"id": "late-1", "title": "", "language": "en", "source": "Late Wire",
            "body": "Harbour master Ingrid Solberg said on Monday that the ferry would sail again in May."}
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], [(b"late-1", json.dumps(late).encode())])
    wait_for(lambda: api_get(worker, "/api/speaker", TOKEN, name="Ingrid Solberg")[0] == 200, 120,
             "an article after the bad records aggregated", pause=1, log=worker.log_tail)


def test_kill_9_mid_stream_then_restart_counts_end_exact_from_the_changelog(broker, make_worker, topics_env):
    good = good_articles()
    worker = make_worker().start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], good)
    applied = 'wirestream_aggregate_records_total{agent="articles",outcome="applied"}'
    wait_for(lambda: metric(worker, applied) >= 15, 300, "some articles aggregated", pause=0.5, log=worker.log_tail)
    aggregated = metric(worker, applied)
    worker.kill()  # SIGKILL to the worker and its NLP processes
    # Mid-stream for the aggregates, whose tables are under test: under CPU contention the enrich
    # agent may have published every article already, and that is no matter here.
    assert aggregated < len(good), "killed too late to test anything"
    enriched = len(read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], timeout=5, idle=1))
    print(f"killed with {aggregated:.0f} of {len(good)} articles aggregated, {enriched} enriched")

    # A new worker with an empty state directory: its tables come from the changelog topics alone.
    restarted = make_worker().start()
    want = FromTopics(broker.bootstrap, topics_env, {k.decode() for k, _ in good})
    wait_for(lambda: settled(restarted, want), 400, "aggregates caught up after the restart", pause=2,
             log=restarted.log_tail)
    time.sleep(5)  # a late re-delivery would show now
    assert api_speaker_forms(restarted, want.days)[0] == want.statements
    mentions, articles = entity_forms(restarted, want)
    assert mentions == want.mentions and articles == Counter(want.entity_articles)
    wait_until_inputs_committed(broker, topics_env, restarted)
    duplicates = metric(restarted, 'wirestream_aggregate_records_total{agent="facts",outcome="duplicate"}')
    print(f"facts re-delivered after the kill and recognised: {duplicates:.0f}")


def small_set() -> list[tuple[bytes, bytes]]:
    lines = SEED_ARTICLE.read_bytes().splitlines() + SAMPLES.read_bytes().splitlines()
    return [(json.loads(line)["id"].encode(), line) for line in lines if line.strip()]


def test_two_workers_each_answer_every_key(broker, make_worker, topics_env):
    settings = {"WIRESTREAM_POOL_PROCESSES": "1"}
    first, second = make_worker(**settings).start(), make_worker(**settings).start()
    # both must own partitions (one ready, the other rebalancing, is not the case under test)
    wait_for(lambda: all(w.get("/ready")[0] == 200 for w in (first, second)), 180, "both workers ready",
             log=lambda: first.log_tail() + second.log_tail())
    articles = small_set()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], articles)
    want = FromTopics(broker.bootstrap, topics_env, {k.decode() for k, _ in articles})
    wait_for(lambda: settled(first, want) and settled(second, want), 300, "both answer every statement", pause=2)

    urls = {first.url, second.url}
    owners = Counter()
    for name, types in want.entity_types.items():
        for etype in sorted(types):
            answers = [api_get(w, "/api/entity", name=name, type=etype, window="1d", start=want.days[-1])
                       for w in (first, second)]
            if answers[0][0] == 404 and len(want.days) > 1:
                continue  # named on the other day only
            assert answers[0] == answers[1] and answers[0][0] == 200, (name, etype, answers)
            owners[answers[0][1]["answered_by"]] += 1
    assert set(owners) == urls, f"keys must be held by both workers: {owners}"
    for key, _ in articles:  # articles are routed by id to the worker holding them
        answers = [api_get(w, f"/api/article/{key.decode()}") for w in (first, second)]
        assert answers[0] == answers[1] and answers[0][0] == 200 and answers[0][1]["id"] == key.decode()
    for kind in ("speakers", "entities"):
        tops = [api_get(w, f"/api/top/{kind}", window="1d", limit=50, start=want.days[-1]) for w in (first, second)]
        assert tops[0] == tops[1] and tops[0][0] == 200
        assert set(tops[0][1]["workers"]) == urls and tops[0][1]["items"]
    assert api_speaker_forms(second, want.days)[0] == want.statements

    # the CLI prints the same, asking either worker
    top = cli("top", "speakers", "--limit", "5", "--url", first.url)
    _, body = api_get(second, "/api/top/speakers", limit=5)
    for item in body["items"]:
        assert f"{item['name']}  " in top and f"  {item['count']}  " in top, top
    _, profile = api_get(first, "/api/speaker", name="de Mistura")
    who = cli("who", "de Mistura", "--url", second.url)
    assert who.startswith(f"Staffan de Mistura (PERSON): {profile['identity']['statements']} statements"), who


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_split_roles_an_enrich_worker_and_an_aggregates_worker_count_the_topics_exactly(broker, make_worker,
                                                                                          topics_env):
    """The split deployment: an enrich-role worker (no tables, no /api) and an aggregates-role worker (a
    faust app and consumer group of its own, reading the enriched topic, lowered CPU priority) together
    give the API counts the statements and entities topics carry."""
    aggregates = make_worker("aggregates", WIRESTREAM_WORKER_ROLE="aggregates").start()
    enrich = make_worker("enrich", WIRESTREAM_WORKER_ROLE="enrich").start()
    assert api_get(enrich, "/api/top/speakers")[0] == 404, "the enrich role serves no aggregates"
    assert json.loads(aggregates.get("/ready")[1])["ready"]
    nice = int((open(f"/proc/{aggregates.process.pid}/stat").read().rsplit(")", 1)[1].split())[16])
    assert nice >= 10, f"the aggregates worker must yield the CPU (nice {nice})"
    autogroup = Path(f"/proc/{aggregates.process.pid}/autogroup")
    if autogroup.exists():  # scheduling by session: the session's nice value is what counts
        assert int(autogroup.read_text().split()[-1]) >= 10, autogroup.read_text()

    good = good_articles()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], good)
    want = FromTopics(broker.bootstrap, topics_env, {k.decode() for k, _ in good})
    wait_for(lambda: settled(aggregates, want), 300, "aggregates caught up", pause=2, log=aggregates.log_tail)
    assert api_speaker_forms(aggregates, want.days)[0] == want.statements
    mentions, articles = entity_forms(aggregates, want)
    assert mentions == want.mentions and articles == Counter(want.entity_articles)
    assert metric(enrich, 'wirestream_aggregate_records_total{agent="articles",outcome="applied"}') == 0
    # the aggregates group commits its inputs; the enrichment's group never reads the enriched topic
    group = f"{topics_env['WIRESTREAM_APP_ID']}-aggregates"
    for topic in (topics_env["WIRESTREAM_TOPIC_ENRICHED"], f"{group}-agg-facts"):
        wait_until_all_committed(broker.bootstrap, group, topic, stall_s=60, log=aggregates.log_tail)
    wait_until_all_committed(broker.bootstrap, topics_env["WIRESTREAM_APP_ID"], topics_env["WIRESTREAM_TOPIC_RAW"],
                             stall_s=60, log=enrich.log_tail)
