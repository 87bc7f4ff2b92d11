"""Reminders for petition deadlines falling due or overdue, sent through core.notifications.

Who is told: before and on the due date, the case's handling officer (or, while nobody is
assigned, the handling agency's officers and leaders); once the deadline has passed, the
handling agency's leaders as an escalation, plus the handling officer. Reminders name a case by
its tracking code, kind, subject and the rule's citation only: never by its petitioners, whose
identity may be sealed (Luật Tố cáo Đ56).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Prefetch, Value, When
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
from danvan.org.models import Membership
from danvan.petitions import workflow as wf
from danvan.petitions.models import Deadline, Petition
from danvan.webhooks.services import webhook_emit_overdue_deadline

KIND_DUE_SOON = "petition.due_soon"
KIND_DUE_TODAY = "petition.due_today"
KIND_OVERDUE = "petition.overdue"
KINDS = (KIND_DUE_SOON, KIND_DUE_TODAY, KIND_OVERDUE)


def reminder_deadline_list(*, today: dt.date, days_before: int) -> list[Deadline]:
    """Unmet deadlines of open cases owing a reminder, with `reminder_kind` set.

    Two queries whatever the number of cases: the deadlines (with case, agency, officer and
    rule joined) and the handling agencies' leader/officer memberships in force on `today`
    (with their users, as `petition.agency.reminder_members`). Ranges rather than exact days,
    so a tick that missed a day still sends what was owed; claimed reminders are left out so
    that a tick does not retry every old overdue deadline every few minutes.
    """
    horizon = today + dt.timedelta(days=days_before)
    deadlines = (
        Deadline.objects.filter(met_on__isnull=True, petition__status__in=wf.OPEN_STATES)
        .filter(due_on__lte=horizon)
        .annotate(
            reminder_kind=Case(
                When(due_on__lt=today, then=Value(KIND_OVERDUE)),
                When(due_on=today, then=Value(KIND_DUE_TODAY)),
                default=Value(KIND_DUE_SOON),
                output_field=CharField(),
            )
        )
        .filter(~claimed_reminder_exists(Deadline))
        .select_related("rule", "petition__agency", "petition__assigned_to")
        .prefetch_related(
            Prefetch(
                "petition__agency__memberships",
                queryset=responsible_memberships(today),
                to_attr="reminder_members",
            )
        )
        .order_by("due_on", "id")
    )
    return list(deadlines)


def recipients_for(deadline: Deadline) -> list[User]:
    """Who is told about `deadline`'s reminder (see the module docstring); may be empty.

    An overdue case whose agency has no leader goes to its officers rather than to no one.
    """
    petition = deadline.petition
    members = petition.agency.reminder_members
    officer = petition.assigned_to
    if officer is not None and not officer.is_active:
        officer = None  # someone who left: the agency's people take over
    leaders = [m.user for m in members if m.role == Membership.Role.LEADER]
    if deadline.reminder_kind == KIND_OVERDUE:
        people = [*leaders, officer] if officer else leaders
        if people:
            return people
    elif officer:
        return [officer]
    return [m.user for m in members]


def petition_url(petition: Petition) -> str:
    # The case page may not be routed yet; a notification without a link is still useful.
    try:
        return petition.get_absolute_url()
    except NoReverseMatch:
        return ""


def _message(deadline: Deadline) -> tuple[str, str]:
    """Return (title, body) of `deadline`'s reminder in the active language."""
    petition = deadline.petition
    values = {
        "code": petition.tracking_code,
        "date": deadline.due_on.strftime("%d/%m/%Y"),
        "deadline": deadline.get_kind_display(),
    }
    if deadline.reminder_kind == KIND_OVERDUE:
        title = _("Overdue petition %(code)s (deadline %(date)s): %(deadline)s") % values
    elif deadline.reminder_kind == KIND_DUE_TODAY:
        title = _("Petition %(code)s is due today (%(date)s): %(deadline)s") % values
    else:
        title = _("Petition %(code)s due on %(date)s: %(deadline)s") % values
    body = "\n".join(
        [
            petition.subject,
            _("Kind: %(kind)s") % {"kind": petition.get_kind_display()},
            _("Deadline: %(deadline)s, %(date)s (%(citation)s)")
            % {**values, "citation": deadline.rule.citation},
            _("Handling agency: %(agency)s") % {"agency": petition.agency},
        ]
    )
    return title, body


def _remind(deadline: Deadline, recipients: list[User]) -> bool:
    """Claim and send one reminder in one transaction; False if another tick has it.

    One transaction, so that a claim never commits without its notifications.
    """
    with transaction.atomic():
        if not reminder_claim(obj=deadline, kind=deadline.reminder_kind, due_on=deadline.due_on):
            return False
        title, body = _message(deadline)
        notify(
            recipients=recipients,
            kind=deadline.reminder_kind,
            title=title,
            body=body,
            url=petition_url(deadline.petition),
            obj=deadline,
        )
        if deadline.reminder_kind == KIND_OVERDUE:
            webhook_emit_overdue_deadline(deadline)
    return True


def petition_deadline_reminders(*, today: dt.date, days_before: int) -> dict[str, int]:
    """Send the deadline reminders owed on `today`; return how many were sent per kind.

    Due soon: today < due_on ≤ today + `days_before`; due today; overdue: due_on < today. Each
    goes once per deadline, kind and due date: an extension recomputes the due date, which is
    a new reminder. A deadline with no one to tell is left unclaimed, so it is reminded once
    someone joins the agency.
    """
    sent = dict.fromkeys(KINDS, 0)
    # Stored text is read later by people, not rendered per request: write it in the site's
    # language (Vietnamese) whatever language the calling thread has active.
    with translation.override(settings.LANGUAGE_CODE):
        for deadline in reminder_deadline_list(today=today, days_before=days_before):
            recipients = recipients_for(deadline)
            if recipients and _remind(deadline, recipients):
                sent[deadline.reminder_kind] += 1
    return sent
