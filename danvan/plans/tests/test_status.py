import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.plans.models import Task
from danvan.plans.recurrence import RecurrenceError, occurrence_dates
from danvan.plans.status import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    derive_status,
    status_expression,
)

DUE = dt.date(2026, 6, 30)


def status(today, completed_on=None, percent=0, started_on=None):
    return derive_status(
        due_on=DUE, completed_on=completed_on, percent=percent, started_on=started_on, today=today
    )


def test_it_is_not_overdue_on_the_due_date_itself():
    assert status(DUE) == NOT_STARTED
    assert status(DUE + dt.timedelta(days=1)) == OVERDUE


def test_it_counts_done_on_the_due_date_as_on_time_and_a_day_later_as_late():
    assert status(DUE + dt.timedelta(days=5), completed_on=DUE) == DONE_ON_TIME
    assert status(DUE + dt.timedelta(days=5), completed_on=DUE + dt.timedelta(days=1)) == DONE_LATE


def test_it_is_in_progress_once_started_or_with_progress():
    assert status(DUE, percent=10) == IN_PROGRESS
    assert status(DUE, started_on=DUE) == IN_PROGRESS
    assert status(DUE + dt.timedelta(days=1), percent=90) == OVERDUE


def test_monthly_occurrences_fall_on_the_day_or_the_last_day_of_short_months():
    dates = occurrence_dates("monthly", 31, dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    assert dates == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]
    leap = occurrence_dates("monthly", 30, dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert leap == [dt.date(2028, 2, 29)]


@pytest.mark.parametrize(
    ("recurrence", "expected_months"),
    [("quarterly", [3, 6, 9, 12]), ("half_yearly", [6, 12]), ("yearly", [12])],
)
def test_periodic_occurrences_fall_in_the_last_month_of_each_period(recurrence, expected_months):
    dates = occurrence_dates(recurrence, 15, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [d.month for d in dates] == expected_months
    assert all(d.day == 15 for d in dates)


def test_a_period_too_short_for_the_recurrence_makes_no_dates():
    assert occurrence_dates("quarterly", 20, dt.date(2026, 1, 1), dt.date(2026, 2, 28)) == []
    with pytest.raises(RecurrenceError):
        occurrence_dates("weekly", 1, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(RecurrenceError):
        occurrence_dates("monthly", 0, dt.date(2026, 1, 1), dt.date(2026, 12, 31))


dates = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # one row, rewritten
@given(
    due=dates,
    today=dates,
    completed=st.one_of(st.none(), dates),
    percent=st.integers(0, 100),
    started=st.one_of(st.none(), dates),
)
def test_the_sql_status_always_agrees_with_the_python_status(
    world_factory, due, today, completed, percent, started
):
    task = world_factory()
    Task.objects.filter(pk=task.pk).update(
        due_on=due, completed_on=completed, percent=percent, started_on=started
    )
    sql = Task.objects.annotate(s=status_expression(today)).get(pk=task.pk).s
    assert sql == derive_status(
        due_on=due, completed_on=completed, percent=percent, started_on=started, today=today
    )


@pytest.fixture
def world_factory(world):
    return lambda: world.task
