"""Answers from the table values one worker holds: top lists, trending, one identity's profile.

Every group (and so every identity, since identities never span groups) lives in exactly one
partition, owned by one worker. A worker's top list is therefore exact for its share, and the
top N of the union of every worker's top N is the exact global top N (``merge_ranked``). Reads go
through a ``Reader`` (the faust tables in the worker, dicts in tests).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Literal, Protocol

from schemas.aggregates import (
    FormCount,
    IdentityCounts,
    NameCount,
    ProfileResponse,
    RankedIdentity,
    SeriesPoint,
    StatementView,
    TrendingItem,
)
from streams.aggregates import state, trending
from streams.aggregates.identity import Identity, resolve
from streams.aggregates.windows import BASELINE_WINDOWS, Bucket, bucket_of, days_touched

Kind = Literal["speakers", "entities"]
MEASURE = {"speakers": "s", "entities": "m"}  # the count each kind ranks by
SERIES_LENGTH = {"1h": 24, "1d": 7}
PROFILE_LIST = 20  # outlets and named entities shown in a profile


class Reader(Protocol):
    def groups_on(self, day: int) -> Iterable[str]: ...

    def day(self, group: str, day: int) -> dict | None: ...

    def aliases(self, group: str) -> dict: ...

    def profile(self, group: str) -> dict | None: ...


@dataclass
class Acc:
    """What one identity counts for in one window."""

    identity: Identity
    forms: dict[str, list[int]] = field(default_factory=dict)  # form -> [statements, mentions, articles]
    articles: set[str] = field(default_factory=set)
    quoting: Counter = field(default_factory=Counter)  # outlets of the articles that quote it
    naming: Counter = field(default_factory=Counter)  # outlets of the articles that name it
    about: Counter = field(default_factory=Counter)
    co: Counter = field(default_factory=Counter)

    def total(self, index: int) -> int:
        return sum(f[index] for f in self.forms.values())

    def counts(self) -> IdentityCounts:
        i = self.identity
        forms = [FormCount(name=n, statements=s, mentions=m, articles=a) for n, (s, m, a) in sorted(self.forms.items())]
        return IdentityCounts(key=i.key, group=i.group, name=i.name, type=i.type, ambiguous=list(i.ambiguous),
                              statements=self.total(0), mentions=self.total(1), articles=len(self.articles),
                              forms=forms)


def group_type(group: str) -> str:
    return group.split(":", 1)[0]


def resolution(reader: Reader, group: str, values: Iterable[dict]) -> dict[str, Identity]:
    """Form -> identity for a group: the alias table's forms, and any form a day value holds."""
    forms = set(reader.aliases(group))
    for value in values:
        forms.update(value["forms"])
    return resolve(forms, group_type(group))


def _in(bucket: Bucket, hour: int) -> bool:
    return bucket.hour is None or hour == bucket.hour


def accumulate(resolved: dict[str, Identity], value: dict | None, bucket: Bucket) -> dict[str, Acc]:
    """Identity name -> its counts in the window, from the group's day value."""
    out: dict[str, Acc] = {}
    if value is None:
        return out
    for hour, sums in value["h"].items():
        if not _in(bucket, int(hour)):
            continue
        for form, (s, m, a) in sums["f"].items():
            acc = out.setdefault(resolved[form].name, Acc(resolved[form]))
            counts = acc.forms.setdefault(form, [0, 0, 0])
            counts[0], counts[1], counts[2] = counts[0] + s, counts[1] + m, counts[2] + a
            acc.about.update(sums["ab"].get(form, {}))
            acc.co.update(sums["co"].get(form, {}))
    for ref, hour, source, forms in state.refs_of(value):
        if _in(bucket, hour):
            _outlets(out, resolved, ref, source or "(no source)", forms)
    return out


def _outlets(out: dict[str, Acc], resolved: dict[str, Identity], ref: str, source: str, forms) -> None:
    """One article revision, counted once per identity however many of its forms it names."""
    named = {resolved[form].name for form, _ in forms}
    quoted = {resolved[form].name for form, q in forms if q}
    for name in named:
        out[name].articles.add(ref)
        out[name].naming[source] += 1
    for name in quoted:
        out[name].quoting[source] += 1


def measure_of(acc: Acc, kind: Kind) -> int:
    return acc.total(0 if kind == "speakers" else 1)


def group_window(reader: Reader, group: str, bucket: Bucket) -> tuple[dict[str, Identity], dict[str, Acc]]:
    value = reader.day(group, bucket.day)
    resolved = resolution(reader, group, [value] if value else [])
    return resolved, accumulate(resolved, value, bucket)


def series(reader: Reader, group: str, resolved: dict[str, Identity], buckets: list[Bucket],
           kind: Kind) -> dict[str, list[int]]:
    """Identity name -> its measure in each of ``buckets``."""
    values = {day: reader.day(group, day) for day in days_touched(buckets)}
    out: dict[str, list[int]] = {}
    for i, bucket in enumerate(buckets):
        for name, acc in accumulate(resolved, values[bucket.day], bucket).items():
            out.setdefault(name, [0] * len(buckets))[i] = measure_of(acc, kind)
    return out


def _points(buckets: list[Bucket], counts: list[int] | None) -> list[SeriesPoint]:
    counts = counts or [0] * len(buckets)
    return [SeriesPoint(start=when(b.start), count=c) for b, c in zip(buckets, counts)]


