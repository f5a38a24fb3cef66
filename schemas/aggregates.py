"""Responses of the worker's query API (``/api/...``): the live aggregates of who is quoted on what."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Window = Literal["1h", "1d"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FormCount(_Frozen):
    """One canonical name as articles gave it, and what it counts for in the window."""

    name: str
    statements: int = Field(ge=0)
    mentions: int = Field(ge=0)
    articles: int = Field(ge=0)


class NameCount(_Frozen):
    name: str
    count: int = Field(ge=0)


class SeriesPoint(_Frozen):
    start: datetime = Field(description="Start of the window (UTC).")
    count: int = Field(ge=0)


class IdentityCounts(_Frozen):
    """A stream-wide identity (the forms that name one person or thing) and its counts in a window."""

    key: str = Field(description="Stable key: group and display name.")
    group: str = Field(description="Identity group, the partition key: type and surname (PERSON) or name.")
    name: str = Field(description="Display name: the full form the stream has seen.")
    type: str = Field(description="Entity type, or NOMINAL for a speaker without an entity.")
    ambiguous: list[str] = Field(default_factory=list,
                                 description="For a short form that could be several people: the full forms.")
    statements: int = Field(ge=0, description="Statements attributed to it.")
    mentions: int = Field(ge=0, description="Entity mentions.")
    articles: int = Field(ge=0, description="Article revisions that name it.")
    forms: list[FormCount] = Field(description="Counts per form, as the topics key them.")


class RankedIdentity(IdentityCounts):
    count: int = Field(ge=0, description="The ranking measure: statements for speakers, mentions for entities.")
    series: list[SeriesPoint] = Field(description="The measure over time: 24 hours (1h) or 7 days (1d), oldest first.")


class TopResponse(_Frozen):
    kind: Literal["speakers", "entities"]
    window: Window
    start: datetime
    end: datetime
    items: list[RankedIdentity]
    workers: list[str] = Field(description="Workers whose tables answered (the whole group, by fan-out).")


class TrendingItem(IdentityCounts):
    kind: Literal["speakers", "entities"]
    count: int = Field(ge=0, description="Count in the current window.")
    baseline: float = Field(ge=0, description="Mean count in the previous windows (24 hours, or 7 days).")
    score: float = Field(description="(count - baseline) / sqrt(baseline + 1).")


class TrendingResponse(_Frozen):
    window: Window
    start: datetime
    end: datetime
    items: list[TrendingItem]
    workers: list[str]


class StatementView(_Frozen):
    article_id: str
    revision: int
    index: int
    received_at: datetime
    speaker: str
    speaker_type: str
    speaker_mention: str | None = None
    kind: str
    cue: str
    content: str
    source: str | None = None
    title: str = ""


class ProfileResponse(_Frozen):
    """One speaker or entity: counts in the window, forms, outlets, who it names, latest statements."""

    kind: Literal["speaker", "entity"]
    window: Window
    start: datetime
    end: datetime
    identity: IdentityCounts
    outlets: list[NameCount] = Field(description="Sources of the articles that quote it (speaker) or name it (entity).")
    about: list[NameCount] = Field(description="Entities its statements name (speaker), or named beside it (entity).")
    latest: list[StatementView] = Field(description="Its latest statements, newest first (bounded).")
    hourly: list[SeriesPoint] = Field(description="Statements (speaker) or mentions (entity) in the last 24 hours.")
    daily: list[SeriesPoint] = Field(description="The same over the last 7 days.")
    answered_by: str = Field(description="The worker whose table holds this identity.")


class FeedResponse(_Frozen):
    items: list[StatementView] = Field(description="Newest statements first.")
    workers: list[str]


class ApiError(_Frozen):
    error: str
    detail: list[str] = Field(default_factory=list)
