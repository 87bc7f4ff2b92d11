"""The Vietnamese working-day calendar and Civil Code deadline arithmetic. No ORM here.

Statutory holidays come from the `holidays` package (Bộ luật Lao động 2019 Đ112, including
days in lieu and decreed swaps it knows). Decrees it does not know yet are layered on top as
overrides, kept in the `core.CalendarOverride` table and passed in by `core.selectors`.

Counting follows Bộ luật Dân sự 2015 Đ147–148: the start day is not counted; a period ends at
the end of its last day; if that day is a weekend or holiday, it ends on the next working day.
"""

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=1)
def _statutory_holidays() -> holidays.HolidayBase:
    # One expanding instance: years are computed on first lookup and kept.
    return holidays.country_holidays("VN")


class WorkingCalendar:
    """Answers whether a date is a working day, and adds days the way the law counts them."""

    def __init__(
        self,
        *,
        extra_days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
    ) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)

    def holiday_name(self, day: dt.date) -> str | None:
        """Return the statutory holiday's name on `day`, or None."""
        return _statutory_holidays().get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return _statutory_holidays().is_working_day(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return `day` if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """Return the n-th working day after `start` (the start day itself is not counted)."""
        _require_positive(n)
        day, counted = start, 0
        while counted < n:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def add_calendar_days(self, start: dt.date, n: int) -> dt.date:
        """Return start + n days, rolled over to the next working day (BLDS Đ148 k5)."""
        _require_positive(n)
        return self.next_working_day(start + dt.timedelta(days=n))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days d with start < d <= end (negative if end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def _require_positive(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise ValueError("n must be a positive whole number of days")
