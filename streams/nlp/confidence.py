"""How far to trust a statement: the share of statements found the same way that were right.

A statement's evidence is the rule path that found it, its kind and the form of its speaker
(a name, a nominal, a pronoun resolved or not, none). Its confidence is the share of statements
with that evidence that were right, content and speaker, on evaluation data, read from a small
table (``confidence.json`` beside this module) that ``benchmarks/calibrate_confidence.py``
rebuilds. Evidence the table has seen too rarely falls back to a coarser key (the rule path and
kind, then the kind alone), so every statement gets a figure that many statements stand behind.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("confidence.json")
# Unknown evidence (a table that does not know the key at any level): a low figure, so that a
# consumer's threshold never lets an unmeasured path through.
_UNRATED = 0.3


@dataclass(frozen=True)
class Evidence:
    rule: str  # the rule path ("speech:clause", "object:object", "headline", ...)
    kind: str  # direct, mixed, indirect, according_to, headline
    speaker: str  # name, nominal, pronoun, unresolved, none

    def keys(self) -> tuple[str, ...]:
        """Lookup keys, most specific first."""
        return (f"{self.rule}|{self.kind}|{self.speaker}", f"{self.rule}|{self.kind}", f"*|{self.kind}")


def speaker_form(mention: str | None, name: str | None, pronoun: str | None, entity_id: str | None) -> str:
    """The form of a statement's speaker, as the confidence table tells them apart."""
    if mention is None:
        return "none"
    if pronoun is not None:
        return "pronoun" if name is not None else "unresolved"
    return "name" if entity_id is not None else "nominal"


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    if not TABLE.is_file():
        return {}
    return json.loads(TABLE.read_text(encoding="utf-8"))["confidence"]


def confidence(evidence: Evidence) -> float:
    table = _table()
    for key in evidence.keys():
        if key in table:
            return table[key]
    return _UNRATED
