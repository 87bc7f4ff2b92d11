"""Registers the petitions deadline reminder hook with the periodic tick (see core.tick)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from danvan.core.tick import tick_hook
from danvan.petitions.reminders import petition_deadline_reminders


@tick_hook("petitions.deadline_reminders")
def deadline_reminders(*, now: dt.datetime) -> int:
    """Send the petition deadline reminders owed today; return how many were sent."""
    # Read at call time, not import time, so an operator's change (or a test's) takes effect.
    days_before = getattr(settings, "DANVAN_PETITION_REMINDER_DAYS_BEFORE", 3)
    sent = petition_deadline_reminders(today=timezone.localdate(now), days_before=days_before)
    return sum(sent.values())
