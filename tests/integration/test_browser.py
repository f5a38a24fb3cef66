"""The worker's page in a real headless browser (Debian's chromium, Selenium) on the real broker:
publish articles, open the page, read what it shows, keep screenshots (var/artifacts/browser/)."""

import json
import time
import urllib.parse

import pytest

from tests.support.api import api_get
from tests.support.browser import browser  # noqa: F401  (the fixture)
from tests.support.kafka_io import produce
from tests.support.paths import ROOT, SEED_ARTICLE
from tests.support.polling import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

SAMPLES = ROOT / "samples" / "articles.jsonl"
TOKEN = "browser-" + "0c4e7d2a91"
# What the page shows of each segment of the marked text: offsets, classes, ids, text.
SEGMENTS_JS = """
return Array.from(document.querySelectorAll(arguments[0] + ' span.seg')).map(function (s) {
  return {start: +s.dataset.start, end: +s.dataset.end, cls: s.className.split(' '), text: s.textContent,
          entities: s.dataset.entities ? s.dataset.entities.split(' ') : [],
          statements: s.dataset.statements ? s.dataset.statements.split(' ').map(Number) : [],
          background: getComputedStyle(s).backgroundColor};
});"""


def lines_of(*paths) -> list[tuple[bytes, bytes]]:
    lines = [line for p in paths for line in p.read_bytes().splitlines() if line.strip()]
    return [(json.loads(line)["id"].encode(), line) for line in lines]


def table_rows(b, table_id: str) -> list[list[str]]:
    return b.js("return Array.from(document.querySelectorAll('#' + arguments[0] + ' tr')).slice(1)"
                ".map(r => Array.from(r.cells).map(c => c.innerText.trim()))", table_id)


def covered(segments: list[dict], start: int, end: int) -> list[dict]:
    return [s for s in segments if start <= s["start"] and s["end"] <= end]


def check_marks(segments: list[dict], start: int, end: int, text: str, cls: str, **ids) -> None:
    """The pieces inside [start, end) are contiguous, carry the class and id, and spell the text."""
    pieces = covered(segments, start, end)
    assert pieces and pieces[0]["start"] == start and pieces[-1]["end"] == end, (start, end, text)
    assert all(a["end"] == b["start"] for a, b in zip(pieces, pieces[1:])), "a gap inside a mark"
    assert "".join(p["text"] for p in pieces) == text
    for p in pieces:
        assert cls in p["cls"], (cls, p)
        for key, value in ids.items():
            assert value in p[key], (key, value, p)


def test_home_page_and_article_view_show_the_aggregates_and_the_marks(broker, make_worker, topics_env, browser):
    worker = make_worker().start()
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], lines_of(SEED_ARTICLE, SAMPLES))
    wait_for(lambda: any(i["name"] == "Staffan de Mistura" for i in
                         api_get(worker, "/api/top/speakers", limit=50)[1].get("items", [])), 300,
             "the seed article's speakers aggregated", pause=1, log=worker.log_tail)
    wait_for(lambda: api_get(worker, "/api/article/seed-0001")[0] == 200, 60, "the seed article kept")
    time.sleep(3)  # the last samples' facts

    browser.open(worker.url + "/ui/?window=1d")
    browser.screenshot("home")
    _, top = api_get(worker, "/api/top/speakers", window="1d", limit=10)
    shown = table_rows(browser, "top-speakers")
    assert [(r[0], int(r[2])) for r in shown] == [(i["name"], i["count"]) for i in top["items"]]
    assert "Staffan de Mistura" in [r[0] for r in shown]
    _, trending = api_get(worker, "/api/trending", window="1d", limit=10, kind="entities")
    shown_trending = [r[0] for r in table_rows(browser, "trending-entities")]
    assert shown_trending == [i["name"] for i in trending["items"]] and "Geneva" in shown_trending
    assert browser.js("return document.querySelectorAll('svg.chart polyline.series').length") >= 2
    assert browser.js("return document.querySelectorAll('#feed li').length") >= 5

    # the live feed picks up a statement published after the page was opened
    live = {"id": "live-1", "title": "", "source": "Live Wire", "language": "en",
            "body": "Harbour master Ingrid Solberg said on Monday that the ferry would sail again in May."}
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], [(b"live-1", json.dumps(live).encode())])
    wait_for(lambda: "Ingrid Solberg" in browser.js("return document.getElementById('feed').innerText"), 120,
             "the new statement in the live feed", pause=1)
    browser.screenshot("home-live-feed")

    _, article = api_get(worker, "/api/article/seed-0001")
    browser.open(worker.url + "/ui/article/seed-0001")
    browser.screenshot("article-seed-0001")
    body = browser.js(SEGMENTS_JS, "#article-body")
    title = browser.js(SEGMENTS_JS, "#article-title")
    fields = {"body": body, "title": title}
    assert len(article["statements"]) >= 10 and len(article["entities"]) >= 10
    for i, s in enumerate(article["statements"]):
        span = s["content_span"]
        check_marks(fields[span["field"]], span["start"], span["end"], s["content"], "content", statements=i)
        span = s["cue_span"]
        check_marks(fields[span["field"]], span["start"], span["end"], s["cue"], "cue", statements=i)
    for e in article["entities"]:
        for m in e["mentions"]:
            check_marks(fields[m["field"]], m["start"], m["end"], m["text"], "ent", entities=e["id"])
    content = next(p for p in body if "content" in p["cls"])
    assert content["background"] == "rgb(227, 246, 221)", "content is highlighted"
    # the page's own text is the article's: nothing added or lost between the marks
    assert browser.js("return document.getElementById('article-body').textContent") == article["body"]

    browser.open(worker.url + "/ui/speaker?" + urllib.parse.urlencode({"name": "de Mistura", "type": "PERSON"}))
    browser.screenshot("speaker-de-mistura")
    assert browser.js("return document.querySelector('h1').innerText") == "Staffan de Mistura (speaker)"
    assert browser.js("return document.querySelectorAll('#latest li').length") == 3


