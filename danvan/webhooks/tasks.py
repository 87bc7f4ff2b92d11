"""Delivering webhooks through the worker: signed, at least once, retried with backoff.

A delivery is claimed with a conditional update (pending → sending) before it is sent, so two
workers or a task enqueued twice never send it twice at once, and a delivered one never again.
A worker that dies mid-send leaves it "sending"; the tick puts such rows back after a while.
"""

import datetime as dt
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from danvan.webhooks.models import Attempt, Delivery
from danvan.webhooks.signing import sign

USER_AGENT = "danvan-webhooks/1"


class RefusedAddress(Exception):
    """The receiver resolves to a private or loopback address and those are not allowed."""


def _check_address(url: str) -> None:
    if settings.DANVAN_WEBHOOK_ALLOW_PRIVATE:
        return
    host = urlsplit(url).hostname or ""
    for info in socket.getaddrinfo(host, None):
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local:
            raise RefusedAddress(f"{host} is a private address")


def _post(url: str, body: bytes, headers: dict) -> int:
    """POST `body`; return the HTTP status (raises on network errors)."""
    _check_address(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(  # noqa: S310 - http(s) only, checked at subscription
            request, timeout=settings.DANVAN_WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt after `attempts` failures: base × 2^(n−1), at most a day."""
    seconds = settings.DANVAN_WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 86400))


def _claim(delivery_id: int) -> bool:
    now = timezone.now()
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
        ).update(status=Delivery.Status.SENDING, claimed_at=now)
    )


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Send one delivery if it is due and unclaimed; return what happened."""
    if not _claim(delivery_id):
        return "skipped"
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Danvan-Event": delivery.event,
        "X-Danvan-Delivery": delivery.idempotency_key,
        "Idempotency-Key": delivery.idempotency_key,
        "X-Danvan-Signature": sign(delivery.subscription.secret, body),
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        status_code = _post(delivery.subscription.url, body, headers)
    except (OSError, RefusedAddress, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    duration = int((time.monotonic() - started) * 1000)
    return _record(delivery, status_code, error, duration)


def _record(delivery: Delivery, status_code: int | None, error: str, duration: int) -> str:
    now = timezone.now()
    ok = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        Attempt.objects.create(
            delivery=delivery, at=now, status_code=status_code, error=error, duration_ms=duration
        )
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_error = error or ("" if ok else f"HTTP {status_code}")
        if ok:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
        elif delivery.attempts >= settings.DANVAN_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.PENDING
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            when = delivery.next_attempt_at
            transaction.on_commit(lambda: _retry(delivery.pk, when))
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    return delivery.status


def _retry(delivery_id: int, when: dt.datetime) -> None:
    from danvan.webhooks.services import _enqueue

    _enqueue(delivery_id, run_after=when)
