"""A worker's query API for tests, and the counts it must give, computed from the topics themselves."""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime

from streams.aggregates.windows import day_start
from tests.support.kafka_io import read_topic


def api_get(worker, path: str, token: str | None = None, **params) -> tuple[int, dict]:
    url = worker.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            return exc.code, json.loads(body)
        except ValueError:
            return exc.code, {"raw": body.decode("utf-8", "replace")}


def metric(worker, series: str) -> float:
    for line in worker.get("/metrics")[1].decode().splitlines():
        if line.startswith(series + " "):
            return float(line.split()[1])
    return 0.0


class FromTopics:
    """What the aggregates must say, from the statements and entities topics (and the enriched
    articles for their arrival day). Records are counted once per (article, index) and (article,
    entity id), as first published: a topic may carry a record twice after a crash, and the tables
    count an article revision once, as first seen (the copy is identical, unless the engine's code
    changed between the two enrichments, as it may in a working tree that others edit)."""

    def __init__(self, bootstrap: str, topics_env: dict[str, str], ids: set[str], timeout: float = 600):
        enriched = read_topic(bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"], timeout=timeout,
                              until=lambda rs: {json.loads(r.value)["id"] for r in rs} >= ids)
        articles = {}
        for r in enriched:
            a = json.loads(r.value)
            articles.setdefault(a["id"], a)  # the version first published, as the tables count it
        assert set(articles) == ids, f"enriched {len(articles)} of {len(ids)}"
        self.day_of = {i: day_start(datetime.fromisoformat(a["received_at"]).timestamp()) for i, a in articles.items()}
        n_statements = sum(1 for a in articles.values() for s in a["statements"])
        n_entities = sum(len(a["entities"]) for a in articles.values())
        statements = read_topic(bootstrap, topics_env["WIRESTREAM_TOPIC_STATEMENTS"], timeout=timeout,
                                until=lambda rs: len(rs) >= n_statements)
        entities = read_topic(bootstrap, topics_env["WIRESTREAM_TOPIC_ENTITIES"], timeout=timeout,
                              until=lambda rs: len(rs) >= n_entities)
        first = {i: (len(a["statements"]), {e["id"] for e in a["entities"]}) for i, a in articles.items()}
        self.statements = self._statements(statements, first)
        self.mentions, self.entity_articles, self.entity_types = self._entities(entities, first)
        self.days = sorted(set(self.day_of.values()))

    @staticmethod
    def _statements(records, first) -> Counter:
        seen = {}
        for r in records:
            v = json.loads(r.value)
            if r.key is None or v["index"] >= first[v["article_id"]][0]:
                continue  # no speaker: not counted by anyone; or of another version of the article
            seen.setdefault((v["article_id"], v["index"]), r.key.decode())
        return Counter(seen.values())

    @staticmethod
    def _entities(records, first):
        seen = {}
        for r in records:
            v = json.loads(r.value)
            if v["entity_id"] not in first[v["article_id"]][1]:
                continue
            seen.setdefault((v["article_id"], v["entity_id"]), (r.key.decode(), v["type"], v["count"]))
        mentions, articles, types = Counter(), defaultdict(set), defaultdict(set)
        for (article, _), (name, etype, count) in seen.items():
            mentions[name] += count
            articles[name].add(article)
            types[name].add(etype)
        return mentions, {n: len(a) for n, a in articles.items()}, types


def api_speaker_forms(worker, days: list[int], token: str | None = None) -> tuple[Counter, int]:
    """Statements per form (the topics' key) summed over the identities of /api/top/speakers, per day;
    and the number of identities listed (the list must not be cut off by its limit)."""
    forms, listed = Counter(), 0
    for day in days:
        status, body = api_get(worker, "/api/top/speakers", token, window="1d", limit=1000, start=day)
        assert status == 200, body
        listed = max(listed, len(body["items"]))
        for item in body["items"]:
            assert item["statements"] == sum(f["statements"] for f in item["forms"]) == item["count"]
            for f in item["forms"]:
                forms[f["name"]] += f["statements"]
    return +forms, listed
