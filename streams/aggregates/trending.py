"""Trending: a key whose count in the current window stands out against its own recent baseline.

    baseline = mean count of the key in the previous N windows (24 hours for 1h, 7 days for 1d;
               windows without any record count as 0)
    score    = (current - baseline) / sqrt(baseline + 1)

The score reads like a Poisson z-score (counts of rare events have variance about equal to their
mean): a key that goes from 1 an hour to 9 scores (9 - 1) / sqrt(2) = 5.7, one that goes from 100
to 110 only 1.0. The +1 keeps a key with no history from dividing by zero: new to the stream, it
scores its count. Keys below ``MIN_COUNT`` in the current window are not trending (one mention is
noise, whatever its history).
"""

import math
from dataclasses import dataclass
from typing import Sequence

MIN_COUNT = 2


@dataclass(frozen=True)
class Trend:
    current: int
    baseline: float
    score: float


def trend(current: int, history: Sequence[int]) -> Trend | None:
    """The trend of a key, or None when it is below MIN_COUNT now."""
    if current < MIN_COUNT:
        return None
    baseline = sum(history) / len(history) if history else 0.0
    return Trend(current, baseline, (current - baseline) / math.sqrt(baseline + 1))


def rank(items: Sequence[tuple[str, Trend]], limit: int) -> list[tuple[str, Trend]]:
    """Highest score first; ties by count, then name, so the order is stable across workers."""
    return sorted(items, key=lambda it: (-it[1].score, -it[1].current, it[0]))[:limit]
