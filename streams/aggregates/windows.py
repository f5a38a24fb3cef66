"""Tumbling windows of one hour and one day, aligned to UTC, and their retention.

State is stored per (group, UTC day); each counted article in it carries the hour it arrived in,
so both windows come from one value: a 1d window is a whole day value, a 1h window the entries
of one hour in it. Times are Unix seconds of the article's arrival (the raw record's Kafka
timestamp, ``received_at``), so a re-delivered article falls in the same window again.
"""

from dataclasses import dataclass

HOUR = 3600
DAY = 86400
WINDOWS = {"1h": HOUR, "1d": DAY}
# How many earlier windows make a key's baseline for trending: a day of hours, a week of days.
BASELINE_WINDOWS = {"1h": 24, "1d": 7}


@dataclass(frozen=True)
class Bucket:
    window: str
    start: int  # Unix seconds

    @property
    def length(self) -> int:
        return WINDOWS[self.window]

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def day(self) -> int:
        return day_start(self.start)

    @property
    def hour(self) -> int | None:
        """Hour of day selected inside the day value, or None for the whole day."""
        return hour_of_day(self.start) if self.window == "1h" else None

    def previous(self, n: int) -> list["Bucket"]:
        """The ``n`` windows before this one, most recent first."""
        return [Bucket(self.window, self.start - i * self.length) for i in range(1, n + 1)]


def day_start(ts: float) -> int:
    return int(ts // DAY) * DAY


def hour_of_day(ts: float) -> int:
    return int(ts % DAY) // HOUR


def bucket_of(window: str, ts: float) -> Bucket:
    length = WINDOWS[window]
    return Bucket(window, int(ts // length) * length)


def days_touched(buckets: list[Bucket]) -> list[int]:
    """The day values a set of windows needs, in order, without repeats."""
    return sorted({b.day for b in buckets})


def expired(day: int, now: float, retention_days: int) -> bool:
    """A day value is dropped once its whole day is older than the retention."""
    return day + DAY <= now - retention_days * DAY
