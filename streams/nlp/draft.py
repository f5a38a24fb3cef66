"""What the statement rules share: one text field's parse, quotes and paragraphs, and the draft
statement (character offsets only) that rules produce before speakers are resolved."""

import bisect
import time
from dataclasses import dataclass, field

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from streams.nlp.datelines import dateline_spans
from streams.nlp.quotes import QuoteIndex, find_quotes, paragraph_starts
from streams.nlp.speakers import own_subject


class BudgetExceeded(Exception):
    """The article's time budget ran out while the rules were running."""


@dataclass
class Draft:
    """A statement found by a rule, as offsets into one field; speakers are resolved later."""

    field: str
    kind: str | None  # None: decided from the quotes the content covers
    cue: tuple[int, int]
    content: tuple[int, int]
    speaker: tuple[int, int] | None = None
    speaker_head: tuple[int, int] | None = None  # the phrase's head word: what names the entity
    pronoun: str | None = None
    # For a relative pronoun ("Smith, who said ..."): the phrase it stands for, which names the
    # speaker while the pronoun stays the mention.
    stands_for: tuple[int, int] | None = None
    # A relative clause's report ("a plumber who said he was never paid"): kept even inside
    # another statement's content. A noun cue there ("officials rejected the mayor's claim that
    # ...") is not: it is part of what the outer speaker said.
    keeps_nested: bool = False
    # The rule path that found it ("speech:clause", "object:object", "headline", ...): what the
    # statement's confidence is looked up by.
    rule: str = ""

    @property
    def position(self) -> tuple[int, int, int]:
        return (0 if self.field == "title" else 1, min(self.content[0], self.cue[0]), self.cue[0])


@dataclass
class FieldContext:
    """One parsed text field with the lookups every rule needs."""

    name: str
    doc: Doc
    deadline: float | None
    quotes: QuoteIndex = field(init=False)
    paragraphs: list[int] = field(init=False)
    _subjects: dict[int, Token | None] = field(default_factory=dict, init=False)
    _sentence_starts: list[int] | None = field(default=None, init=False)
    _token_starts: list[int] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.quotes = QuoteIndex(find_quotes(self.text))
        self.paragraphs = paragraph_starts(self.text)
        self.datelines = dateline_spans(self.text)

    def sentence_of(self, token: Token) -> tuple[int, int]:
        """Token range ``[start, end)`` of the token's sentence (``Token.sent`` walks the whole doc),
        within its paragraph: the parser runs a sentence over a paragraph break when the first
        paragraph ends without a full stop ('... said Smith (a view shared by all).'). The engine's
        ``paragraphs`` component now starts a sentence at every line break; the clip stays for a
        doc parsed without it."""
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in self.doc.sents] if len(self.doc) else [0]
        starts = self._sentence_starts
        i = bisect.bisect_right(starts, token.i) - 1
        start, end = starts[i], starts[i + 1] if i + 1 < len(starts) else len(self.doc)
        para_start, para_end = self.paragraph_bounds(token.idx)
        if self.doc[start].idx < para_start:
            start = self.token_at(para_start)
        if para_end < len(self.text) and self.doc[end - 1].idx >= para_end:
            end = self.token_at(para_end)
        return start, end

    def token_at(self, pos: int) -> int:
        """Index of the token containing (or last starting before) character ``pos``.

        ``Doc.char_span`` scans the doc on every call; this bisects offsets gathered once.
        """
        if self._token_starts is None:
            self._token_starts = self.doc.to_array([IDX]).tolist() if len(self.doc) else [0]
        return max(bisect.bisect_right(self._token_starts, pos) - 1, 0)

    def check_time(self) -> None:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise BudgetExceeded()

    def in_quote(self, pos: int) -> bool:
        return self.quotes.at(pos) is not None

    def in_dateline(self, pos: int) -> bool:
        return any(start <= pos < end for start, end in self.datelines)

    def subject(self, verb: Token) -> Token | None:
        if verb.i not in self._subjects:
            para = self.paragraph_bounds(verb.idx)
            subject = own_subject(verb, lambda t: not self.in_quote(t.idx) and para[0] <= t.idx < para[1]
                                  and not self.in_dateline(t.idx))
            place = next((c for c in verb.lefts if c.dep_ == "nsubj" and self.in_dateline(c.idx)), None)
            if subject is None and place is not None:
                # "TULSA, Okla. - Police Chief Dan Moore told ...": the parser made the dateline's
                # place the subject and the subject its apposition.
                subject = next((c for c in place.rights if c.dep_ in ("appos", "conj")
                                and not self.in_dateline(c.idx)), None)
            self._subjects[verb.i] = subject
        return self._subjects[verb.i]

    def paragraph_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.paragraphs, pos) - 1
        end = self.paragraphs[i + 1] if i + 1 < len(self.paragraphs) else len(self.text)
        return self.paragraphs[i], end

    def token_span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets of tokens ``first..last`` inclusive."""
        end_tok = self.doc[last]
        return self.doc[first].idx, end_tok.idx + len(end_tok.text)

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """Content offsets without edge white space, a leading connective and trailing punctuation."""
        text = self.text
        while start < end and (text[start].isspace() or text[start] in ",:;\u2014\u2013-"):
            start += 1
        for word in ("that ", "That "):
            if text.startswith(word, start) and end - start > len(word) + 1:
                start += len(word)
        end = _strip_end(text, start, end, _TRAILING)
        # "will close the pier in May (or by June at the latest, the mayor admitted)": a parenthesis
        # the content opens and does not close is an aside cut in half; the content ends before it.
        paren = text.rfind("(", start, end)
        if paren > start and text.find(")", paren, end) < 0:
            end = _strip_end(text, start, paren, _TRAILING)
        # A clause cut before its coordinated second half keeps no dangling "but" or "and".
        for word in (" and", " but", " or"):
            if text.endswith(word, start, end) and end - start > len(word) + 1:
                end = _strip_end(text, start, end - len(word), ",;")
                break
        return start, end


_TRAILING = ",;:.\u2014\u2013-"  # punctuation a content never ends with


def _strip_end(text: str, start: int, end: int, marks: str) -> int:
    """``end`` moved back over white space and ``marks``, not past ``start``."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks):
        end -= 1
    return end
