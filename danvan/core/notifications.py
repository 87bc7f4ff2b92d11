"""The one reminder and notification mechanism every module shares.

A module's tick hook selects what is owed, takes a `reminder_claim` for each (the database's
unique constraint makes a reminder go out exactly once, even when two ticks race), and calls
`notify`. `notify` writes the in-app rows; e-mail copies are sent later by the worker through
`send_notification_email`, never inline, so a slow mail server cannot hold a transaction open.
"""

import datetime as dt
import functools
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from danvan.core.audit import audit_log
from danvan.core.models import Notification, ReminderClaim, User

# Column widths of Notification; PostgreSQL refuses longer values instead of cutting them.
_TITLE_MAX = Notification._meta.get_field("title").max_length
_URL_MAX = Notification._meta.get_field("url").max_length


def _object_key(obj: models.Model | None) -> tuple[str, str]:
    if obj is None or obj.pk is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def reminder_claim(*, obj: models.Model, kind: str, due_on: dt.date) -> bool:
    """Claim reminder `kind` for `obj` due on `due_on`; return False if it was already claimed.

    The savepoint lets a caller inside a larger transaction carry on after losing the race.
    On PostgreSQL the loser's insert waits for the winner's transaction and then fails, so the
    claim only counts once the winner commits; callers therefore claim and notify in one
    transaction, so that a failed notify releases the claim for the next tick.
    """
    object_type, object_id = _object_key(obj)
    try:
        with transaction.atomic():
            ReminderClaim.objects.create(
                object_type=object_type, object_id=object_id, kind=kind, due_on=due_on
            )
    except IntegrityError:
        return False
    return True


def _active_unique(recipients: Iterable[User]) -> list[User]:
    """Recipients in the order given, each once, without deactivated accounts."""
    seen: set[int] = set()
    users: list[User] = []
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def _enqueue_emails(notifications: list[Notification], users: list[User]) -> None:
    for notification, user in zip(notifications, users, strict=True):
        if user.email:
            # After commit: the worker must not look for a row that may yet roll back.
            transaction.on_commit(
                functools.partial(send_notification_email.enqueue, notification_id=notification.pk)
            )


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    email: bool = True,
) -> list[Notification]:
    """Create one notification per active recipient and queue their e-mail copies.

    Returns the notifications created. Nothing is written (not even an audit event) when no
    recipient is left after dropping duplicates and deactivated users.
    """
    users = _active_unique(recipients)
    if not users:
        return []
    object_type, object_id = _object_key(obj)
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:_TITLE_MAX],
                body=body,
                url=url[:_URL_MAX],
                object_type=object_type,
                object_id=object_id,
                created_at=now,
            )
            for user in users
        )
        audit_log(
            actor=None,
            action="core.notify",
            obj=obj,
            changes={"kind": kind, "recipients": [user.pk for user in users]},
        )
        if email:
            _enqueue_emails(notifications, users)
    return notifications


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient; return False if there was nothing to send.

    Idempotent: `emailed_at` is claimed with a conditional update before sending, so a task run
    twice (or by two workers) sends once. If sending fails the claim is released and the error
    re-raised, so the worker records the failure and a re-run can try again.
    """
    claimed = (
        Notification.objects.filter(
            pk=notification_id, emailed_at__isnull=True, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .update(emailed_at=timezone.now())
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    message = "\n\n".join(part for part in (notification.body, notification.url) if part)
    try:
        send_mail(
            subject=notification.title,
            message=message or notification.title,
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def mark_read(*, user: User, notification_ids: Iterable[int]) -> int:
    """Mark `user`'s own unread notifications among `notification_ids` read; return how many.

    Not audited: it changes only the reader's inbox state, not any record of the work, and an
    event per click would drown the audit trail.
    """
    return Notification.objects.filter(
        recipient=user, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_list(user: User) -> QuerySet[Notification]:
    """The notifications addressed to `user`, newest first (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """How many of `user`'s notifications are unread (one indexed COUNT query)."""
    return notification_list(user).filter(read_at__isnull=True).count()


def claimed_reminder_exists(model: type[models.Model], *, kind_field: str = "reminder_kind"):
    """SQL: a row of `model` whose reminder `kind_field` for its current `due_on` is claimed.

    Used to leave already-sent reminders out of a selection, so a tick does not retry every
    old overdue item; the claim itself is what guarantees "once".
    """
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast

    return Exists(
        ReminderClaim.objects.filter(
            object_type=model._meta.label_lower,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
            kind=OuterRef(kind_field),
            due_on=OuterRef("due_on"),
        )
    )


def responsible_memberships(today: dt.date):
    """Leaders and officers in force, with their users: who is asked to act on reminders.

    Clerks, inspectors and viewers are not asked to act.
    """
    from danvan.org.models import Membership

    return (
        Membership.objects.in_force(today)
        .filter(role__in=(Membership.Role.LEADER, Membership.Role.OFFICER), user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
