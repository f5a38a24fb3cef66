"""Who said what: statements from the parse of an article's title and body.

The rules run in three steps: find drafts (cue verbs and "according to" in
``streams.nlp.attribution``; headlines, transcript turns and bylines in
``streams.nlp.conventions``), tidy them (drop statements reported inside another's content,
join a quote's continuation and a quotation running over paragraphs into one statement), then
resolve speakers in reading order (``streams.nlp.resolve``).
"""

import bisect
import dataclasses
import re

from spacy.tokens import Doc

from schemas import Span, Statement
from streams.nlp.announced import colon_quotes
from streams.nlp.attribution import find_cue_statements
from streams.nlp.confidence import Evidence, confidence, speaker_form
from streams.nlp.conventions import bylines, headline, headline_verb, inverted_cues, transcript_turns
from streams.nlp.draft import BudgetExceeded, Draft, FieldContext
from streams.nlp.entities import EntityIndex
from streams.nlp.evidential import evidential_statements
from streams.nlp.quotes import Quote
from streams.nlp.resolve import Resolver
from streams.nlp.unclaimed import unclaimed_quotes

__all__ = ["BudgetExceeded", "extract_statements", "extract_with_evidence"]

_JOIN_GAP = frozenset(" \t.,;:!?\u2014\u2013-")
# What stands before a quotation that goes on a statement: the punctuation ending the cue's clause.
_BEFORE_CONTINUATION = frozenset(".,;:!?\u2014\u2013-")
_STAGE_DIRECTION = re.compile(r"\s*[(\[][^()\[\]]*[)\]][.\s]*$")
_NESTED_SCAN = 64  # contents checked per cue when dropping nested statements: keeps it linear


def extract_statements(title: Doc, body: Doc, entities: EntityIndex, deadline: float | None = None) -> list[Statement]:
    return [s for s, _ in extract_with_evidence(title, body, entities, deadline)]


def extract_with_evidence(title: Doc, body: Doc, entities: EntityIndex,
                          deadline: float | None = None) -> list[tuple[Statement, Evidence]]:
    """The statements, each with the evidence its confidence was read from (for calibration)."""
    drafts: list[Draft] = []
    contexts = {}
    for name, doc in (("title", title), ("body", body)):
        ctx = FieldContext(name, doc, deadline)
        contexts[name] = ctx
        # Earlier rules win a cue or content they share: a titled "Name: claim" is a headline first.
        found = headline(ctx, entities) if name == "title" else []
        found += find_cue_statements(ctx) + transcript_turns(ctx, entities) + bylines(ctx) + inverted_cues(ctx)
        found += evidential_statements(ctx)  # after the cue rules: a cue verb wins a content they share
        if name == "title" and not found:
            found = headline_verb(ctx)
        found = _unique(found)
        found += colon_quotes(ctx, found)  # last: only quotations no other rule took
        found = _drop_nested(found)
        found = _join_continuations(ctx, found)
        found = _join_quoted_paragraphs(ctx, found)
        found += unclaimed_quotes(ctx, found)  # after the joins: what no statement runs over
        drafts += _join_paragraph_runs(ctx, found)
    drafts.sort(key=lambda d: d.position)
    return _finalise(drafts, contexts, entities, body)


def _unique(drafts: list[Draft]) -> list[Draft]:
    """One statement per cue and per content; the earlier rule (cue verbs) wins."""
    seen_cues, seen_contents, out = set(), set(), []
    for d in drafts:
        if d.cue in seen_cues or d.content in seen_contents:
            continue
        seen_cues.add(d.cue)
        seen_contents.add(d.content)
        out.append(d)
    return out


def _drop_nested(drafts: list[Draft]) -> list[Draft]:
    """Drop a statement whose cue lies inside another's content ("he said that she claimed ...").

    Not when the other's cue lies inside this one's content too: that is "A, he said, B".
    """
    by_start = sorted(drafts, key=lambda d: d.content)
    starts = [d.content[0] for d in by_start]
    kept = []
    for d in drafts:
        if d.keeps_nested:
            kept.append(d)
            continue
        i = bisect.bisect_right(starts, d.cue[0]) - 1
        nested = False
        for other in by_start[max(0, i - _NESTED_SCAN + 1):i + 1]:
            if other is d or not other.content[0] <= d.cue[0] < other.content[1]:
                continue
            if not d.content[0] <= other.cue[0] < d.content[1]:
                nested = True
                break
        if not nested:
            kept.append(d)
    return kept


