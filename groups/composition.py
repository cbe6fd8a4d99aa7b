"""Composition figures of initiative groups: who the members are.

Every figure is counted by the database; this module only turns the counts
into shares and compares them with the benchmark.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


def youth_birth_years(year=None):
    """Birth years counted as youth this year (the Law "On youth": 14-35 years)."""
    year = year or timezone.localdate().year
    return (year - settings.YOUTH_AGE_MAX, year - settings.YOUTH_AGE_MIN)


def share(part, whole):
    """Percentage of part in whole, one decimal; None when there is no whole."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


@dataclass(frozen=True)
class Composition:
    members: int = 0
    women: int = 0
    youth: int = 0
    deputies: int = 0
    civil_society: int = 0
    leaders: int = 0

    @property
    def women_share(self):
        return share(self.women, self.members)

    @property
    def youth_share(self):
        return share(self.youth, self.members)

    @property
    def women_below_benchmark(self):
        """Fewer women than the benchmark (30 % in the seed); no members, no flag."""
        return self.members > 0 and self.women_share < settings.WOMEN_SHARE_BENCHMARK

    @classmethod
    def from_counts(cls, counts):
        return cls(**{field: counts.get(field) or 0 for field in cls.__dataclass_fields__})