HOSTILE_TITLE = '<img src=x onerror="window.__pwned=\'title\'"> Talks <svg onload="window.__pwned=\'svg\'"></svg>'
HOSTILE_BODY = ("<p>Mayor &lt;img src=x onerror=&quot;window.__pwned='body'&quot;&gt; Jane Doe said the "
                "&lt;script&gt;window.__pwned='script'&lt;/script&gt; bridge would open.</p>"
                "<p>\"We will &lt;b onmouseover=&quot;window.__pwned='quote'&quot;&gt;open&lt;/b&gt; it,\" Doe said.</p>")
HOSTILE_SOURCE = '<script>window.__pwned="source"</script>Evil Wire'


def login(browser, worker) -> None:
    browser.open(worker.url + "/ui/login")
    field = browser.driver.find_element("name", "token")
    field.send_keys(TOKEN)
    field.submit()
    wait_for(lambda: browser.driver.current_url.rstrip("/").endswith("/ui"), 30, "redirected home after login")


def assert_nothing_ran(browser) -> None:
    assert not browser.alert_open()
    assert browser.js("return window.__pwned === undefined"), browser.js("return String(window.__pwned)")
    # no element the producers' markup would have made, in the whole document
    assert browser.js("return document.querySelectorAll('img, svg:not(.chart), b, [onerror], [onload], "
                      "[onmouseover]').length") == 0
    scripts = browser.js("return Array.from(document.scripts).map(s => s.getAttribute('src'))")
    assert scripts == ["/ui/static/feed.js"], scripts


def test_hostile_markup_is_shown_never_run(broker, make_worker, topics_env, browser):
    worker = make_worker(WIRESTREAM_API_TOKEN=TOKEN).start()
    hostile = {"id": "hostile-1", "title": HOSTILE_TITLE, "body": HOSTILE_BODY, "source": HOSTILE_SOURCE,
               "language": "en"}
    produce(broker.bootstrap, topics_env["WIRESTREAM_TOPIC_RAW"], [(b"hostile-1", json.dumps(hostile).encode())])
    wait_for(lambda: api_get(worker, "/api/article/hostile-1", TOKEN)[0] == 200, 300, "the hostile article kept",
             pause=1, log=worker.log_tail)
    _, article = api_get(worker, "/api/article/hostile-1", TOKEN)
    # the markup survived enrichment as text: this is what the page must show without running it
    assert "onerror=\"window.__pwned='body'\"" in article["body"] and "<script>" in article["body"]
    assert article["source"] == HOSTILE_SOURCE
    assert any("<" in (s["speaker"] or "") + s["content"] for s in article["statements"]), article["statements"]

    browser.open(worker.url + "/ui/")
    assert "401" in browser.js("return document.title"), "no token, no page"
    login(browser, worker)
    time.sleep(6)  # one tick of the feed script, which renders producers' text in the browser
    browser.screenshot("home-hostile")
    assert_nothing_ran(browser)
    feed = browser.js("return document.getElementById('feed').innerText")
    assert "<script>window.__pwned='script'</script>" in feed or "onerror=" in feed, feed

    browser.open(worker.url + "/ui/article/hostile-1")
    time.sleep(1)
    browser.screenshot("article-hostile")
    assert_nothing_ran(browser)
    text = browser.js("return document.body.innerText")
    assert "<script>window.__pwned='script'</script>" in text and HOSTILE_SOURCE in text

    speaker = next(s for s in article["statements"] if s["speaker"])
    browser.open(worker.url + "/ui/speaker?" + urllib.parse.urlencode({"name": speaker["speaker"]}))
    browser.screenshot("speaker-hostile")
    assert_nothing_ran(browser)
    assert speaker["speaker"] in browser.js("return document.querySelector('h1').innerText")
