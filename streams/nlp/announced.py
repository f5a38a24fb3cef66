"""Quotations announced by a colon: 'Varga resisted: "Mayors here do not have the power ..."',
'- Ruth K. Amsel: "The survey's reading ..."', 'Then, later that week on the radio: "I never promised ..."'.

English sets a quotation after a colon when the words before it announce whose words follow:
the subject of the announcing clause, or, when the part before the colon is no clause but a
name or a noun phrase (a byline, a label), that phrase. The verb need not be a verb of saying
("gloated", "boomed", "resisted", "went even further"), which is why the cue-verb rules miss it.
Only a quotation no other rule has taken, in the colon's own paragraph.
"""

from spacy.tokens import Token

from streams.nlp.attribution import attach_speaker
from streams.nlp.draft import Draft, FieldContext

_CLOSERS = frozenset({")", "]"})


def colon_quotes(ctx: FieldContext, drafts: list[Draft]) -> list[Draft]:
    """A statement for each quotation right after a colon, unless another statement covers it."""
    covered = sorted(d.content for d in drafts)
    out = []
    for quote in ctx.quotes.quotes:
        colon = _colon_before(ctx, quote.start)
        if colon is None or _covered(covered, quote.start, quote.end) or ctx.in_quote(colon):
            continue
        ctx.check_time()
        draft = Draft(ctx.name, None, (colon, colon + 1), (quote.start, quote.end), rule="colon_quote")
        speaker = _announcer(ctx, colon)
        if speaker is not None:
            attach_speaker(ctx, draft, speaker, ctx.paragraph_bounds(colon))
            _after_dash(ctx, draft)
        out.append(draft)
    return out


def _after_dash(ctx: FieldContext, draft: Draft) -> None:
    """"HEADLINE - Jeffrey M. Jones:": the speaker is the name after the dash, not the phrase the
    parser built across it."""
    if draft.speaker is None:
        return
    start, end = draft.speaker
    cut = max(ctx.text.rfind(dash, start, end) + len(dash) if ctx.text.rfind(dash, start, end) >= 0 else -1
              for dash in (" - ", " -- ", "\u2014", "\u2013", "\u2015"))
    if cut > start:
        while cut < end and ctx.text[cut].isspace():
            cut += 1
        if cut < end:
            draft.speaker = (cut, end)
            if draft.speaker_head is not None and draft.speaker_head[0] < cut:
                draft.speaker_head = (cut, end)


def _colon_before(ctx: FieldContext, start: int) -> int | None:
    """Offset of a colon before ``start`` with only spaces between, in the same paragraph, and
    with words before it on its line (a line that is only "X:" is a label above a block)."""
    pos = start - 1
    while pos >= 0 and ctx.text[pos] in " \t":
        pos -= 1
    if pos < 0 or ctx.text[pos] != ":":
        return None
    line_start = ctx.paragraph_bounds(pos)[0]
    return pos if any(ch.isalnum() for ch in ctx.text[line_start:pos]) else None


def _covered(contents: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and e > start for s, e in contents)


def _announcer(ctx: FieldContext, colon: int) -> Token | None:
    """The subject of the clause the colon closes, or the noun phrase right before the colon."""
    doc = ctx.doc
    i = ctx.token_at(colon)
    if i == 0:
        return None
    last = doc[i - 1]
    if last.text in _CLOSERS:  # "Cllr. Ada Munro (Lab-Leith):": the name before the parenthesis
        j = i - 2
        while j > 0 and doc[j].text != "(" and i - j < 12:
            j -= 1
        last = doc[j - 1] if j > 0 and doc[j].text == "(" else last
    sent_start, _ = ctx.sentence_of(last)
    verb, subject = _clause_subject(ctx, last, sent_start)
    if subject is not None and not any(t.text in _DASHES for t in doc[min(verb.i, subject.i) + 1:last.i]):
        return subject
    # "- Jeffrey M. Jones:", "From the report:": a name or a phrase, no clause of its own (or one
    # a dash sets it apart from: "HEADLINE - Jeffrey M. Jones:").
    return last if last.is_alpha and (last.dep_ != "ROOT" or last.text[0].isupper()) or last.ent_type_ else None


_DASHES = frozenset({"-", "--", "\u2014", "\u2013", "\u2015"})


def _clause_subject(ctx: FieldContext, token: Token, sent_start: int) -> tuple[Token | None, Token | None]:
    """The nearest head above ``token`` (itself included) with a subject, and that subject (the
    model runs without a tagger here, so a clause is known by its subject, not by a verb tag)."""
    head = token
    for _ in range(8):
        subject = ctx.subject(head)
        if subject is not None:
            return head, subject
        if head.head.i == head.i or head.head.i < sent_start:
            return None, None
        head = head.head
    return None, None
