import datetime as dt
import http.server
import json
import threading

import pytest
from django.core.management import call_command
from django.db import transaction

from danvan.core.models import AuditEvent
from danvan.petitions.tests.conftest import Desk, eligible
from danvan.webhooks import events
from danvan.webhooks.models import Delivery
from danvan.webhooks.services import webhook_emit, webhook_subscription_create
from danvan.webhooks.signing import sign, verify
from danvan.webhooks.tasks import backoff, deliver_webhook


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


class Receiver:
    """A real HTTP server on 127.0.0.1 answering with the given status codes in turn."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook_settings(settings):
    settings.DANVAN_WEBHOOK_ALLOW_PRIVATE = True
    settings.DANVAN_WEBHOOK_BACKOFF_SECONDS = 0
    settings.DANVAN_WEBHOOK_TIMEOUT_SECONDS = 5
    return settings


def _subscribe(desk, url, evts=(events.PETITION_CREATED, events.PETITION_MOVED)):
    return webhook_subscription_create(
        actor=desk.leader, agency=desk.tree.city, url=url, events=list(evts)
    )


def test_signatures_verify_and_refuse_tampering_and_old_timestamps():
    body = b'{"a":1}'
    header = sign("whsec_x", body, timestamp=1_000_000)
    assert verify("whsec_x", body, header, now=1_000_010)
    assert not verify("whsec_x", b'{"a":2}', header, now=1_000_010)
    assert not verify("whsec_y", body, header, now=1_000_010)
    assert not verify("whsec_x", body, header, now=1_000_000 + 3600)
    assert not verify("whsec_x", body, "garbage", now=1_000_000)


def test_backoff_doubles():
    from django.test import override_settings

    with override_settings(DANVAN_WEBHOOK_BACKOFF_SECONDS=30):
        assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]


@pytest.mark.django_db(transaction=True)
def test_it_retries_after_a_failing_receiver_and_delivers_signed_once(
    org_tree, make_member, webhook_settings
):
    desk = Desk(org_tree, make_member)
    with Receiver([500, 200]) as receiver:
        _subscription, secret = _subscribe(desk, receiver.url, [events.PETITION_CREATED])
        petition = desk.receive()  # emits petition.created; the delivery is enqueued on commit
        run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert [a.status_code for a in delivery.log.all()] == [500, 200]
    assert len(receiver.requests) == 2
    keys = {headers["Idempotency-Key"] for headers, _body in receiver.requests}
    assert keys == {delivery.idempotency_key}
    headers, body = receiver.requests[-1]
    assert verify(secret, body, headers["X-Danvan-Signature"])
    payload = json.loads(body)
    assert payload["event"] == "petition.created"
    assert payload["data"]["tracking_code"] == petition.tracking_code
    assert "Trần Văn Dân" not in body.decode()  # no petitioner identity in events


@pytest.mark.django_db(transaction=True)
def test_it_never_delivers_the_same_idempotency_key_twice(org_tree, make_member, webhook_settings):
    desk = Desk(org_tree, make_member)
    with Receiver([200, 200, 200]) as receiver:
        _subscribe(desk, receiver.url, [events.PETITION_OVERDUE])
        for _ in range(2):  # the same event emitted twice (e.g. two ticks at once)
            with transaction.atomic():
                webhook_emit(
                    event=events.PETITION_OVERDUE, agency=desk.agency, payload={}, key="same"
                )
        delivery = Delivery.objects.get()
        deliver_webhook.enqueue(delivery.pk)  # and its task enqueued once more
        run_worker()
        deliver_webhook.enqueue(delivery.pk)  # and again after delivery
        run_worker()
    assert len(receiver.requests) == 1
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


@pytest.mark.django_db(transaction=True)
def test_a_receiver_that_never_answers_is_given_up_after_the_last_attempt(
    org_tree, make_member, webhook_settings
):
    webhook_settings.DANVAN_WEBHOOK_MAX_ATTEMPTS = 3
    desk = Desk(org_tree, make_member)
    with Receiver([503] * 10) as receiver:
        _subscribe(desk, receiver.url)
        desk.receive()
        run_worker()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert len(receiver.requests) == 3


@pytest.mark.django_db
def test_moves_emit_to_subscribers_of_the_agency_or_above_only(desk):
    city, _ = _subscribe(desk, "https://example.invalid/a")
    webhook_subscription_create(  # the Front's: another tree, told nothing
        actor=None,
        agency=desk.tree.front,
        url="https://example.invalid/b",
        events=[events.PETITION_MOVED],
    )
    petition = desk.receive()
    desk.move(petition, "classify", kind="feedback", eligibility=eligible("feedback"))
    assert set(Delivery.objects.values_list("subscription_id", "event")) == {
        (city.pk, "petition.created"),
        (city.pk, "petition.moved"),
    }
    moved = Delivery.objects.get(event="petition.moved").payload["data"]
    assert moved["step"]["to"] == "classified"


@pytest.mark.django_db
def test_an_overdue_deadline_emits_once(desk, make_member):
    from danvan.petitions.reminders import petition_deadline_reminders

    _subscribe(desk, "https://example.invalid/a", [events.PETITION_OVERDUE])
    petition = desk.receive(received_on=dt.date(2026, 1, 5))
    today = petition.due_on + dt.timedelta(days=3)
    petition_deadline_reminders(today=today, days_before=3)
    petition_deadline_reminders(today=today, days_before=3)
    assert Delivery.objects.filter(event="petition.overdue").count() == 1


@pytest.mark.django_db
def test_private_receivers_are_refused_unless_allowed(desk, settings):
    settings.DANVAN_WEBHOOK_ALLOW_PRIVATE = False
    _subscribe(desk, "http://127.0.0.1:9/hook")
    desk.receive()
    delivery = Delivery.objects.get()
    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error == "refused: not a public address"
    assert delivery.status == Delivery.Status.PENDING


@pytest.mark.django_db
def test_a_leader_subscribes_on_the_page_and_sees_the_secret_once(client, desk):
    client.force_login(desk.leader)
    response = client.post(
        "/webhooks/",
        {"agency": desk.agency.pk, "url": "https://example.invalid/h", "events": ["task.overdue"]},
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret.startswith("whsec_")
    assert secret not in client.get("/webhooks/").content.decode()
    assert AuditEvent.objects.filter(action="webhooks.subscription_create").count() == 1
    client.force_login(desk.officer)
    response = client.post(
        "/webhooks/",
        {"agency": desk.agency.pk, "url": "https://example.invalid/h", "events": ["task.overdue"]},
    )
    assert "secret" not in (response.context or {})


class Redirector(Receiver):
    """A receiver answering every POST with 302 to `location`."""

    def __init__(self, location):
        super().__init__([])
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.requests.append((dict(self.headers), b""))
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server.RequestHandlerClass = Handler


@pytest.mark.django_db
def test_it_does_not_follow_a_redirect_to_an_internal_address(desk, webhook_settings):
    webhook_settings.DANVAN_WEBHOOK_MAX_ATTEMPTS = 1
    with Receiver([200]) as internal, Redirector(internal.url) as receiver:
        _subscribe(desk, receiver.url)
        desk.receive()
        delivery = Delivery.objects.get()
        deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1 and internal.requests == []
    assert delivery.status == Delivery.Status.FAILED and delivery.last_status_code == 302


def _resolving_to(monkeypatch, address):
    """getaddrinfo answers `address` for every name; connecting at all fails the test."""
    import socket

    def fake(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    def no_connect(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    monkeypatch.setattr(socket, "create_connection", no_connect)


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "100.64.0.7", "127.0.0.1", "169.254.169.254", "::ffff:127.0.0.1"]
)
@pytest.mark.django_db
def test_it_refuses_a_name_that_resolves_to_a_non_public_address(
    desk, settings, monkeypatch, address
):
    settings.DANVAN_WEBHOOK_ALLOW_PRIVATE = False
    _subscribe(desk, "https://hooks.example.com/in")
    desk.receive()
    delivery = Delivery.objects.get()
    _resolving_to(monkeypatch, address)
    deliver_webhook.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error == "refused: not a public address"
    assert delivery.last_status_code is None and address not in delivery.last_error


@pytest.mark.django_db
def test_it_connects_to_the_address_it_checked_and_logs_no_internals(desk, settings, monkeypatch):
    """One lookup: the connection goes to the checked address (no second, rebindable lookup)."""
    import socket

    settings.DANVAN_WEBHOOK_ALLOW_PRIVATE = False
    lookups, connects = [], []

    def fake(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    def refuse(address, *args, **kwargs):
        connects.append(address)
        raise ConnectionRefusedError("connection refused by 93.184.215.14")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _subscribe(desk, "http://hooks.example.com:8080/in")
    desk.receive()
    deliver_webhook.call(Delivery.objects.get().pk)
    delivery = Delivery.objects.get()
    assert lookups == ["hooks.example.com"] and connects == [("93.184.215.14", 8080)]
    assert delivery.last_error == "network error"


def test_https_is_pinned_with_sni_and_a_hostname_check(settings, monkeypatch):
    import socket
    import ssl

    from danvan.webhooks import tasks

    settings.DANVAN_WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", port))
        ],
    )
    connection, path = tasks._connection("https://hooks.example.com/in?x=1")
    assert (connection.host, connection.port, connection.address) == (
        "hooks.example.com",
        443,
        "8.8.8.8",
    )
    assert path == "/in?x=1"
    assert connection.tls.check_hostname and connection.tls.verify_mode == ssl.CERT_REQUIRED


@pytest.mark.django_db
def test_it_stops_delivering_when_the_subscription_is_stopped(desk, webhook_settings):
    from danvan.webhooks.services import webhook_subscription_deactivate
    from danvan.webhooks.tick import redeliver

    with Receiver([500, 200]) as receiver:
        subscription, _secret = _subscribe(desk, receiver.url)
        desk.receive()
        delivery = Delivery.objects.get()
        deliver_webhook.call(delivery.pk)  # a 500: pending, to be retried
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.PENDING
        webhook_subscription_deactivate(actor=desk.leader, subscription=subscription)
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.FAILED
        assert delivery.last_error == "subscription stopped"
        # Even a row left pending (e.g. written by an emit racing the stop) is not sent.
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
        assert deliver_webhook.call(delivery.pk) == "skipped"
        assert redeliver(now=delivery.next_attempt_at + dt.timedelta(hours=1)) == 0
    assert len(receiver.requests) == 1
