"""Dated occurrences of a recurring task (monthly, quarterly, 6-monthly, yearly). Pure."""

import calendar
import datetime as dt

# Which months of the year carry an occurrence, per recurrence.
MONTHS = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "half_yearly": (6, 12),
    "yearly": (12,),
}


class RecurrenceError(ValueError):
    pass


def occurrence_dates(
    recurrence: str, day: int, period_start: dt.date, period_end: dt.date
) -> list[dt.date]:
    """Return the due dates of the occurrences inside [period_start, period_end].

    `day` is the day of the month; in shorter months it falls on the month's last day
    (day 31 in a 30-day month gives the 30th).
    """
    if recurrence not in MONTHS:
        raise RecurrenceError(f"unknown recurrence {recurrence!r}")
    if not 1 <= day <= 31:
        raise RecurrenceError("day of the month must be between 1 and 31")
    dates = []
    for year in range(period_start.year, period_end.year + 1):
        for month in MONTHS[recurrence]:
            last = calendar.monthrange(year, month)[1]
            candidate = dt.date(year, month, min(day, last))
            if period_start <= candidate <= period_end:
                dates.append(candidate)
    return dates
