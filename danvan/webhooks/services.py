"""Writes of webhooks: subscriptions (created with a secret shown once, deactivated) and
`webhook_emit`, which any module calls inside its own transaction to announce an event.

`webhook_emit` writes one `Delivery` per matching subscription in the caller's transaction
(so an event exists exactly when the change that caused it commits) and enqueues their delivery
after commit. It writes no audit event of its own: the caller's service already audits the change.
"""

import functools
import hashlib
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log
from danvan.webhooks.events import EVENTS, PETITION_OVERDUE, TASK_OVERDUE
from danvan.webhooks.models import Delivery, Subscription


def _ancestor_ids(agency) -> list[int]:
    """`agency` and every agency above it (a subscription covers its subtree)."""
    from danvan.org.models import Agency

    ids, current, seen = [], agency.pk, set()
    while current and current not in seen:
        seen.add(current)
        ids.append(current)
        current = Agency.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


def webhook_subscription_create(*, actor, agency, url: str, events: list[str]) -> tuple:
    """Subscribe `url` to `events` of `agency` (and below); return it and its secret (once)."""
    errors = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Enter an http(s) address.")
    unknown = [e for e in events if e not in EVENTS]
    if not events or unknown:
        errors["events"] = _("Choose at least one event.")
    if errors:
        raise ValidationError(errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = Subscription.objects.create(
            agency=agency, url=url, events=sorted(set(events)), secret=secret, created_by=actor
        )
        audit_log(
            actor=actor,
            action="webhooks.subscription_create",
            obj=subscription,
            agency=agency,
            changes={"after": {"url": url, "events": subscription.events}},
        )
    return subscription, secret


def webhook_subscription_deactivate(*, actor, subscription: Subscription) -> Subscription:
    """Stop a subscription: nothing more is sent, and what was waiting is marked failed."""
    from danvan.webhooks.tasks import STOPPED

    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            # A leader who stops a receiver (e.g. it leaks) expects silence, not queued retries.
            cancelled = Delivery.objects.filter(
                subscription=locked, status=Delivery.Status.PENDING
            ).update(status=Delivery.Status.FAILED, last_error=STOPPED)
            audit_log(
                actor=actor,
                action="webhooks.subscription_deactivate",
                obj=locked,
                agency=locked.agency,
                changes={"cancelled_deliveries": cancelled},
            )
    return locked


def _key(subscription_id: int, event: str, key: str | None) -> str:
    if not key:
        return uuid.uuid4().hex
    return hashlib.sha256(f"{subscription_id}:{event}:{key}".encode()).hexdigest()


def webhook_emit(*, event: str, agency, payload: dict, key: str | None = None) -> int:
    """Announce `event` about `agency` to its subscribers; return how many deliveries were made.

    Call it inside the transaction of the change. `payload` must be JSON-safe and must never
    hold a sealed identity. `key` makes the emit idempotent (the same event for the same key
    is delivered once, e.g. "deadline 12 overdue on 2026-03-02"); without it every call is new.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    # One query when nobody listens (the common case on every petition write).
    candidates = [s for s in Subscription.objects.filter(is_active=True) if event in s.events]
    if not candidates:
        return 0
    ancestors = set(_ancestor_ids(agency))
    subscriptions = [s for s in candidates if s.agency_id in ancestors]
    if not subscriptions:
        return 0
    now = timezone.now()
    rows = []
    for subscription in subscriptions:
        idempotency_key = _key(subscription.pk, event, key)
        rows.append(
            Delivery(
                subscription=subscription,
                event=event,
                idempotency_key=idempotency_key,
                payload={
                    "id": idempotency_key,
                    "event": event,
                    "created_at": now.isoformat(),
                    "agency_id": agency.pk,
                    "data": payload,
                },
                next_attempt_at=now,
            )
        )
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            Delivery.objects.filter(
                idempotency_key__in=[r.idempotency_key for r in rows],
                status=Delivery.Status.PENDING,
                attempts=0,
            ).values_list("pk", flat=True)
        )
    for delivery_id in ids:
        transaction.on_commit(functools.partial(_enqueue, delivery_id))
    return len(ids)


def _enqueue(delivery_id: int, run_after=None) -> None:
    from danvan.webhooks.tasks import deliver_webhook

    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    task.enqueue(delivery_id)


# --- the events other modules emit (payloads never hold a petitioner's identity) ----------


def petition_event_payload(petition, step=None) -> dict:
    """What a case event tells a receiver: the case's facts and the step, never who sent it."""
    payload = {
        "petition_id": petition.pk,
        "tracking_code": petition.tracking_code,
        "agency_id": petition.agency_id,
        "kind": petition.kind,
        "channel": petition.channel,
        "status": petition.status,
        "received_on": petition.received_on.isoformat(),
        "due_on": petition.due_on.isoformat() if petition.due_on else None,
        "version": petition.version,
    }
    if step is not None:
        payload["step"] = {
            "action": step.action,
            "from": step.from_status,
            "to": step.to_status,
            "at": step.at.isoformat(),
        }
    return payload


def webhook_emit_overdue_deadline(deadline) -> int:
    """`petition.overdue` once per deadline and due date (called with the reminder's claim)."""
    petition = deadline.petition
    return webhook_emit(
        event=PETITION_OVERDUE,
        agency=petition.agency,
        payload={
            **petition_event_payload(petition),
            "deadline": {
                "kind": deadline.kind,
                "due_on": deadline.due_on.isoformat(),
                "citation": deadline.rule.citation,
            },
        },
        key=f"deadline:{deadline.pk}:{deadline.due_on.isoformat()}",
    )


def webhook_emit_overdue_task(task) -> int:
    """`task.overdue` once per task and due date (called with the reminder's claim)."""
    return webhook_emit(
        event=TASK_OVERDUE,
        agency=task.lead_agency,
        payload={
            "task_id": task.pk,
            "plan_id": task.plan_id,
            "title": task.title,
            "lead_agency_id": task.lead_agency_id,
            "due_on": task.due_on.isoformat(),
            "percent": task.percent,
        },
        key=f"task:{task.pk}:{task.due_on.isoformat()}",
    )
