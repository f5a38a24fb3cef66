"""Server-rendered HTML of the page. Every value that came from a producer (titles, bodies,
speakers, cues, sources, ids) goes through ``esc`` or ``q``: markup in it is shown, never run."""

import html
from urllib.parse import quote

from schemas.aggregates import ProfileResponse, RankedIdentity, StatementView, TopResponse, TrendingResponse

PALETTE = ("#2f6fd0", "#d0542f", "#2f9e4a", "#8a3fc4", "#c49a1f")
CHART_W, CHART_H, PAD = 640, 200, 34


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def q(value: object) -> str:
    """A value for a URL's path or query, escaped again for the attribute it goes in."""
    return esc(quote("" if value is None else str(value), safe=""))


def layout(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)} · Wirestream</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="stylesheet" href="/ui/static/style.css"></head><body>'
            '<header><a class="brand" href="/ui/">Wirestream</a><a href="/ui/?window=1h">last hour</a>'
            '<a href="/ui/?window=1d">today</a></header>'
            f'<main><h1>{esc(title)}</h1>{body}</main>'
            '<script src="/ui/static/feed.js" defer></script></body></html>')


def identity_link(kind: str, name: str, entity_type: str) -> str:
    page = "speaker" if kind in ("speaker", "speakers") else "entity"
    typed = f"&amp;type={q(entity_type)}" if entity_type else ""
    return f'<a href="/ui/{page}?name={q(name)}{typed}">{esc(name)}</a>'


def top_section(resp: TopResponse, title: str) -> str:
    rows = "".join(
        f'<tr><td>{identity_link(resp.kind, i.name, i.type)}{_ambiguous(i.ambiguous)}</td><td class="muted">'
        f'{esc(i.type)}</td><td class="n">{i.count}</td><td class="n">{i.articles}</td></tr>' for i in resp.items)
    measure = "statements" if resp.kind == "speakers" else "mentions"
    table = (f'<table class="top" id="top-{esc(resp.kind)}"><tr><th>name</th><th>type</th><th class="n">{measure}'
             f'</th><th class="n">articles</th></tr>{rows}</table>') if resp.items else '<p class="muted">nothing yet</p>'
    return f'<section><h2>{esc(title)}</h2>{table}{chart(resp.items[:len(PALETTE)], resp.window)}</section>'


def _ambiguous(candidates: list[str]) -> str:
    if not candidates:
        return ""
    return f' <span class="muted" title="could be: {esc(", ".join(candidates))}">(ambiguous)</span>'


def trending_section(resp: TrendingResponse, title: str, kind: str) -> str:
    rows = "".join(
        f'<tr><td>{identity_link(kind, i.name, i.type)}</td><td class="n">{i.count}</td>'
        f'<td class="n">{i.baseline:.1f}</td><td class="n">{i.score:.1f}</td></tr>' for i in resp.items)
    body = (f'<table class="trending" id="trending-{esc(kind)}"><tr><th>name</th><th class="n">now</th>'
            f'<th class="n">baseline</th><th class="n">score</th></tr>{rows}</table>'
            if resp.items else '<p class="muted">nothing stands out yet</p>')
    return f'<section><h2>{esc(title)}</h2>{body}</section>'


def chart(items: list[RankedIdentity], window: str) -> str:
    """Counts over time as SVG lines, one per identity (no script, no external file)."""
    if not items or not items[0].series:
        return ""
    n = len(items[0].series)
    top = max(1, max(p.count for i in items for p in i.series))
    step = (CHART_W - 2 * PAD) / max(1, n - 1)

    def xy(k: int, count: int) -> str:
        return f"{PAD + k * step:.1f},{CHART_H - PAD - (CHART_H - 2 * PAD) * count / top:.1f}"

    lines = "".join(
        f'<polyline class="series" fill="none" stroke="{PALETTE[c]}" stroke-width="2" data-name="{esc(i.name)}" '
        f'points="{" ".join(xy(k, p.count) for k, p in enumerate(i.series))}"/>' for c, i in enumerate(items))
    legend = "".join(
        f'<rect x="{PAD + c * 120}" y="{CHART_H - 14}" width="10" height="10" fill="{PALETTE[c]}"/>'
        f'<text x="{PAD + c * 120 + 14}" y="{CHART_H - 5}">{esc(i.name[:18])}</text>' for c, i in enumerate(items))
    fmt = "%H:%M" if window == "1h" else "%b %d"
    first, last = items[0].series[0].start.strftime(fmt), items[0].series[-1].start.strftime(fmt)
    axis = (f'<line x1="{PAD}" y1="{CHART_H - PAD}" x2="{CHART_W - PAD}" y2="{CHART_H - PAD}" stroke="#999"/>'
            f'<text x="{PAD}" y="{CHART_H - PAD + 12}">{first}</text>'
            f'<text x="{CHART_W - PAD - 30}" y="{CHART_H - PAD + 12}">{last}</text>'
            f'<text x="2" y="{PAD}">{top}</text>')
    return (f'<svg class="chart" width="{CHART_W}" height="{CHART_H}" viewBox="0 0 {CHART_W} {CHART_H}" '
            f'role="img" aria-label="counts over time">{axis}{lines}{legend}</svg>')


def statement_item(s: StatementView) -> str:
    where = f'{esc(s.source or "(no source)")}: {esc(s.title or s.article_id)}'
    return (f'<li class="stmt">{identity_link("speaker", s.speaker, s.speaker_type)} <span class="cue">{esc(s.cue)}'
            f'</span> <q class="content">{esc(s.content)}</q> <a class="muted" href="/ui/article/{q(s.article_id)}">'
            f'{where}</a></li>')


def feed_section(items: list[StatementView]) -> str:
    rows = "".join(statement_item(s) for s in items)
    return f'<section><h2>Live feed: new statements</h2><ul class="feed" id="feed" data-limit="20">{rows}</ul></section>'


def profile_body(p: ProfileResponse) -> str:
    i = p.identity
    forms = ", ".join(f"{esc(f.name)} ({f.statements} statements, {f.mentions} mentions)" for f in i.forms)
    counts = (f'<p id="counts">{i.statements} statements, {i.mentions} mentions, {i.articles} articles in this '
              f'window ({esc(p.window)}) · type {esc(i.type)}{_ambiguous(i.ambiguous)}</p>'
              f'<p class="muted">forms: {forms or "none in this window"} · held by {esc(p.answered_by)}</p>')
    kind = "speakers" if p.kind == "speaker" else "entities"
    hourly = RankedIdentity(**i.model_dump(), count=0, series=p.hourly)
    outlets = "".join(f"<li>{esc(o.name)}: {o.count}</li>" for o in p.outlets)
    about = "".join(f'<li>{identity_link("entity", a.name, "")}: {a.count}</li>' for a in p.about)
    latest = "".join(statement_item(s) for s in p.latest)
    about_title = "Entities its statements name" if p.kind == "speaker" else "Named beside it"
    return (f'<section>{counts}{chart([hourly], "1h")}</section><div class="grid">'
            f'<section><h2>Outlets</h2><ul id="outlets">{outlets}</ul></section>'
            f'<section><h2>{about_title}</h2><ul id="about">{about}</ul></section></div>'
            f'<section><h2>Latest statements</h2><ul class="feed" id="latest">{latest}</ul></section>'
            f'<p class="muted">JSON: <a href="/api/{p.kind}?name={q(i.name)}&amp;type={q(i.type)}">/api/{p.kind}</a>'
            f' · top {esc(kind)}: <a href="/ui/">home</a></p>')
