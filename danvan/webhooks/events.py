"""Webhook event types (the `event` field of every delivery)."""

from django.utils.translation import gettext_lazy as _

PETITION_CREATED = "petition.created"
PETITION_MOVED = "petition.moved"
PETITION_OVERDUE = "petition.overdue"
TASK_OVERDUE = "task.overdue"
REPORT_SUBMITTED = "report.submitted"

EVENT_CHOICES = [
    (PETITION_CREATED, _("A case was created")),
    (PETITION_MOVED, _("A case moved to another step")),
    (PETITION_OVERDUE, _("A case's deadline passed")),
    (TASK_OVERDUE, _("A plan task is overdue")),
    (REPORT_SUBMITTED, _("A report was submitted")),
]
EVENTS = tuple(code for code, _label in EVENT_CHOICES)
