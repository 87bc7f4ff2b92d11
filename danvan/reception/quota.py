"""Statutory reception minimums as arithmetic. Pure Python: no ORM, testable without a database.

A minimum is "at least N days per week (or month)" (DOMAIN.md §A). A period is a calendar
week (Monday–Sunday) or a calendar month; a day counts once however many sessions it held.
When the rule changes (the commune chair: weekly until 30/6/2026, monthly from 1/7/2026), each
period is judged by the rule in force on the day the period starts.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

WEEK = "week"
MONTH = "month"
Period = Literal["week", "month"]

# Who the minimums bind (the `role` of a quota and of a session).
COMMUNE_PC_CHAIR = "commune_pc_chair"
PROVINCE_PC_CHAIR = "province_pc_chair"
COMMUNE_PARTY_HEAD = "commune_party_head"
PROVINCE_PARTY_HEAD = "province_party_head"

# Which role heads which kind of agency at which level (org.Agency.Kind, AdministrativeUnit.Level).
ROLE_OF_AGENCY = {
    ("peoples_committee", "commune"): COMMUNE_PC_CHAIR,
    ("peoples_committee", "province"): PROVINCE_PC_CHAIR,
    ("party_committee", "commune"): COMMUNE_PARTY_HEAD,
    ("party_committee", "province"): PROVINCE_PARTY_HEAD,
}

# Luật 136/2025/QH15 (new Đ3a of the Law on Citizen Reception): reception may be held online
# from this date; before it, only in person (DOMAIN.md §A).
ONLINE_FROM = dt.date(2026, 7, 1)


class PeriodCount(NamedTuple):
    period_start: dt.date
    period_end: dt.date
    held: int
    required: int

    @property
    def short(self) -> bool:
        return self.held < self.required


@dataclass(frozen=True)
class QuotaTerms:
    """One version of a minimum, as `quota_compliance` needs it."""

    period: Period
    minimum: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    citation: str = ""


class CompliancePeriod(NamedTuple):
    count: PeriodCount
    citation: str


def role_for_agency(agency_kind: str, unit_level: str) -> str:
    """Return the quota role that heads such an agency, or '' if no minimum is recorded."""
    return ROLE_OF_AGENCY.get((agency_kind, unit_level), "")


def period_bounds(day: dt.date, period: Period) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the week (Mon–Sun) or month that contains `day`."""
    if period == WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if period == MONTH:
        first = day.replace(day=1)
        next_first = (first + dt.timedelta(days=32)).replace(day=1)
        return first, next_first - dt.timedelta(days=1)
    raise ValueError(f"Unknown period {period!r}")


def periods_between(start: dt.date, end: dt.date, period: Period) -> list[tuple[dt.date, dt.date]]:
    """Return the whole periods that overlap [start, end], in order."""
    bounds = []
    cursor = start
    while cursor <= end:
        first, last = period_bounds(cursor, period)
        bounds.append((first, last))
        cursor = last + dt.timedelta(days=1)
    return bounds


def quota_shortfall(
    sessions_held: Sequence[dt.date],
    *,
    period: Period,
    minimum: int,
    start: dt.date,
    end: dt.date,
) -> list[PeriodCount]:
    """Return (period_start, period_end, held, required) for each period overlapping [start, end].

    Periods keep their whole calendar bounds (the week of `start` may begin before it), so a
    session held on the Monday still counts when the range starts on the Wednesday. `held`
    counts distinct days; a period is short when held < required.
    """
    if minimum < 0:
        raise ValueError("minimum must not be negative")
    days = sorted(set(sessions_held))
    rows = []
    for first, last in periods_between(start, end, period):
        held = sum(1 for d in days if first <= d <= last)
        rows.append(PeriodCount(first, last, held, minimum))
    return rows


def quota_compliance(
    sessions_held: Sequence[dt.date],
    quotas: Iterable[QuotaTerms],
    *,
    start: dt.date,
    end: dt.date,
) -> list[CompliancePeriod]:
    """Return each period of [start, end] judged by the quota in force on the period's start.

    A period that began before a quota came into force belongs to the quota before it (or to
    none): e.g. the Party heads' monthly minimum from 23/11/2025 is first owed for December.
    """
    result: list[CompliancePeriod] = []
    for quota in quotas:
        seg_start = max(start, quota.valid_from) if quota.valid_from else start
        seg_end = min(end, quota.valid_to) if quota.valid_to else end
        if seg_start > seg_end:
            continue
        for row in quota_shortfall(
            sessions_held, period=quota.period, minimum=quota.minimum, start=seg_start, end=seg_end
        ):
            if quota.valid_from and row.period_start < quota.valid_from:
                continue
            result.append(CompliancePeriod(row, quota.citation))
    result.sort(key=lambda p: p.count.period_start)
    return result


class Run(NamedTuple):
    """Consecutive finished periods under one version of a minimum: one calendar unit and one
    required number of days, so a leader's held days are counted per period by truncating each
    date to its week or month within [start, end] (`reports.selectors._reception` does that in
    SQL)."""

    period: Period
    required: int
    start: dt.date
    end: dt.date
    periods: int


def finished_runs(
    quotas: Iterable[QuotaTerms], *, start: dt.date, end: dt.date, today: dt.date
) -> list[Run]:
    """The periods of [start, end] that ended before `today`, judged by the rule of
    `quota_compliance`, as one run per version of the minimum."""
    runs = []
    for quota in quotas:
        seg_start = max(start, quota.valid_from) if quota.valid_from else start
        seg_end = min(end, quota.valid_to) if quota.valid_to else end
        if seg_start > seg_end:
            continue
        counts = [
            row
            for row in quota_shortfall(
                [], period=quota.period, minimum=quota.minimum, start=seg_start, end=seg_end
            )
            if not (quota.valid_from and row.period_start < quota.valid_from)
            and row.period_end < today
        ]
        if counts:
            first, last = counts[0].period_start, counts[-1].period_end
            runs.append(Run(quota.period, quota.minimum, first, last, len(counts)))
    return runs


def compliance_totals(
    days_by_key: dict,
    quotas: Iterable[QuotaTerms],
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> dict:
    """For many leaders at once: {key: (periods, required days, periods short)} over the periods
    of [start, end] that ended before `today`, by the same rule as `quota_compliance`.

    Each held day is mapped to its period in each run (a day may fall in two periods where the
    rule changes: the week of 30/6 and July), so the cost grows with the number of days held,
    not with leaders × periods. A period that asks for no day is never short."""
    runs = finished_runs(quotas, start=start, end=end, today=today)
    periods = sum(run.periods for run in runs)
    required = sum(run.required * run.periods for run in runs)
    free = sum(run.periods for run in runs if run.required <= 0)
    totals = {}
    for key, days in days_by_key.items():
        unique = set(days)
        met = free
        for run in runs:
            if run.required <= 0:
                continue
            held = Counter(
                period_bounds(day, run.period)[0] for day in unique if run.start <= day <= run.end
            )
            met += sum(1 for n in held.values() if n >= run.required)
        totals[key] = (periods, required, periods - met)
    return totals
