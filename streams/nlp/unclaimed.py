"""Quotations inside a sentence that no rule attributed: 'A radio spot accuses the mayor of trading favours
"in a habit of backroom deals going back years."', 'she claimed credit for "seeing it coming ...".'

Quotation marks in news copy say that the words are somebody's, and mid-sentence the one they
belong to is the subject of the clause the quotation is part of (whatever the verb: "took
credit for", "accuses", "reads"); failing that, the one quoted just before in the same
paragraph (wire copy names a new speaker). Only quotations of a few words or more
(``_MIN_WORDS``: shorter ones are mostly titles, names and scare quotes) that something in
their paragraph precedes (a paragraph that is one quotation is left to the continuation rules).
"""

import bisect
from itertools import accumulate

from spacy.tokens import Token

from streams.nlp.attribution import attach_speaker
from streams.nlp.draft import Draft, FieldContext

_MIN_WORDS = 6
_CLIMB = 8  # heads climbed from the quotation to the clause with a subject: keeps it linear
# A copula's subject is what the quotation describes ('a vote against it would be "a vote for
# higher prices"'), not who said it: such a clause gives no speaker.
_COPULAS = {"be", "is", "are", "was", "were", "been", "being", "'s", "'re", "am", "'m"}


def unclaimed_quotes(ctx: FieldContext, drafts: list[Draft]) -> list[Draft]:
    if ctx.name != "body":
        return []  # headlines are read by the headline rules
    covered = _Covered([d.content for d in drafts])
    speaking = sorted((d for d in drafts if d.speaker is not None), key=lambda d: d.cue[0])
    cues = [d.cue[0] for d in speaking]
    out = []
    for quote in ctx.quotes.quotes:
        para = ctx.paragraph_bounds(quote.start)
        if len(ctx.text[quote.inner_start:quote.inner_end].split()) < _MIN_WORDS \
                or not any(ch.isalnum() for ch in ctx.text[para[0]:quote.start]) \
                or covered.overlaps(quote.start, quote.end) or ctx.in_dateline(quote.start) \
                or quote.continues:
            continue
        ctx.check_time()
        draft = Draft(ctx.name, None, (quote.start, quote.start), (quote.start, quote.end),
                      rule="unclaimed_quote:subject")
        subject = _clause_subject(ctx, quote)
        if subject is not None:
            attach_speaker(ctx, draft, subject, para)
        if draft.speaker is not None:
            draft.cue = _cue_of(ctx, subject, quote)
        elif _previous_speaker(draft, speaking, cues, para):
            draft.rule = "unclaimed_quote:nearby"
        else:
            continue  # words in quotation marks with nobody to give them to: not a statement to publish
        out.append(draft)
    return out


def _clause_subject(ctx: FieldContext, quote) -> Token | None:
    """The subject of the nearest clause above the quotation's words, outside the quotation."""
    doc = ctx.doc
    token = doc[ctx.token_at(quote.inner_start)]
    sent_start, _ = ctx.sentence_of(token)
    for _ in range(_CLIMB):
        if not quote.start <= token.idx < quote.end:
            if token.lower_ in _COPULAS or any(c.dep_ == "cop" for c in token.children):
                return None
            subject = ctx.subject(token)
            if subject is not None and not quote.start <= subject.idx < quote.end:
                return subject
        if token.head.i == token.i or token.head.i < sent_start:
            return None
        token = token.head
    return None


class _Covered:
    """Character ranges already taken by a statement, sorted so that an overlap test is a binary
    search: ranges starting before a point overlap it when the farthest of their ends lies past it."""

    def __init__(self, ranges: list[tuple[int, int]]):
        ranges = sorted(ranges)
        self.starts = [s for s, _ in ranges]
        self.reach = list(accumulate((e for _, e in ranges), max))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # ranges starting before ``end``
        return i > 0 and self.reach[i - 1] > start


def _previous_speaker(draft: Draft, speaking: list[Draft], cues: list[int], para: tuple[int, int]) -> bool:
    """The speaker of the last statement before the quotation in its paragraph, or else of the
    first after it ('"A." "B," she said': a paragraph of quotations has one speaker).
    ``speaking``: the statements with a speaker, by cue position (``cues``)."""
    before = bisect.bisect_left(cues, draft.content[0]) - 1
    after = bisect.bisect_left(cues, draft.content[1])
    if before >= 0 and cues[before] >= para[0]:
        last = speaking[bisect.bisect_left(cues, cues[before])]  # of two at one cue, the first
    elif after < len(cues) and cues[after] < para[1]:
        last = speaking[after]
    else:
        last = None
    if last is not None:
        draft.speaker, draft.speaker_head = last.speaker, last.speaker_head
        draft.pronoun, draft.stands_for = last.pronoun, last.stands_for
        return True
    return False


def _cue_of(ctx: FieldContext, subject: Token, quote) -> tuple[int, int]:
    """The verb whose subject speaks, as the cue (the quotation's own start when it is inside)."""
    verb = subject.head
    if quote.start <= verb.idx < quote.end:
        return quote.start, quote.start
    return verb.idx, verb.idx + len(verb.text)
