"""Quotation-mark pairing: where the quoted passages of a text are, in one linear pass.

Real copy mixes straight and curly marks, sometimes uses a closing mark to open (”Fear. ...”),
doubles apostrophes ('' ... '') and lets a quotation run over several paragraphs, each of
which reopens the quote without closing the previous one. So a mark's role is decided first by
its neighbours (space before and a letter after opens; a letter before and space after closes)
and only then by its glyph.
"""

import bisect
import re
from dataclasses import dataclass

# Double quotation marks only: single curly marks double as apostrophes ("Clinton’s").
_MARK = re.compile(r"''|``|[\"\u201c\u201d\u201e\u00ab\u00bb]")
_OPENING_GLYPHS = frozenset({"\u201c", "\u201e", "\u00ab", "``"})
_CLOSING_GLYPHS = frozenset({"\u201d", "\u00bb"})
_BEFORE_OPEN = frozenset(" \t\n([{\u2014\u2013-/:")
_AFTER_CLOSE = frozenset(" \t\n.,;:!?)]}\u2014\u2013-/\u2026")
_PARAGRAPH = re.compile(r"\n\s*")


@dataclass(frozen=True)
class Quote:
    """One quoted passage inside one paragraph: ``[start, end)`` includes the marks.

    ``inner_start``/``inner_end`` bound the words between the marks. ``continued`` is true
    when the quotation goes on in the next paragraph (the mark was left open there).
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    continued: bool = False
    continues: bool = False  # this piece goes on a quotation opened in an earlier paragraph


def paragraph_starts(text: str) -> list[int]:
    """Start offsets of paragraphs; any line break ends a paragraph."""
    return [0] + [m.end() for m in _PARAGRAPH.finditer(text)]


def _role(text: str, pos: int, mark: str, is_open: bool) -> str:
    before = text[pos - 1] if pos > 0 else " "
    after_pos = pos + len(mark)
    after = text[after_pos] if after_pos < len(text) else " "
    if before in _BEFORE_OPEN and after not in " \t\n":
        return "open"
    if before not in " \t\n" and after in _AFTER_CLOSE:
        return "close"
    if mark in _OPENING_GLYPHS:
        return "open"
    if mark in _CLOSING_GLYPHS:
        return "close"
    return "close" if is_open else "open"


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return start, end


def find_quotes(text: str) -> list["Quote"]:
    """All top-level quoted passages, in order, none spanning a paragraph break."""
    paras = paragraph_starts(text)
    quotes: list[Quote] = []
    open_at: int | None = None  # start of the open top-level quote
    open_len = 0
    continues = False
    depth = 0  # nested quotes inside the open one
    para = 0

    def close(end: int, mark_len: int, continued: bool) -> None:
        nonlocal open_at, depth, continues
        inner = _inner(text, open_at + open_len, end - mark_len)
        if inner[1] > inner[0]:
            quotes.append(Quote(open_at, end, inner[0], inner[1], continued, continues))
        open_at, depth, continues = None, 0, False

    for m in _MARK.finditer(text):
        pos, mark = m.start(), m.group()
        new_para = bisect.bisect_right(paras, pos) - 1
        if new_para != para:
            if open_at is not None:
                # The quotation reached the end of its paragraph unclosed.
                end = paras[para + 1]
                while end > open_at and text[end - 1].isspace():
                    end -= 1
                reopens = new_para == para + 1 and pos == paras[new_para]
                close(end, 0, reopens)
                continues = reopens
            para = new_para
        role = _role(text, pos, mark, open_at is not None)
        if open_at is None:
            if role == "open":
                open_at, open_len = pos, len(mark)
            continues = False if role != "open" else continues
        elif role == "open":
            depth = min(depth + 1, 2)
        elif depth > 0:
            depth -= 1
        else:
            close(m.end(), len(mark), False)
    if open_at is not None:
        end = len(text)
        while end > open_at and text[end - 1].isspace():
            end -= 1
        close(end, 0, False)
    return quotes


class QuoteIndex:
    """Fast lookups of quotes by character position."""

    def __init__(self, quotes: list[Quote]):
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def at(self, pos: int) -> Quote | None:
        """The quote whose marks enclose ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def index_at(self, pos: int) -> int:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i if i >= 0 and pos < self.quotes[i].end else -1

    def overlapping(self, start: int, end: int) -> list[Quote]:
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        out = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            if self.quotes[i].end > start:
                out.append(self.quotes[i])
            i += 1
        return out

    def first_after(self, pos: int) -> Quote | None:
        i = bisect.bisect_left(self._starts, pos)
        return self.quotes[i] if i < len(self.quotes) else None

    def last_before(self, pos: int) -> Quote | None:
        """The last quote ending at or before ``pos``."""
        i = bisect.bisect_right(self._starts, pos) - 1
        while i >= 0 and self.quotes[i].end > pos:
            i -= 1
        return self.quotes[i] if i >= 0 else None
