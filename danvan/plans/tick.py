"""Registers the plans module's reminder hook with the periodic tick (see core.tick)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from danvan.core.tick import tick_hook
from danvan.plans.reminders import plan_task_reminders


@tick_hook("plans.task_reminders")
def task_reminders(*, now: dt.datetime) -> int:
    """Send the task reminders owed today; return how many were sent."""
    # Read at call time, not import time, so an operator's change (or a test's) takes effect.
    days_before = getattr(settings, "DANVAN_TASK_REMINDER_DAYS_BEFORE", 3)
    sent = plan_task_reminders(today=timezone.localdate(now), days_before=days_before)
    return sum(sent.values())