def recent(bucket: Bucket) -> list[Bucket]:
    """The window and the ones before it for a chart, oldest first."""
    return list(reversed([bucket, *bucket.previous(SERIES_LENGTH[bucket.window] - 1)]))


def local_top(reader: Reader, kind: Kind, bucket: Bucket, limit: int) -> list[RankedIdentity]:
    scored = []
    for group in reader.groups_on(bucket.day):
        resolved, accs = group_window(reader, group, bucket)
        scored += [(measure_of(acc, kind), name, group, resolved, acc) for name, acc in accs.items()
                   if measure_of(acc, kind) > 0]
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    chart = recent(bucket)
    out = []
    for count, name, group, resolved, acc in scored[:limit]:
        points = _points(chart, series(reader, group, resolved, chart, kind).get(name))
        out.append(RankedIdentity(**acc.counts().model_dump(), count=count, series=points))
    return out


def merge_ranked(lists: Iterable[list[RankedIdentity]], limit: int) -> list[RankedIdentity]:
    items = [item for items in lists for item in items]
    return sorted(items, key=lambda r: (-r.count, r.name, r.group))[:limit]


def local_trending(reader: Reader, kind: Kind, bucket: Bucket, limit: int) -> list[TrendingItem]:
    history = bucket.previous(BASELINE_WINDOWS[bucket.window])
    found = []
    for group in reader.groups_on(bucket.day):
        resolved, accs = group_window(reader, group, bucket)
        hot = {name: acc for name, acc in accs.items() if measure_of(acc, kind) >= trending.MIN_COUNT}
        if not hot:
            continue
        past = series(reader, group, resolved, history, kind)
        for name, acc in hot.items():
            t = trending.trend(measure_of(acc, kind), past.get(name, []) or [0] * len(history))
            found.append((acc.identity.key, t, acc))
    ranked = trending.rank([(key, t) for key, t, _ in found], limit)
    by_key = {key: acc for key, _, acc in found}
    return [TrendingItem(**by_key[key].counts().model_dump(), kind=kind, count=t.current,
                         baseline=round(t.baseline, 4), score=round(t.score, 4)) for key, t in ranked]


def merge_trending(lists: Iterable[list[TrendingItem]], limit: int) -> list[TrendingItem]:
    items = [item for items in lists for item in items]
    return sorted(items, key=lambda t: (-t.score, -t.count, t.key))[:limit]


def find_identity(resolved: dict[str, Identity], name: str, entity_type: str) -> Identity | None:
    """The identity a name stands for: a form the stream has seen, an identity's display name, or a
    shorter form of exactly one full form seen ("de Mistura" finds "Staffan de Mistura")."""
    if name in resolved:
        return resolved[name]
    names = {i.name: i for i in resolved.values()}
    if name in names:
        return names[name]
    guess = resolve({*resolved, name}, entity_type)[name]
    return names.get(guess.name) if not guess.ambiguous else None


def local_profile(reader: Reader, group: str, name: str, kind: Literal["speaker", "entity"], bucket: Bucket,
                  answered_by: str) -> ProfileResponse | None:
    resolved, accs = group_window(reader, group, bucket)
    identity = find_identity(resolved, name, group_type(group))
    if identity is None:
        return None
    acc = accs.get(identity.name, Acc(identity))
    measure: Kind = "speakers" if kind == "speaker" else "entities"
    hours = recent(bucket_of("1h", bucket.start if bucket.window == "1h" else bucket.end - 1))
    days = recent(bucket_of("1d", bucket.start))
    forms = {f for f, i in resolved.items() if i.name == identity.name}
    return ProfileResponse(
        kind=kind, window=bucket.window, start=when(bucket.start), end=when(bucket.end), identity=acc.counts(),
        outlets=_top_names(acc.quoting if kind == "speaker" else acc.naming),
        about=_top_names(acc.about if kind == "speaker" else acc.co),
        latest=latest_of(reader.profile(group), forms),
        hourly=_points(hours, series(reader, group, resolved, hours, measure).get(identity.name)),
        daily=_points(days, series(reader, group, resolved, days, measure).get(identity.name)),
        answered_by=answered_by)


def _top_names(counter: Counter) -> list[NameCount]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:PROFILE_LIST]
    return [NameCount(name=n, count=c) for n, c in ranked]


def statement_view(v: dict) -> StatementView:
    return StatementView(article_id=v["article"], revision=v["rev"], index=v["i"], received_at=when(v["at"]),
                         speaker=v["speaker"], speaker_type=v["type"], speaker_mention=v.get("mention"),
                         kind=v["kind"], cue=v["cue"], content=v["content"], source=v.get("source"),
                         title=v.get("title", ""))


def latest_of(profile: dict | None, forms: set[str]) -> list[StatementView]:
    return [statement_view(v) for v in (profile or {}).get("latest", []) if v["speaker"] in forms]


def local_feed(reader: Reader, now: float, limit: int) -> list[StatementView]:
    """The newest statements of the groups active today or yesterday, from their profiles (so the
    feed survives a restart: it is table state, recovered like the rest)."""
    today = bucket_of("1d", now)
    groups = {g for b in (today, *today.previous(1)) for g in reader.groups_on(b.start)}
    views = [v for g in groups for v in (reader.profile(g) or {}).get("latest", [])]
    views.sort(key=lambda v: (-v["at"], v["article"], v["i"], v["speaker"]))
    return [statement_view(v) for v in views[:limit]]


def when(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, timezone.utc)
