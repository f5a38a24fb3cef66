"""One article with its entities and statements marked in the text, from their character offsets.

Spans overlap (an entity inside a quotation, a speaker inside a headline claim), so the text is
cut at every span boundary and each piece is one ``<span class="seg ...">`` carrying the classes
and ids of every span that covers it, and its own offsets (``data-start``/``data-end``, into the
field as published). The pieces' text is escaped; only the markup around them is ours.
"""

from dataclasses import dataclass

from streams.web.html import esc, identity_link, q


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    classes: tuple[str, ...]
    entity: str | None = None  # entity id
    statement: int | None = None  # statement index


def marks(article: dict, field: str) -> list[Mark]:
    out = []
    for e in article.get("entities", []):
        for m in e["mentions"]:
            if m["field"] == field:
                out.append(Mark(m["start"], m["end"], ("ent", f"ent-{e['type']}"), entity=e["id"]))
    for i, s in enumerate(article.get("statements", [])):
        for role in ("speaker", "cue", "content"):
            span = s.get(f"{role}_span")
            if span and span["field"] == field:
                out.append(Mark(span["start"], span["end"], (role,), statement=i))
    return [m for m in out if 0 <= m.start < m.end]


def marked_text(text: str, spans: list[Mark]) -> str:
    cuts = sorted({0, len(text), *(m.start for m in spans), *(min(m.end, len(text)) for m in spans)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [m for m in spans if m.start <= a and b <= m.end]
        if not covering:
            pieces.append(esc(text[a:b]))
            continue
        classes = sorted({c for m in covering for c in m.classes})
        ents = " ".join(sorted({m.entity for m in covering if m.entity}))
        stmts = " ".join(str(s) for s in sorted({m.statement for m in covering if m.statement is not None}))
        pieces.append(f'<span class="seg {esc(" ".join(classes))}" data-start="{a}" data-end="{b}" '
                      f'data-entities="{esc(ents)}" data-statements="{stmts}">{esc(text[a:b])}</span>')
    return "".join(pieces)


def article_body(article: dict) -> str:
    title = marked_text(article.get("title", ""), marks(article, "title"))
    body = marked_text(article.get("body", ""), marks(article, "body"))
    meta = f'{esc(article.get("source") or "(no source)")} · id {esc(article.get("id"))} · revision {esc(article.get("revision"))}'
    url = article.get("url") or ""
    link = f' · <a href="{esc(url)}" rel="noopener noreferrer">original</a>' if url.startswith(("http://", "https://")) else ""
    return (f'<section><p class="muted">{meta}{link}</p><h2 class="article-title" id="article-title">{title}</h2>'
            f'<div class="article-text" id="article-body" data-field="body">{body}</div></section>'
            f'<div class="grid"><section><h2>Statements</h2><ol id="statements">{_statements(article)}</ol></section>'
            f'<section><h2>Entities</h2><ul id="entities">{_entities(article)}</ul></section></div>'
            f'<p class="muted">JSON: <a href="/api/article/{q(article.get("id"))}">/api/article</a></p>')


def _statements(article: dict) -> str:
    rows = []
    for s in article.get("statements", []):
        who = esc(s.get("speaker_mention") or "(unknown)")
        if s.get("speaker"):
            who = identity_link("speaker", s["speaker"], "")
        rows.append(f'<li><span class="speaker">{who}</span> <span class="cue">{esc(s["cue"])}</span> '
                    f'<q class="content">{esc(s["content"])}</q> <span class="muted">{esc(s["kind"])}</span></li>')
    return "".join(rows)


def _entities(article: dict) -> str:
    return "".join(f'<li>{identity_link("entity", e["name"], e["type"])} <span class="muted">{esc(e["type"])} ×'
                   f'{e["count"]}</span></li>' for e in article.get("entities", []))
