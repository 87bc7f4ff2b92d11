"""Reporting periods and the cut-off day (DOMAIN.md §H). No database."""

import datetime as dt
import itertools

import pytest

from danvan.reports import periods as p

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "index", "start", "end"),
    [
        (p.MONTH, 2026, 1, D(2025, 12, 15), D(2026, 1, 14)),
        (p.MONTH, 2026, 3, D(2026, 2, 15), D(2026, 3, 14)),
        (p.MONTH, 2026, 12, D(2026, 11, 15), D(2026, 12, 14)),
        (p.QUARTER, 2026, 1, D(2025, 12, 15), D(2026, 3, 14)),
        (p.QUARTER, 2026, 4, D(2026, 9, 15), D(2026, 12, 14)),
        (p.HALF, 2026, 1, D(2025, 12, 15), D(2026, 6, 14)),
        (p.HALF, 2026, 2, D(2026, 6, 15), D(2026, 12, 14)),
        (p.NINE_MONTHS, 2026, 1, D(2025, 12, 15), D(2026, 9, 14)),
        (p.YEAR, 2026, 1, D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_it_cuts_periods_on_the_15th(kind, year, index, start, end):
    period = p.period_for(kind, year, index)
    assert (period.start, period.end) == (start, end)


def test_it_gives_calendar_months_with_cutoff_day_1_and_knows_leap_years():
    assert p.period_for(p.MONTH, 2024, 2, cutoff_day=1).end == D(2024, 2, 29)
    assert p.period_for(p.MONTH, 2026, 2, cutoff_day=1).end == D(2026, 2, 28)
    assert p.period_for(p.YEAR, 2026, cutoff_day=1) == p.Period(
        p.YEAR, D(2026, 1, 1), D(2026, 12, 31), 2026, 1
    )
    # With the 15th, February's period holds 29 February in a leap year.
    leap = p.period_for(p.MONTH, 2024, 3)
    assert (leap.start, leap.end, leap.days) == (D(2024, 2, 15), D(2024, 3, 14), 29)
    assert p.period_for(p.MONTH, 2026, 3).days == 28


def test_consecutive_months_tile_the_year_without_gaps_or_overlaps():
    for cutoff in (1, 10, 15, 28):
        months = [p.period_for(p.MONTH, 2028, m, cutoff_day=cutoff) for m in range(1, 13)]
        for before, after in itertools.pairwise(months):
            assert after.start - before.end == dt.timedelta(days=1)
        year = p.period_for(p.YEAR, 2028, cutoff_day=cutoff)
        assert (months[0].start, months[-1].end) == (year.start, year.end)
        assert sum(m.days for m in months) == year.days


@pytest.mark.parametrize(
    ("day", "kind", "expected"),
    [
        (D(2026, 6, 14), p.HALF, (2026, 1)),
        (D(2026, 6, 15), p.HALF, (2026, 2)),
        (D(2026, 12, 14), p.YEAR, (2026, 1)),
        (D(2026, 12, 15), p.YEAR, (2027, 1)),  # the next reporting year starts on 15/12
        (D(2026, 12, 31), p.MONTH, (2027, 1)),
        (D(2026, 1, 14), p.QUARTER, (2026, 1)),
    ],
)
def test_it_finds_the_period_containing_a_day(day, kind, expected):
    period = p.containing(day, kind)
    assert (period.year, period.index) == expected
    assert period.start <= day <= period.end


def test_previous_periods():
    assert p.previous(p.period_for(p.MONTH, 2026, 1)) == p.period_for(p.MONTH, 2025, 12)
    assert p.previous(p.period_for(p.HALF, 2026, 2)) == p.period_for(p.HALF, 2026, 1)
    assert p.previous(p.period_for(p.YEAR, 2026)) == p.period_for(p.YEAR, 2025)
    assert p.previous(p.period_for(p.NINE_MONTHS, 2026)) == p.period_for(p.NINE_MONTHS, 2025)
    custom = p.custom(D(2026, 3, 1), D(2026, 3, 10))
    assert p.previous(custom) == p.custom(D(2026, 2, 19), D(2026, 2, 28))
    trend = p.trailing(p.period_for(p.QUARTER, 2026, 2), 6)
    assert [(t.year, t.index) for t in trend] == [
        (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)
    ]  # fmt: skip


def test_it_refuses_periods_that_do_not_exist():
    with pytest.raises(p.PeriodError):
        p.period_for(p.QUARTER, 2026, 5)
    with pytest.raises(p.PeriodError):
        p.period_for("week", 2026, 1)
    with pytest.raises(p.PeriodError):
        p.period_for(p.MONTH, 2026, 1, cutoff_day=29)
    with pytest.raises(p.PeriodError):
        p.custom(D(2026, 3, 2), D(2026, 3, 1))
    with pytest.raises(p.PeriodError):
        p.parse({"kind": p.CUSTOM, "start": "2026-13-01", "end": "x"}, today=D(2026, 1, 1))


def test_it_parses_query_parameters_with_the_current_period_as_default():
    today = D(2026, 11, 27)
    assert p.parse({}, today=today) == p.period_for(p.HALF, 2026, 2)
    assert p.parse({"kind": "month"}, today=today) == p.period_for(p.MONTH, 2026, 12)
    period = p.parse({"kind": "quarter", "year": "2025", "index": "3"}, today=today)
    assert p.parse(period.as_params(), today=today) == period
    custom = p.custom(D(2026, 1, 1), D(2026, 12, 31))
    assert p.parse(custom.as_params(), today=today) == custom
