"""All-capitals and Title Case lines -> ordinary case for the parser, spelled as the article
itself spells each word.

Wire headlines, datelines and results tables come in capitals ("LEICESTER TAKE OVER AT TOP",
"BELGRADE 1996-08-31", "BOSTON AT OAKLAND"), where the small model finds few names: it learnt
names largely from their capital letters. The same words usually appear in the article's
ordinary lines too, and the way they are spelt there is the best evidence of their case:
"Leicester" capitalised, "take" lower case, "KDP" in capitals.

Headlines in Title Case ("Rose Bowl Skywriters Blast Trump", "Sanders Vows To Eliminate Tuition")
fare the same: the parser reads a capitalised word as a name, so it finds no verb. A word of such a
line that the article's ordinary lines spell in lower case goes to lower case; a word they
capitalise, or never use, keeps its capital (a name stays a name), but for the reporting verbs of
the statement lexicon, which are verbs wherever they stand.

Only the copy that spaCy parses changes; its length and every offset stay the same, so what is
found in it slices the original text at the same positions (the engine quotes the original).
"""

import re
from collections import Counter

from streams.nlp.cues import CUE_FORMS

_LETTERS = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("AEIOUY")
# Words that stay lower case in a title even when the article never uses them.
_SMALL_WORDS = frozenset(
    "a an the of and or nor but in on at to for by with from as into onto over under after before "
    "about against between vs v per via off up out than".split()
)


def restore_case(title: str, body: str) -> tuple[str, str]:
    """Title and body with their all-capitals lines in the case the article uses elsewhere."""
    to_restore = [line for text in (title, body) for line in text.splitlines() if _all_caps(line) or _title_case(line)]
    if not to_restore:
        return title, body  # most articles: nothing to do
    wanted = {word.lower() for line in to_restore for word in _LETTERS.findall(line)}
    forms = _spellings(wanted, set(to_restore), title, body)
    return _restore(title, forms), _restore(body, forms)


def _spellings(wanted: set[str], restored: set[str], *texts: str) -> dict[str, str]:
    """Lower-cased word -> its commonest spelling in the lines that are not in capitals (not in
    ``restored``), for the words of ``wanted`` (those of the lines to restore: counting every
    word of a long article was most of this module's time).

    A capital at the start of a sentence proves nothing: such occurrences count only when
    the word is never seen elsewhere.
    """
    seen: dict[str, Counter] = {}
    initial: dict[str, Counter] = {}
    for text in texts:
        for line in text.splitlines():
            if line in restored:
                continue
            for m in _LETTERS.finditer(line):
                word = m.group()
                if word.lower() not in wanted:
                    continue
                table = initial if _sentence_start(line, m.start()) else seen
                table.setdefault(word.lower(), Counter())[word] += 1
    forms = {key: counts.most_common(1)[0][0] for key, counts in initial.items()}
    forms.update({key: counts.most_common(1)[0][0] for key, counts in seen.items()})
    return forms


def _restore(text: str, forms: dict[str, str]) -> str:
    if not any(ch.isupper() for ch in text):
        return text
    lines = text.split("\n")
    return "\n".join(_recase_line(line, forms) if _all_caps(line)
                     else _decapitalise_line(line, forms) if _title_case(line) else line for line in lines)


def _recase_line(line: str, forms: dict[str, str]) -> str:
    out, last, first = [], 0, True
    for m in _LETTERS.finditer(line):
        out.append(line[last:m.start()])
        out.append(_recase_word(m.group(), forms, first))
        last, first = m.end(), False
    out.append(line[last:])
    return "".join(out)


def _recase_word(word: str, forms: dict[str, str], first: bool) -> str:
    known = forms.get(word.lower())
    if len(word) == 1:
        return word  # an initial ("J. SMITH") or a letter of "U.S."
    if known is not None:
        form = known
    elif word.lower() in _SMALL_WORDS:
        form = word.lower()
    elif not _VOWELS & set(word):
        form = word  # no vowel: an abbreviation ("KDP", "NBC")
    else:
        form = word.capitalize()
    # The line's first word reads as a sentence start.
    form = form[0].upper() + form[1:] if first else form
    return form if len(form) == len(word) else word  # a few letters change length with case


def _decapitalise_line(line: str, forms: dict[str, str]) -> str:
    """A Title Case line with every word the article writes in lower case lower-cased; the rest,
    the line's first word and the first word after a colon or a dash keep their capitals."""
    out, last = [], 0
    for m in _LETTERS.finditer(line):
        word = m.group()
        out.append(line[last:m.start()])
        last = m.end()
        lower = word.lower()
        if _sentence_start(line, m.start()) or line[:m.start()].rstrip().endswith(("-", "\u2014", "\u2013")) \
                or not word[0].isupper() or not word[1:].islower():
            out.append(word)  # a sentence start, "NBC", "McCain": as written
        elif forms.get(lower) == lower or forms.get(lower) is None and (lower in _SMALL_WORDS or lower in CUE_FORMS):
            # (A reporting verb the article never uses elsewhere is still a verb: "..., Doctor Says".)
            out.append(lower)
        else:
            out.append(word)
    out.append(line[last:])
    return "".join(out)


_TITLE_WORDS = 4  # a shorter line ("Hillary Clinton", "By Ann Lee") is mostly a name


def _title_case(line: str) -> bool:
    """Every word of three letters or more (but the small words of titles) capitalised, in a line
    of a few such words with lower-case letters in it: a headline in Title Case."""
    words = [w for w in _LETTERS.findall(line) if len(w) > 2 and w.lower() not in _SMALL_WORDS]
    return len(words) >= _TITLE_WORDS and all(w[0].isupper() for w in words) \
        and any(ch.islower() for ch in line) and len(line) <= _TITLE_CHARS


_TITLE_CHARS = 200  # a headline's length at most: longer lines are prose


def _all_caps(line: str) -> bool:
    """Capitals and no lower-case letter, with at least one word of two letters."""
    return not any(ch.islower() for ch in line) and any(len(w) > 1 for w in _LETTERS.findall(line))


def _sentence_start(line: str, at: int) -> bool:
    before = line[:at].rstrip(" \t\"'\u201c\u2018(")
    return not before or before[-1] in ".!?:"
