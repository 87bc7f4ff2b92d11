"""Reporting periods with the cut-off day (DOMAIN.md §H). Pure Python: no ORM.

With the default cut-off day 15, month m of year y runs from 15/(m-1) to 14/m, so January 2026 is
15/12/2025–14/01/2026, the first six months 15/12/2025–14/06/2026 and the year 15/12/2025–
14/12/2026. A cut-off day of 1 gives calendar months. Cut-off days above 28 are refused so that
every month has the day (no February special cases).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

MONTH = "month"
QUARTER = "quarter"
HALF = "half"
NINE_MONTHS = "nine_months"
YEAR = "year"
CUSTOM = "custom"
KINDS = (MONTH, QUARTER, HALF, NINE_MONTHS, YEAR, CUSTOM)
# (first month, last month) of each numbered period of a kind.
MONTHS = {
    MONTH: {m: (m, m) for m in range(1, 13)},
    QUARTER: {q: (3 * q - 2, 3 * q) for q in range(1, 5)},
    HALF: {1: (1, 6), 2: (7, 12)},
    NINE_MONTHS: {1: (1, 9)},
    YEAR: {1: (1, 12)},
}
ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period that cannot exist (bad kind, index, cut-off day or range)."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date
    year: int = 0  # the reporting year (for custom ranges: the year of `end`)
    index: int = 1  # month 1–12, quarter 1–4, half 1–2; 1 for nine months and year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """The period as a report title says it: "6 tháng đầu năm 2026" in Vietnamese."""
        if self.kind == MONTH:
            return _("month %(month)s of %(year)s") % {"month": self.index, "year": self.year}
        if self.kind == QUARTER:
            return _("quarter %(quarter)s of %(year)s") % {
                "quarter": ROMAN_QUARTERS[self.index],
                "year": self.year,
            }
        if self.kind == HALF:
            if self.index == 1:
                return _("the first six months of %(year)s") % {"year": self.year}
            return _("the last six months of %(year)s") % {"year": self.year}
        if self.kind == NINE_MONTHS:
            return _("the first nine months of %(year)s") % {"year": self.year}
        if self.kind == YEAR:
            return _("the year %(year)s") % {"year": self.year}
        return _("from %(start)s to %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    def range_label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def as_params(self) -> dict[str, str]:
        """Query-string parameters that `parse` turns back into this period."""
        if self.kind == CUSTOM:
            return {"kind": CUSTOM, "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"kind": self.kind, "year": str(self.year), "index": str(self.index)}

    @classmethod
    def from_dict(cls, data: dict) -> "Period":
        """The period `as_dict` wrote (e.g. in a report's frozen figures)."""
        return cls(
            data["kind"],
            dt.date.fromisoformat(data["start"]),
            dt.date.fromisoformat(data["end"]),
            data["year"],
            data["index"],
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "year": self.year,
            "index": self.index,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def check_cutoff(cutoff_day: int) -> int:
    if not 1 <= cutoff_day <= 28:
        raise PeriodError(f"the report cut-off day must be 1–28, not {cutoff_day}")
    return cutoff_day


def month_start(year: int, month: int, cutoff_day: int) -> dt.date:
    """First day of reporting month `month` of `year`."""
    if check_cutoff(cutoff_day) == 1:
        return dt.date(year, month, 1)
    if month == 1:
        return dt.date(year - 1, 12, cutoff_day)
    return dt.date(year, month - 1, cutoff_day)


def month_end(year: int, month: int, cutoff_day: int) -> dt.date:
    """Last day of reporting month `month` of `year`: the day before the next month starts."""
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return month_start(*nxt, cutoff_day) - dt.timedelta(days=1)


def period_for(kind: str, year: int, index: int = 1, *, cutoff_day: int = 15) -> Period:
    """The numbered period `index` of `kind` in reporting year `year`."""
    if kind not in MONTHS:
        raise PeriodError(f"unknown period kind {kind!r}")
    if index not in MONTHS[kind]:
        raise PeriodError(f"{kind} has no number {index}")
    if not 1900 < year < 3000:
        raise PeriodError(f"year {year} is out of range")
    first, last = MONTHS[kind][index]
    return Period(
        kind,
        month_start(year, first, cutoff_day),
        month_end(year, last, cutoff_day),
        year,
        index,
    )


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError("the end of the period is before its start")
    return Period(CUSTOM, start, end, end.year, 1)


def containing(day: dt.date, kind: str, *, cutoff_day: int = 15) -> Period:
    """The period of `kind` that contains `day`."""
    if kind == CUSTOM or kind not in MONTHS:
        raise PeriodError(f"no numbered period of kind {kind!r}")
    year = day.year + 1 if day >= month_start(day.year + 1, 1, cutoff_day) else day.year
    for index in MONTHS[kind]:
        period = period_for(kind, year, index, cutoff_day=cutoff_day)
        if period.start <= day <= period.end:
            return period
    # Nine months do not cover the year's last quarter: report the nine months of that year.
    return period_for(kind, year, 1, cutoff_day=cutoff_day)


def previous(period: Period, *, cutoff_day: int = 15) -> Period:
    """The period before `period` to compare with: the preceding one of the same kind; for
    nine months and years the same period a year earlier; for a custom range the range of the
    same length just before it."""
    if period.kind == CUSTOM:
        length = dt.timedelta(days=period.days)
        return custom(period.start - length, period.start - dt.timedelta(days=1))
    indexes = sorted(MONTHS[period.kind])
    position = indexes.index(period.index)
    if position == 0:
        return period_for(period.kind, period.year - 1, indexes[-1], cutoff_day=cutoff_day)
    return period_for(period.kind, period.year, indexes[position - 1], cutoff_day=cutoff_day)


def trailing(period: Period, count: int, *, cutoff_day: int = 15) -> list[Period]:
    """`count` periods ending with `period`, oldest first (the trend)."""
    periods = [period]
    while len(periods) < count:
        periods.insert(0, previous(periods[0], cutoff_day=cutoff_day))
    return periods


def parse(params, *, today: dt.date, cutoff_day: int = 15) -> Period:
    """A period from query parameters (kind, year, index or start, end); the default is the
    current six months. Raises PeriodError on parameters that name no period."""
    kind = params.get("kind") or HALF
    if kind == CUSTOM:
        try:
            start = dt.date.fromisoformat(params.get("start", ""))
            end = dt.date.fromisoformat(params.get("end", ""))
        except ValueError as exc:
            raise PeriodError("dates must be written YYYY-MM-DD") from exc
        return custom(start, end)
    if kind not in MONTHS:
        raise PeriodError(f"unknown period kind {kind!r}")
    current = containing(today, kind, cutoff_day=cutoff_day)
    try:
        year = int(params.get("year") or current.year)
        index = int(params.get("index") or current.index)
    except ValueError as exc:
        raise PeriodError("year and number must be whole numbers") from exc
    return period_for(kind, year, index, cutoff_day=cutoff_day)
