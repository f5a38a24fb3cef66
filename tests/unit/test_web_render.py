"""The page and the API's edges without a worker: escaping, offsets of the marks, parameters, token."""

import re
from html.parser import HTMLParser

import pytest
from multidict import MultiDict
from pydantic import SecretStr

from schemas.aggregates import StatementView
from streams.web import html as H
from streams.web import params as P
from streams.web.article_view import article_body, marked_text, marks
from streams.web.auth import COOKIE, TokenCheck

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">"\'&'


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def no_markup_from_data(text: str) -> None:
    tags = [(t, a) for t, a in Tags(text).tags if (t, a) != ("script", {"src": "/ui/static/feed.js", "defer": None})]
    assert not [t for t, _ in tags if t in ("script", "img")], tags
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")], tags


def test_statement_items_escape_every_field():
    s = StatementView(article_id=HOSTILE, revision=1, index=0, received_at="2025-12-01T10:00:00Z", speaker=HOSTILE,
                      speaker_type="PERSON", kind="direct", cue=HOSTILE, content=HOSTILE, source=HOSTILE, title=HOSTILE)
    text = H.statement_item(s)
    no_markup_from_data(text)
    assert text.count("&lt;script&gt;") == 5  # speaker, cue, content, source, title shown as text
    assert "%3Cscript%3E" in text  # in links, URL-encoded


def article(body="Ann Lee said the talks would go on.", title="Talks"):
    return {"id": "a1", "title": title, "body": body, "source": "Wire", "revision": 1, "url": "javascript:alert(1)",
            "entities": [{"id": "e1", "name": "Ann Lee", "type": "PERSON", "count": 1,
                          "mentions": [{"text": "Ann Lee", "label": "PERSON", "field": "body", "start": 0, "end": 7}]}],
            "statements": [{"kind": "indirect", "speaker": "Ann Lee", "speaker_mention": "Ann Lee", "cue": "said",
                            "content": "the talks would go on", "speaker_span": {"field": "body", "start": 0, "end": 7},
                            "cue_span": {"field": "body", "start": 8, "end": 12},
                            "content_span": {"field": "body", "start": 13, "end": 34}}]}


def segments(markup: str) -> list[tuple[int, int, str, str]]:
    return [(int(a), int(b), cls, text) for cls, a, b, text in
            re.findall(r'<span class="seg ([^"]*)" data-start="(\d+)" data-end="(\d+)"[^>]*>([^<]*)</span>', markup)]


def test_marks_cut_the_text_at_every_offset_and_keep_the_pieces_exact():
    a = article()
    segs = segments(marked_text(a["body"], marks(a, "body")))
    assert [(s, e, text) for s, e, _, text in segs] == [(0, 7, "Ann Lee"), (8, 12, "said"), (13, 34, "the talks would go on")]
    assert segs[0][2] == "ent ent-PERSON speaker" and segs[1][2] == "cue" and segs[2][2] == "content"
    for start, end, _, text in segs:
        assert a["body"][start:end] == text


def test_overlapping_marks_nest_as_pieces():
    a = article()
    a["entities"][0]["mentions"].append({"text": "talks", "label": "EVENT", "field": "body", "start": 17, "end": 22})
    segs = segments(marked_text(a["body"], marks(a, "body")))
    assert [(s, e) for s, e, _, _ in segs][2:] == [(13, 17), (17, 22), (22, 34)]
    assert "ent" in segs[3][2].split() and "content" in segs[3][2].split()


def test_hostile_article_text_is_shown_not_run_and_no_javascript_link():
    body = f"{HOSTILE} said Ann Lee."
    a = article(body=body, title=HOSTILE)
    a["entities"][0]["mentions"][0].update(start=len(HOSTILE) + 6, end=len(HOSTILE) + 13)
    a["statements"] = []
    page = H.layout(HOSTILE, article_body(a))
    no_markup_from_data(page)
    assert "javascript:" not in page, "only http(s) URLs become links"
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # <title>, <h1>, title, body


def test_chart_and_tables_escape_names():
    from schemas.aggregates import RankedIdentity, SeriesPoint, TopResponse

    item = RankedIdentity(key="k", group="g", name=HOSTILE, type="PERSON", statements=1, mentions=0, articles=1,
                          forms=[], count=1, series=[SeriesPoint(start="2025-12-01T10:00:00Z", count=1)] * 2)
    top = TopResponse(kind="speakers", window="1d", start="2025-12-01T00:00:00Z", end="2025-12-02T00:00:00Z",
                      items=[item], workers=["w"])
    no_markup_from_data(H.top_section(top, "Top"))


@pytest.mark.parametrize("query, error", [
    ({"window": "2h"}, "window: Input should be '1h' or '1d'"),
    ({"limit": "0"}, "limit: Input should be greater than or equal to 1"),
    ({"limit": "100000"}, "limit: Input should be less than or equal to 1000"),
    ({"limit": "ten"}, "limit: Input should be a valid integer, unable to parse string as an integer"),
    ({"colour": "red"}, "colour: Extra inputs are not permitted"),
])
def test_bad_parameters_are_named_in_the_error(query, error):
    with pytest.raises(P.BadParams) as caught:
        P.parse(P.TopParams, MultiDict(query))
    assert caught.value.errors == [error]


def test_parameters_given_twice_and_names_too_long_are_refused():
    with pytest.raises(P.BadParams, match="limit: given 2 times"):
        P.parse(P.TopParams, MultiDict([("limit", "1"), ("limit", "2")]))
    with pytest.raises(P.BadParams, match="name: String should have at most 256 characters"):
        P.parse(P.ProfileParams, MultiDict({"name": "x" * 257}))
    assert P.parse(P.TopParams, MultiDict({"window": "1h", "limit": "5"})) == P.TopParams(window="1h", limit=5)


def test_the_token_is_required_exactly_when_set():
    open_ = TokenCheck(None)
    assert open_.allows({}, {}) and open_.headers() == {}
    check = TokenCheck(SecretStr("s3cret"))
    assert not check.allows({}, {})
    assert not check.allows({"Authorization": "Bearer wrong"}, {})
    assert not check.allows({"Authorization": "Basic s3cret"}, {})
    assert check.allows({"Authorization": "Bearer s3cret"}, {})
    assert check.allows({}, {COOKIE: "s3cret"})
    assert check.headers() == {"Authorization": "Bearer s3cret"}
    assert "s3cret" not in repr(check.__dict__.get("token", "")) and not hasattr(check, "token")