def _join_continuations(ctx: FieldContext, drafts: list[Draft]) -> list[Draft]:
    """'"A," she said. "B."': the quote that follows a quoted statement's cue goes on its content."""
    covered = [d.content for d in drafts]
    for d in drafts:
        ctx.check_time()
        if not ctx.quotes.overlapping(*d.content):
            continue
        last = max(d.content[1], d.cue[1], d.speaker[1] if d.speaker else 0)
        quote = _past_titles(ctx, last, ctx.quotes.first_after(last))
        if quote is None or quote.start < d.content[1] or not _only_cue_between(ctx, d, last, quote.start):
            continue
        if any(c[0] <= quote.start < c[1] for c in covered):
            continue
        if d.kind is None and _kind(ctx, d)[0] == "direct":
            d.kind = "direct"  # '"A," she said, "B."' is one direct quote around its cue
        d.content = (d.content[0], quote.end)
    return drafts


def _past_titles(ctx: FieldContext, last: int, quote: Quote | None) -> Quote | None:
    """The quotation that may continue a statement, past quoted titles in its cue's phrase.

    'she said on the radio show "Morning Rounds." "B."': the show's name (capitalised) follows no
    mark that ends a clause, so it is no continuation; the quotation after it may be (the title's
    own closing mark may hold the full stop). None when no quotation qualifies.
    """
    after_title = False
    for _ in range(_TITLES + 1):
        if quote is None or quote.start <= last \
                or _mark_before(ctx.text, quote.start, after_title) in _BEFORE_CONTINUATION:
            return quote
        if not ctx.text[quote.inner_start:quote.inner_end].lstrip()[:1].isupper():
            return None  # 'referencing its drive to "cross-sell"': a quoted word, not a name
        after_title = True
        quote = ctx.quotes.first_after(quote.end)
    return None


_TITLES = 2  # quoted titles passed over in one cue's phrase ('told "Good Morning" on "Channel 4."')


def _mark_before(text: str, pos: int, past_closing: bool) -> str:
    """The last character before ``pos`` that is not white space (nor, if asked, a closing quotation mark)."""
    end = pos
    while end > 0 and (text[end - 1].isspace() or past_closing and text[end - 1] in "\"'\u201d\u2019"):
        end -= 1
    return text[end - 1:end]


def _join_quoted_paragraphs(ctx: FieldContext, drafts: list[Draft]) -> list[Draft]:
    """'"A," he said.' then a paragraph that is nothing but a quotation, '"B."': a quoted
    paragraph with no attribution of its own goes on the quotation before it (the newswire
    convention: a new speaker is always named). One statement runs over both paragraphs."""
    attributed = {ctx.paragraph_bounds(d.cue[0])[0] for d in drafts}
    covered = sorted(d.content for d in drafts)
    for d in drafts:
        ctx.check_time()
        if not ctx.quotes.overlapping(*d.content):
            continue
        for _ in range(_QUOTED_PARAGRAPHS):
            last = max(d.content[1], d.cue[1], d.speaker[1] if d.speaker else 0)
            para = ctx.paragraph_bounds(last)
            if para[1] >= len(ctx.text) or not _only_cue_between(ctx, d, last, _rstrip(ctx.text, para[0], para[1])):
                break
            own = ctx.quotes.at(d.content[1] - 1)
            if own is not None and own.continued:
                break  # an open quotation: ``_join_paragraph_runs`` takes it on
            nxt = ctx.paragraph_bounds(para[1])
            quote = ctx.quotes.first_after(nxt[0])
            if (quote is None or quote.start != nxt[0] or nxt[0] in attributed or quote.inner_end == quote.end
                    or ctx.text[quote.end:_rstrip(ctx.text, nxt[0], nxt[1])].strip(" .")
                    or _covered(covered, quote.start)):
                break
            if d.kind is None and _kind(ctx, d)[0] == "direct":
                d.kind = "direct"
            d.content = (d.content[0], quote.end)
    return drafts


