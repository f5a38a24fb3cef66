"""The aggregate tables as dicts, applied to as the worker's agent applies, read as the API reads."""

from streams.aggregates import state
from streams.aggregates.windows import day_start


class Tables:
    """The values per group that streams/aggregates/tables.py keeps in faust tables (applied fact by
    fact here; the alias table is kept apart, the worker keeps it in the profile)."""

    def __init__(self, bound: int = 20):
        self.days, self.aliases_, self.profiles = {}, {}, {}
        self.bound = bound

    def apply(self, fact: dict) -> bool:
        """Apply like the agent does; True when the day value counted it (False: a re-delivery)."""
        key = (fact["group"], day_start(fact["at"]))
        day = state.apply_day(self.days.get(key), fact)
        if day is not None:
            self.days[key] = day
        if (aliases := state.apply_aliases(self.aliases_.get(fact["group"]), fact)) is not None:
            self.aliases_[fact["group"]] = aliases
        if (profile := state.apply_profile(self.profiles.get(fact["group"]), fact, self.bound)) is not None:
            self.profiles[fact["group"]] = profile
        return day is not None

    # the Reader protocol of streams.aggregates.query
    def groups_on(self, day):
        return [g for g, d in self.days if d == day]

    def day(self, group, day):
        return self.days.get((group, day))

    def aliases(self, group):
        return self.aliases_.get(group, {})

    def profile(self, group):
        return self.profiles.get(group)
