"""Delivering webhooks through the worker: signed, at least once, retried with backoff.

A delivery is claimed with a conditional update (pending → sending) before it is sent, so two
workers or a task enqueued twice never send it twice at once, and a delivered one never again.
A worker that dies mid-send leaves it "sending"; the tick puts such rows back after a while.
"""

import datetime as dt
import http.client
import ipaddress
import json
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from danvan.webhooks.models import Attempt, Delivery, Subscription
from danvan.webhooks.signing import sign

USER_AGENT = "danvan-webhooks/1"
# What the delivery log keeps of a failure: generic words only. The log is shown to agency
# leaders, and "connection refused by 10.0.3.7:5432" would map the internal network for them.
REFUSED = "refused: not a public address"
NETWORK_ERROR = "network error"
TIMEOUT = "timed out"
STOPPED = "subscription stopped"


class RefusedAddress(Exception):
    """The receiver resolves to an address that is not public and those are not allowed."""


def _resolve(host: str, port: int) -> str:
    """The one address we will connect to, checked once (no second lookup to rebind)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    if not addresses:
        raise RefusedAddress(host)
    # Every address, not only the first: a name may list a public and a private one and let
    # the client pick; is_global also excludes 100.64.0.0/10, 0.0.0.0/8 and mapped IPv6.
    if not settings.DANVAN_WEBHOOK_ALLOW_PRIVATE and not all(a.is_global for a in addresses):
        raise RefusedAddress(host)
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a fixed address; the Host header still names the receiver."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address, with SNI and the certificate checked against the host name."""

    def __init__(self, host, port, *, address, timeout):
        self.tls = ssl.create_default_context()  # CERT_REQUIRED and check_hostname
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = _resolve(parts.hostname, port)
    cls = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = cls(
        parts.hostname, port, address=address, timeout=settings.DANVAN_WEBHOOK_TIMEOUT_SECONDS
    )
    path = parts.path or "/"
    return connection, path + (f"?{parts.query}" if parts.query else "")


def _post(url: str, body: bytes, headers: dict) -> int:
    """POST `body` to the pinned address; return the HTTP status (raises on network errors).

    Redirects are not followed (a 3xx is a failed attempt): a public receiver could otherwise
    send the worker to an internal address, e.g. 302 to http://127.0.0.1:5432/.
    """
    connection, path = _connection(url)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # a little of the answer, so the receiver is not reset mid-write
        return response.status
    finally:
        connection.close()


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt after `attempts` failures: base × 2^(n−1), at most a day."""
    seconds = settings.DANVAN_WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 86400))


def _claim(delivery_id: int) -> bool:
    """Claim a due delivery of a subscription still active (a stopped one sends nothing)."""
    now = timezone.now()
    return bool(
        Delivery.objects.filter(
            pk=delivery_id,
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now,
            subscription__is_active=True,
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
    except RefusedAddress:
        error = REFUSED
    except TimeoutError:
        error = TIMEOUT
    except (OSError, ValueError, http.client.HTTPException):
        error = NETWORK_ERROR
    duration = int((time.monotonic() - started) * 1000)
    return _record(delivery, status_code, error, duration)


def _record(delivery: Delivery, status_code: int | None, error: str, duration: int) -> str:
    now = timezone.now()
    ok = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        # Stopped while this attempt was under way: no retry (the claim would refuse it anyway).
        stopped = not Subscription.objects.filter(
            pk=delivery.subscription_id, is_active=True
        ).exists()
        Attempt.objects.create(
            delivery=delivery, at=now, status_code=status_code, error=error, duration_ms=duration
        )
        delivery.attempts += 1
        delivery.last_status_code = status_code
        delivery.last_error = error or ("" if ok else f"HTTP {status_code}")
        if ok:
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
        elif stopped or delivery.attempts >= settings.DANVAN_WEBHOOK_MAX_ATTEMPTS:
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
