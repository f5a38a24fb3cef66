"""One enriched article -> one fact per identity group it names: what the aggregates count.

A fact carries everything the group's tables need from the article (its forms with their type,
mention count and statements, the entities those statements name, the outlet), so the second
stage never looks at the article again. Each fact goes to the facts-topic partition its group key
hashes to (several facts of one article and partition share a record): the repartitioning step
from article id to identity group.

The input is the JSON of ``articles.enriched`` as a dict (no pydantic model: this runs for every
article in the worker's own process, beside the NLP, and plain dict access is what keeps the
aggregates' cost within a few per cent). Missing or mistyped fields raise ``BadArticle``.
"""

import bisect
from datetime import datetime

from streams.aggregates.identity import group_key

FACT_VERSION = 1
CO_MENTIONS = 10  # entities kept per article as "named beside"
NOMINAL = "NOMINAL"  # a speaker named without an entity cluster ("the UN Syria envoy", "officials")


class BadArticle(ValueError):
    pass


def arrival_time(article: dict, fallback: float) -> float:
    """Unix seconds of the raw record's Kafka timestamp; ``fallback`` when the record has none."""
    received = article.get("received_at")
    if not received:
        return fallback
    return datetime.fromisoformat(received.replace("Z", "+00:00")).timestamp()


def article_facts(article: dict, at: float) -> list[tuple[str, dict]]:
    """(group key, fact) for every group the article names, in a stable order."""
    try:
        entities = {e["id"]: e for e in article["entities"]}
        head = {"v": FACT_VERSION, "article": str(article["id"]), "rev": int(article.get("revision", 1)), "at": at,
                "source": article.get("source"), "title": article.get("title", ""),
                "co": most_named(article["entities"])}
        forms: dict[str, dict[str, dict]] = {}
        for e in article["entities"]:
            _form(forms, e["name"], e["type"])["m"] += int(e["count"])
        spans = mention_spans(article["entities"])
        for index, s in enumerate(article["statements"]):
            _add_statement(forms, entities, index, s, spans)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadArticle(f"not an enriched article: {exc!r}") from None
    return [(group, {**head, "group": group, "forms": forms[group]}) for group in sorted(forms)]


def most_named(entities: list[dict]) -> list[str]:
    """The article's most mentioned entities: what an entity is named beside. Bounded, because
    every group of the article keeps this list in its day value."""
    ranked = sorted(entities, key=lambda e: (-int(e["count"]), e["name"]))
    return [e["name"] for e in ranked[:CO_MENTIONS]]


def _form(forms: dict, name: str, entity_type: str) -> dict:
    group = forms.setdefault(group_key(name, entity_type), {})
    return group.setdefault(name, {"t": entity_type, "m": 0, "s": [], "ab": {}})


def _add_statement(forms: dict, entities: dict, index: int, s: dict, spans: list) -> None:
    if not s["speaker"]:
        return  # the statements topic has these too, keyed by nothing: no speaker to count
    speaker_entity = entities.get(s.get("speaker_entity_id"))
    form = _form(forms, s["speaker"], speaker_entity["type"] if speaker_entity else NOMINAL)
    form["s"].append({"i": index, "kind": s["kind"], "cue": s["cue"], "content": s["content"],
                      "mention": s.get("speaker_mention")})
    for name in named_in(s, spans, speaker_entity):
        form["ab"][name] = form["ab"].get(name, 0) + 1


def mention_spans(entities: list[dict]) -> list[tuple[str, int, int, dict]]:
    """(field, start, end, entity) of every mention, sorted: the statements' look-up table."""
    return sorted(((m["field"], m["start"], m["end"], e) for e in entities for m in e["mentions"]),
                  key=lambda t: (t[0], t[1]))


def named_in(statement: dict, spans: list, speaker_entity: dict | None) -> list[str]:
    """Entities with a mention inside the statement's content (who talks about whom), not the speaker."""
    span = statement["content_span"]
    first = bisect.bisect_left(spans, (span["field"], span["start"]), key=lambda t: (t[0], t[1]))
    names = set()
    for field, start, end, e in spans[first:]:
        if field != span["field"] or start >= span["end"]:
            break
        if end <= span["end"] and e is not speaker_entity:
            names.add(e["name"])
    return sorted(names)
