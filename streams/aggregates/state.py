"""The values of the aggregate tables, as plain JSON dicts, and the idempotent updates on them.

faust is at-least-once: after a crash a fact can come again although the table already holds
it (the changelog write landed, the source offset was not committed). So every value records
what it has counted, and applying a fact twice changes nothing:

- **day value** (key: group, day): the article revisions it has counted, as one string ``refs``
  of entries ``<article>#<revision> US <hour> US <outlet> US <forms>`` (US: the unit separator,
  which no article id contains; outlet and forms are indexes into ``srcs`` and ``forms``, a form
  marked ``*`` when the article quotes it), and per hour and form the sums: statements, mentions,
  articles, the entities its statements name (``ab``), the entities named beside it (``co``). A
  fact whose revision is in ``refs`` is a re-delivery and changes nothing. A Kafka record is
  written whole, so the sums and the record of what they count can never part. ``refs`` is one
  JSON string rather than a list or dict because the value is decoded and encoded at every fact
  of its group: one long string is one token for the JSON parser, which keeps that cost small.
- **profile** (key: group): the group's alias table (the forms the stream has seen in it, with
  when first seen: a set union, idempotent by nature), its latest statements (bounded), unique by
  article, revision and index, and the days it has values for (for retention). Keeping the N
  latest of a set is idempotent too: an element already there, or older than the N-th, changes
  nothing.
"""

from streams.aggregates.windows import day_start, expired, hour_of_day


US = "\x1f"  # between the fields of a refs entry; article ids have no control characters
CO_KEEP = 12  # entities named beside, or by, a form per hour: the most frequent kept (a ranking, bounded)


def article_ref(fact: dict) -> str:
    return f"{fact['article']}#{fact['rev']}"


def has_counted(value: dict, ref: str) -> bool:
    refs = value["refs"]
    return refs.startswith(ref + US) or f" {ref}{US}" in refs


def apply_day(value: dict | None, fact: dict) -> dict | None:
    """The day value with the fact counted (updated in place), or None when it is counted already."""
    value = value or {"refs": "", "forms": [], "srcs": [], "h": {}}
    ref = article_ref(fact)
    if has_counted(value, ref):
        return None
    hour = value["h"].setdefault(str(hour_of_day(fact["at"])), {"f": {}, "ab": {}, "co": {}})
    beside = [n for n in fact.get("co", []) if n not in fact["forms"]]
    marks = []
    for name, f in fact["forms"].items():
        sums = hour["f"].setdefault(name, [0, 0, 0])
        sums[0], sums[1], sums[2] = sums[0] + len(f["s"]), sums[1] + f["m"], sums[2] + 1
        hour["ab"][name] = _capped(_add(hour["ab"].get(name, {}), f["ab"]))
        hour["co"][name] = _capped(_add(hour["co"].get(name, {}), dict.fromkeys(beside, 1)))
        marks.append(f"{_index(value['forms'], name)}{'*' if f['s'] else ''}")
    entry = US.join((ref, str(hour_of_day(fact["at"])), str(_index(value["srcs"], fact.get("source") or "")),
                     ",".join(marks)))
    value["refs"] = f"{value['refs']} {entry}" if value["refs"] else entry
    return value


def refs_of(value: dict) -> list[tuple[str, int, str, list[tuple[str, bool]]]]:
    """(revision, hour, outlet, [(form, quoted)]) of every counted article revision."""
    out = []
    for entry in value["refs"].split(" ") if value["refs"] else ():
        ref, hour, src, marks = entry.split(US)
        forms = [(value["forms"][int(m.rstrip("*"))], m.endswith("*")) for m in marks.split(",") if m]
        out.append((ref, int(hour), value["srcs"][int(src)], forms))
    return out


def _index(names: list[str], name: str) -> int:
    try:
        return names.index(name)
    except ValueError:
        names.append(name)
        return len(names) - 1


def _add(counter: dict, more: dict) -> dict:
    for key, n in more.items():
        counter[key] = counter.get(key, 0) + n
    return counter


def _capped(counter: dict) -> dict:
    if len(counter) <= CO_KEEP:
        return counter
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:CO_KEEP])


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
    """The profile with the fact's forms, statements and day, or None when nothing changes."""
    value = value or {"forms": {}, "latest": [], "days": []}
    forms = apply_aliases(value["forms"], fact)
    day = day_start(fact["at"])
    have = {(v["article"], v["rev"], v["i"]) for v in value["latest"]}
    views = [v for v in statement_views(fact) if (v["article"], v["rev"], v["i"]) not in have]
    latest = sorted(value["latest"] + views, key=_order)[:bound]
    days = sorted(set(value["days"]) | {day})
    if forms is None and latest == value["latest"] and days == value["days"]:
        return None
    return {"forms": forms or value["forms"], "latest": latest, "days": days}


def prune_days(value: dict, now: float, retention_days: int) -> tuple[dict, list[int]]:
    """The profile without its expired days, and those days (whose day values are to be deleted)."""
    gone = [d for d in value["days"] if expired(d, now, retention_days)]
    if not gone:
        return value, []
    latest = [v for v in value["latest"] if not expired(day_start(v["at"]), now, retention_days)]
    return {"forms": value["forms"], "latest": latest, "days": [d for d in value["days"] if d not in gone]}, gone
