"""Text preparation before parsing: HTML to plain text, word counts, over-long runs blanked.

All cheap, deterministic and model-free, so they run before spaCy sees the text (the language
decision is streams.nlp.language).
"""

import html
import re

# A body is treated as HTML only when it has real markup, not a stray "a < b".
_HTML_HINT = re.compile(r"<(p|br|div|span|a|b|i|em|strong|h[1-6]|ul|ol|li|blockquote|script|style|html|body)\b[^>]*>",
                        re.IGNORECASE)
# Markup of another vocabulary (a CMS's embeds: '<tweet id="..." author="@...">...</tweet>') shows by
# its quoted attributes; its attributes are no prose for the parser.
_ATTRIBUTED_TAG = re.compile(r"<[a-z][\w:-]*(?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))+\s*/?>", re.IGNORECASE)
_DROP_BLOCKS = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_BREAK = re.compile(r"<\s*(br|/p|/div|/h[1-6]|/li|/blockquote|/tr)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def looks_like_html(text: str) -> bool:
    return _HTML_HINT.search(text) is not None or _ATTRIBUTED_TAG.search(text) is not None


def html_to_text(text: str) -> str:
    """Drop scripts and styles, turn block ends into paragraph breaks, remove tags, unescape entities."""
    text = _DROP_BLOCKS.sub(" ", text)
    text = _BLOCK_BREAK.sub("\n\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text)]
    return "\n\n".join(p for p in paragraphs if p)


def word_count(text: str) -> int:
    """Words as throughput is measured everywhere in Wirestream: white-space separated tokens."""
    return len(text.split())


# spaCy's tokenizer splits affixes off a white-space-free run one at a time, which is quadratic
# in the run's length: 8,000 quote marks in a row take seconds. No word is this long.
LONG_RUN_CHARS = 1000
_LONG_RUN = re.compile(r"\S{%d,}" % LONG_RUN_CHARS)


def has_long_runs(text: str) -> bool:
    return _LONG_RUN.search(text) is not None


def blank_long_runs(text: str) -> str:
    """The text with every white-space-free run of LONG_RUN_CHARS or more replaced by spaces.

    The length, and so every offset, stays the same: what is found in the blanked text slices
    the original text at the same positions.
    """
    return _LONG_RUN.sub(lambda m: " " * len(m.group()), text)
