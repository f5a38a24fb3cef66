"""The values of the aggregate tables, as plain JSON dicts, and the idempotent updates on them.

faust is at-least-once: after a crash a fact can come again although the table already holds
it (the changelog write landed, the source offset was not committed). So every value records
what it has counted, and applying a fact twice changes nothing:

- **day value** (key: group, day): ``{"seen": {"<article>#<revision>": entry}}``, one entry per
  article revision with its hour, outlet and, per form, statements, mentions and the entities
  the statements name. Counts are derived from the entries, so a re-delivered fact, whose entry
  is already there, is recognised and skipped. A Kafka record is written whole, so the value and
  its record of what it counted can never part.
- **aliases** (key: group): the forms the stream has seen in the group, with when first seen:
  a set union, idempotent by nature.
- **profile** (key: group): the latest statements of the group (bounded), unique by article,
  revision and index, and the days it has values for (for retention). Keeping the N latest of a
  set is idempotent too: an element already there, or older than the N-th, changes nothing.
"""

from streams.aggregates.windows import day_start, expired, hour_of_day


def article_ref(fact: dict) -> str:
    return f"{fact['article']}#{fact['rev']}"


def day_entry(fact: dict) -> dict:
    forms = {name: {"t": f["t"], "s": len(f["s"]), "m": f["m"], "ab": f["ab"]} for name, f in fact["forms"].items()}
    co = [name for name in fact.get("co", []) if name not in forms]
    return {"h": hour_of_day(fact["at"]), "src": fact.get("source"), "f": forms, "co": co}


def apply_day(value: dict | None, fact: dict) -> dict | None:
    """The day value with the fact counted, or None when it is counted already (a re-delivery)."""
    seen = (value or {}).get("seen", {})
    ref = article_ref(fact)
    if ref in seen:
        return None
    return {"seen": {**seen, ref: day_entry(fact)}}


def apply_aliases(value: dict | None, fact: dict) -> dict | None:
    """The aliases with the fact's forms added, or None when none is new."""
    forms = dict(value or {})
    new = {name: fact["at"] for name in fact["forms"] if name not in forms}
    if not new:
        return None
    return {**forms, **new}


def statement_views(fact: dict) -> list[dict]:
    return [{"article": fact["article"], "rev": fact["rev"], "i": s["i"], "at": fact["at"], "speaker": name,
             "type": f["t"], "mention": s.get("mention"), "kind": s["kind"], "cue": s["cue"], "content": s["content"],
             "source": fact.get("source"), "title": fact.get("title", "")}
            for name, f in fact["forms"].items() for s in f["s"]]


def _order(view: dict) -> tuple:
    return (-view["at"], view["article"], -view["rev"], view["i"], view["speaker"])


def apply_profile(value: dict | None, fact: dict, bound: int) -> dict | None:
    """The profile with the fact's statements and day, or None when nothing changes."""
    value = value or {"latest": [], "days": []}
    day = day_start(fact["at"])
    have = {(v["article"], v["rev"], v["i"]) for v in value["latest"]}
    views = [v for v in statement_views(fact) if (v["article"], v["rev"], v["i"]) not in have]
    latest = sorted(value["latest"] + views, key=_order)[:bound]
    days = sorted(set(value["days"]) | {day})
    if latest == value["latest"] and days == value["days"]:
        return None
    return {"latest": latest, "days": days}


def prune_days(value: dict, now: float, retention_days: int) -> tuple[dict, list[int]]:
    """The profile without its expired days, and those days (whose day values are to be deleted)."""
    gone = [d for d in value["days"] if expired(d, now, retention_days)]
    if not gone:
        return value, []
    latest = [v for v in value["latest"] if not expired(day_start(v["at"]), now, retention_days)]
    return {"latest": latest, "days": [d for d in value["days"] if d not in gone]}, gone
