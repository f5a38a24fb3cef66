"""Issue 6 bad-input catalogue, the cases that are published with a flag (or dead-lettered for time).

The dead-letter cases (not JSON, not UTF-8, wrong shape, empty body, oversize) are checked one by
one in test_pipeline.py; here: language, HTML, pathological text, and revisions, on the real broker.
"""

import json

import pytest

from tests.support.kafka_io import produce, read_topic

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

ENGLISH = ("The minister said on Monday that the new railway line would open next spring. "
           "\"We are on schedule,\" she told reporters in the capital.")
SPANISH = ("El ministro dijo el lunes que la nueva línea de ferrocarril se abrirá la próxima primavera. "
           "\"Vamos según lo previsto\", dijo a los periodistas en la capital, donde se reunió con los alcaldes "
           "de las ciudades afectadas por las obras de los últimos años.")


def article(article_id: str, body: str, **fields) -> tuple[bytes, bytes]:
    return article_id.encode(), json.dumps({"id": article_id, "title": fields.pop("title", ""), "body": body,
                                            **fields}).encode()


def test_flagged_inputs_are_published_and_the_worker_keeps_running(broker, make_worker, topics_env):
    cases = [
        article("lang-declared", ENGLISH, language="fr"),
        article("lang-detected", SPANISH),
        article("html", f"<html><body><p>{ENGLISH}</p><script>alert('x')</script><p>Second &amp; last.</p></body></html>"),
        article("quotes", "\"" * 5000 + " " + ENGLISH + " " + "\u201c" * 3000),
        article("revision", ENGLISH),
        article("revision", ENGLISH + " A later paragraph was added."),
        article("slow", "the minister said that the new line would open and " * 2000 + "end", title="One sentence"),
    ]
    worker = make_worker(WIRESTREAM_TIME_BUDGET_S="1", WIRESTREAM_POOL_PROCESSES="1").start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], cases)
    want = {"lang-declared", "lang-detected", "html", "quotes"}  # and "slow", or its dead letter
    enriched = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_ENRICHED"],
                          until=lambda rs: sum(json.loads(r.value)["id"] == "revision" for r in rs) >= 2
                          and want <= {json.loads(r.value)["id"] for r in rs})
    dead = read_topic(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_DLQ"], timeout=20, idle=3)
    by_id: dict[str, list[dict]] = {}
    for r in enriched:
        value = json.loads(r.value)
        by_id.setdefault(value["id"], []).append(value)

    letters = [json.loads(r.value) for r in dead]
    assert want <= set(by_id), [(d["article_id"], d["reason"], d["message"]) for d in letters]
    for key in ("lang-declared", "lang-detected"):
        a = by_id[key][0]
        assert "language_skipped" in a["flags"] and a["entities"] == [] and a["statements"] == []
    assert by_id["lang-declared"][0]["language"] == "fr"

    html = by_id["html"][0]
    assert "html_stripped" in html["flags"] and "<p>" not in html["body"] and "alert" not in html["body"]
    assert "Second & last." in html["body"]
    assert any(s["speaker_mention"] for s in html["statements"])
    for s in html["statements"]:
        span = s["content_span"]
        assert html[span["field"]][span["start"]:span["end"]] == s["content"]

    assert by_id["quotes"][0]["id"] == "quotes"  # thousands of quote marks: enriched, in time

    first, second = by_id["revision"]
    assert (first["revision"], second["revision"]) == (1, 2)
    assert "revision" in second["flags"] and first["content_hash"] != second["content_hash"]

    # Over budget, one of the two documented outcomes: the parse overran (the NLP process is
    # killed, the article dead-lettered) or the rules did (published, flagged, no statements).
    if "slow" in by_id:
        slow = by_id["slow"][0]
        assert "time_budget_exceeded" in slow["flags"] and slow["statements"] == []
    else:
        assert [(d["article_id"], d["reason"]) for d in letters] == [("slow", "time_budget")]
    assert worker.process.poll() is None
