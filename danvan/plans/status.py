"""A task's status is derived from facts, never typed in. Pure, plus one ORM expression.

The same rule is written twice — `derive_status` for one task, `status_expression` for lists —
and a test checks that both always agree.
"""

import datetime as dt

from django.db.models import Case, CharField, F, Q, Value, When

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OVERDUE = "overdue"
DONE = (DONE_ON_TIME, DONE_LATE)


def derive_status(
    *,
    due_on: dt.date,
    completed_on: dt.date | None,
    percent: int,
    started_on: dt.date | None,
    today: dt.date,
) -> str:
    """Return the status of a task from its dates and progress, as seen on `today`.

    Done on the due date itself is on time; a task is overdue from the day after its due date.
    """
    if completed_on is not None:
        return DONE_ON_TIME if completed_on <= due_on else DONE_LATE
    if today > due_on:
        return OVERDUE
    if percent > 0 or started_on is not None:
        return IN_PROGRESS
    return NOT_STARTED


def status_expression(today: dt.date) -> Case:
    """The ORM form of `derive_status`, for annotating and filtering querysets."""
    return Case(
        When(completed_on__isnull=False, completed_on__lte=F("due_on"), then=Value(DONE_ON_TIME)),
        When(completed_on__isnull=False, then=Value(DONE_LATE)),
        When(due_on__lt=today, then=Value(OVERDUE)),
        When(Q(percent__gt=0) | Q(started_on__isnull=False), then=Value(IN_PROGRESS)),
        default=Value(NOT_STARTED),
        output_field=CharField(),
    )
