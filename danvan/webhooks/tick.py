"""The safety net of webhook delivery: re-enqueue due deliveries and free stuck claims."""

import datetime as dt

from danvan.core.tick import tick_hook
from danvan.webhooks.models import Delivery

STUCK_AFTER = dt.timedelta(minutes=15)
LATE_AFTER = dt.timedelta(minutes=5)


@tick_hook("webhooks.redeliver")
def redeliver(*, now: dt.datetime) -> int:
    """Deliveries whose task was lost (a crashed worker, a failed enqueue) get a new one."""
    from danvan.webhooks.services import _enqueue

    Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=Delivery.Status.PENDING, next_attempt_at=now - 2 * LATE_AFTER)
    due = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__lt=now - LATE_AFTER,
            subscription__is_active=True,
        ).values_list("pk", flat=True)[:500]
    )
    for delivery_id in due:
        _enqueue(delivery_id)
    return len(due)
