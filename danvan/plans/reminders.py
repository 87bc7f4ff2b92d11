"""Reminders for plan tasks that fall due soon or are overdue, sent through core.notifications."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Prefetch, Q, Value, When
from django.urls import NoReverseMatch
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core.models import User
from danvan.core.notifications import (
    claimed_reminder_exists,
    notify,
    reminder_claim,
    responsible_memberships,
)
from danvan.plans.models import Plan, Task
from danvan.webhooks.services import webhook_emit_overdue_task

KIND_DUE_SOON = "task.due_soon"
KIND_OVERDUE = "task.overdue"

# Only plans in force owe work: a draft may still change, a closed plan is settled.
REMINDED_PLAN_STATUSES = (Plan.Status.ISSUED, Plan.Status.IN_PROGRESS)


def reminder_task_list(*, today: dt.date, days_before: int) -> list[Task]:
    """Open tasks owing a reminder, each with `reminder_kind` and `reminder_members` set.

    Two queries whatever the number of tasks: the tasks (with plan and lead agency joined) and
    the lead agencies' leader/officer memberships in force on `today` (with their users).
    Reminders already claimed are left out, not for correctness (the claim guarantees "once")
    but so that a tick does not retry every old overdue task every few minutes.
    """
    horizon = today + dt.timedelta(days=days_before)
    tasks = (
        Task.objects.filter(completed_on__isnull=True, plan__status__in=REMINDED_PLAN_STATUSES)
        .filter(Q(due_on__lt=today) | Q(due_on__gte=today, due_on__lte=horizon))
        # A recurring template is not owed itself; its dated occurrences are.
        .filter(Q(recurrence=Task.Recurrence.NONE) | Q(occurrence_of__isnull=False))
        .annotate(
            reminder_kind=Case(
                When(due_on__lt=today, then=Value(KIND_OVERDUE)),
                default=Value(KIND_DUE_SOON),
                output_field=CharField(),
            )
        )
        .filter(~claimed_reminder_exists(Task))
        .select_related("plan", "lead_agency")
        .prefetch_related(
            Prefetch(
                "lead_agency__memberships",
                queryset=responsible_memberships(today),
                to_attr="reminder_members",
            )
        )
        .order_by("due_on", "id")
    )
    return list(tasks)


def _task_url(task: Task) -> str:
    # The task page may not be routed yet; a notification without a link is still useful.
    try:
        return task.get_absolute_url()
    except NoReverseMatch:
        return ""


def _message(task: Task) -> tuple[str, str]:
    """Return (title, body) of `task`'s reminder in the active language."""
    values = {"date": task.due_on.strftime("%d/%m/%Y"), "title": task.title}
    if task.reminder_kind == KIND_OVERDUE:
        title = _("Overdue (deadline %(date)s): %(title)s") % values
    else:
        title = _("Task due on %(date)s: %(title)s") % values
    body = "\n".join(
        [
            task.title,
            _("Plan: %(plan)s") % {"plan": task.plan},
            _("Lead agency: %(agency)s") % {"agency": task.lead_agency},
        ]
    )
    return title, body


def _remind(task: Task, recipients: list[User]) -> bool:
    """Claim and send one task's reminder in one transaction; False if another tick has it.

    One transaction, so that a claim never commits without its notifications.
    """
    with transaction.atomic():
        if not reminder_claim(obj=task, kind=task.reminder_kind, due_on=task.due_on):
            return False
        title, body = _message(task)
        notify(
            recipients=recipients,
            kind=task.reminder_kind,
            title=title,
            body=body,
            url=_task_url(task),
            obj=task,
        )
        if task.reminder_kind == KIND_OVERDUE:
            webhook_emit_overdue_task(task)
    return True


def plan_task_reminders(*, today: dt.date, days_before: int) -> dict[str, int]:
    """Send the reminders owed on `today`; return how many were sent per kind.

    Due-soon: today ≤ due_on ≤ today + `days_before`. Overdue: due_on < today. Each goes once
    per task, kind and due date (a changed due date is a new reminder) to the lead agency's
    leaders and officers. A task whose lead agency has no one to tell is left unclaimed, so it is
    reminded once someone joins.
    """
    sent = {KIND_DUE_SOON: 0, KIND_OVERDUE: 0}
    # Stored text is read later by people, not rendered per request: write it in the site's
    # language (Vietnamese) whatever language the calling thread has active.
    with translation.override(settings.LANGUAGE_CODE):
        for task in reminder_task_list(today=today, days_before=days_before):
            recipients = [m.user for m in task.lead_agency.reminder_members]
            if recipients and _remind(task, recipients):
                sent[task.reminder_kind] += 1
    return sent