_QUOTED_PARAGRAPHS = 3  # unattributed quoted paragraphs that may follow one statement


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _covered(contents: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(contents, (pos, float("inf"))) - 1
    return any(c[0] <= pos < c[1] for c in contents[max(0, i - _NESTED_SCAN):i + 1])


def _only_cue_between(ctx: FieldContext, d: Draft, start: int, end: int) -> bool:
    """Between a statement and the next quote stand only punctuation and the cue's own words
    ('"A," she said, clapping. "B."')."""
    if end - start > 300 or ctx.paragraph_bounds(start) != ctx.paragraph_bounds(end):
        return False
    if end <= start:
        return True
    root = ctx.doc[ctx.token_at(d.cue[0])]
    gap = ctx.doc[ctx.token_at(start):ctx.token_at(end - 1) + 1]
    # '"A," she told the crowd, then turned to her rival. "B."': a second verb coordinated with
    # the cue says what else the speaker did; the quotation after it is no continuation.
    if any(t.dep_ == "conj" and t.head.i == root.i and t.idx >= start for t in gap):
        return False
    return all(t.is_punct or t.is_space or t.idx + len(t) <= start or root.is_ancestor(t) for t in gap)


def _join_paragraph_runs(ctx: FieldContext, drafts: list[Draft]) -> list[Draft]:
    """A quotation left open at its paragraph's end goes on in the next (the newswire convention):
    one statement runs over the paragraphs, from the first opening mark to the last closing one,
    as a quoted paragraph after its cue's does (``_join_quoted_paragraphs``). A stage direction
    ends it; the paragraphs after one are a statement of their own."""
    out = []
    quotes = ctx.quotes.quotes
    # A paragraph with an attribution of its own is no continuation of an earlier one.
    attributed = {ctx.paragraph_bounds(d.cue[0])[0] for d in drafts}
    for d in drafts:
        out.append(d)
        i = ctx.quotes.index_at(d.content[1] - 1)
        current, start = d, _run_start(quotes[i], d) if i >= 0 else d.content[0]
        while 0 <= i < len(quotes) - 1 and quotes[i].continued and quotes[i + 1].continues:
            i += 1
            piece = quotes[i]
            if ctx.paragraph_bounds(piece.start)[0] in attributed:
                break
            if _STAGE_DIRECTION.match(ctx.text, piece.inner_start, piece.inner_end):
                current = None  # "(CROSSTALK.)", "[APPLAUSE]": the transcript's note, nobody's words
            elif current is None:
                current = dataclasses.replace(d, kind="direct", content=(piece.inner_start, piece.inner_end))
                start = piece.start
                out.append(current)
            else:
                current.content = (start, piece.end)
    return out


def _run_start(quote: Quote, d: Draft) -> int:
    """Where a statement joined over paragraphs begins: at its quotation's opening mark when it
    begins with the quotation, else where it begins ('said that "...')."""
    return quote.start if quote.start <= d.content[0] <= quote.inner_start else d.content[0]


def _kind(ctx: FieldContext, d: Draft) -> tuple[str, tuple[int, int]]:
    """direct / mixed / indirect from the quotation marks; a whole quote keeps only its words."""
    if d.kind is not None:
        return d.kind, d.content
    quotes = ctx.quotes.overlapping(*d.content)
    if not quotes:
        return "indirect", d.content
    if len(quotes) == 1 and quotes[0].start <= d.content[0] and quotes[0].end >= d.content[1]:
        return "direct", (max(quotes[0].inner_start, d.content[0]), min(quotes[0].inner_end, d.content[1]))
    outside, pos = [], d.content[0]
    for q in quotes:
        outside.append(ctx.text[pos:max(pos, q.start)])
        pos = max(pos, q.end)
    outside.append(ctx.text[pos:d.content[1]])
    if not any(ch.isalnum() for part in outside for ch in part):
        return "direct", d.content
    return "mixed", d.content


def _finalise(drafts: list[Draft], contexts: dict[str, FieldContext], entities: EntityIndex,
              body: Doc) -> list[tuple[Statement, Evidence]]:
    resolver = Resolver(entities, body, contexts["body"].text)
    out = []
    for d in drafts:
        ctx = contexts[d.field]
        ctx.check_time()
        kind, content = _kind(ctx, d)
        if content[1] <= content[0]:
            continue
        speaker = resolver.resolve(d.field, ctx.text, d.speaker, d.speaker_head, d.pronoun, d.cue[0], d.stands_for)
        evidence = Evidence(d.rule, kind, speaker_form(speaker.mention, speaker.name, d.pronoun, speaker.entity_id))
        out.append((Statement(
            kind=kind,
            speaker=speaker.name,
            speaker_mention=speaker.mention,
            speaker_entity_id=speaker.entity_id,
            cue=ctx.text[d.cue[0]:d.cue[1]],
            content=ctx.text[content[0]:content[1]],
            speaker_span=Span(field=d.field, start=d.speaker[0], end=d.speaker[1]) if d.speaker else None,
            cue_span=Span(field=d.field, start=d.cue[0], end=d.cue[1]),
            content_span=Span(field=d.field, start=content[0], end=content[1]),
            confidence=confidence(evidence),
        ), evidence))
    return out
