"""The shared reminder mechanism: claims hold once, rows are written, mail goes by the worker."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command

from danvan.core.models import AuditEvent, Notification, ReminderClaim
from danvan.core.notifications import (
    mark_read,
    notification_list,
    notify,
    reminder_claim,
    send_notification_email,
    unread_count,
)
from danvan.org.tests.factories import AgencyFactory, UserFactory

DUE = dt.date(2026, 3, 10)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.mark.django_db
def test_it_claims_a_reminder_once():
    agency = AgencyFactory()
    assert reminder_claim(obj=agency, kind="x.due_soon", due_on=DUE) is True
    assert reminder_claim(obj=agency, kind="x.due_soon", due_on=DUE) is False
    assert ReminderClaim.objects.count() == 1


@pytest.mark.django_db
def test_it_claims_again_for_another_kind_due_date_or_object():
    agency, other = AgencyFactory(), AgencyFactory()
    reminder_claim(obj=agency, kind="x.due_soon", due_on=DUE)
    assert reminder_claim(obj=agency, kind="x.overdue", due_on=DUE)
    assert reminder_claim(obj=agency, kind="x.due_soon", due_on=DUE + dt.timedelta(days=7))
    assert reminder_claim(obj=other, kind="x.due_soon", due_on=DUE)


@pytest.mark.django_db
def test_it_keeps_the_outer_transaction_usable_after_losing_a_claim():
    from django.db import transaction

    agency = AgencyFactory()
    reminder_claim(obj=agency, kind="x.due_soon", due_on=DUE)
    with transaction.atomic():
        assert not reminder_claim(obj=agency, kind="x.due_soon", due_on=DUE)
        # Without the savepoint this query would fail: "current transaction is aborted".
        assert ReminderClaim.objects.count() == 1


@pytest.mark.django_db
def test_it_notifies_each_active_recipient_once():
    a, b = UserFactory(email="a@example.vn"), UserFactory(email="")
    inactive = UserFactory(email="c@example.vn", is_active=False)
    agency = AgencyFactory()

    created = notify(
        recipients=[a, b, a, inactive],
        kind="x.due_soon",
        title="Sắp đến hạn",
        body="Nội dung",
        url="/x/1/",
        obj=agency,
    )

    assert sorted(n.recipient_id for n in created) == sorted([a.pk, b.pk])
    assert all(n.pk for n in created)
    rows = Notification.objects.filter(kind="x.due_soon")
    assert rows.count() == 2
    row = rows.get(recipient=a)
    assert (row.title, row.body, row.url) == ("Sắp đến hạn", "Nội dung", "/x/1/")
    assert (row.object_type, row.object_id) == ("org.agency", str(agency.pk))
    event = AuditEvent.objects.get(action="core.notify")
    assert event.changes == {"kind": "x.due_soon", "recipients": [a.pk, b.pk]}
    assert event.object_id == str(agency.pk)


@pytest.mark.django_db
def test_it_writes_nothing_when_no_recipient_is_left():
    inactive = UserFactory(is_active=False)
    assert notify(recipients=[inactive], kind="x", title="t") == []
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="core.notify").exists()


@pytest.mark.django_db
def test_it_cuts_a_title_longer_than_the_column():
    user = UserFactory()
    (created,) = notify(recipients=[user], kind="x", title="đ" * 400, email=False)
    created.refresh_from_db()
    assert created.title == "đ" * 300


@pytest.mark.django_db(transaction=True)
def test_it_sends_mail_only_through_the_worker(locmem_mail):
    with_address = [UserFactory(email="a@example.vn"), UserFactory(email="b@example.vn")]
    without = UserFactory(email="")

    notify(recipients=[*with_address, without], kind="x", title="Sắp đến hạn", url="/x/1/")
    assert locmem_mail == []  # committed, enqueued, but not sent inline

    run_worker()

    assert sorted(m.to[0] for m in locmem_mail) == ["a@example.vn", "b@example.vn"]
    assert all(m.subject == "Sắp đến hạn" and "/x/1/" in m.body for m in locmem_mail)
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert sorted(emailed.values_list("recipient_id", flat=True)) == [u.pk for u in with_address]
    assert Notification.objects.get(recipient=without).emailed_at is None


@pytest.mark.django_db(transaction=True)
def test_it_enqueues_no_mail_when_asked_not_to(locmem_mail):
    notify(recipients=[UserFactory(email="a@example.vn")], kind="x", title="t", email=False)
    run_worker()
    assert locmem_mail == []


@pytest.mark.django_db(transaction=True)
def test_it_enqueues_nothing_when_the_transaction_rolls_back(locmem_mail):
    from django.db import transaction

    user = UserFactory(email="a@example.vn")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[user], kind="x", title="t")
        raise RuntimeError("rolled back")
    run_worker()
    assert locmem_mail == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_it_sends_once_when_the_mail_task_runs_twice(locmem_mail):
    (created,) = notify(recipients=[UserFactory(email="a@example.vn")], kind="x", title="t")

    assert send_notification_email.call(created.pk) is True
    assert send_notification_email.call(created.pk) is False

    assert len(locmem_mail) == 1
    created.refresh_from_db()
    assert created.emailed_at is not None


@pytest.mark.django_db
def test_it_releases_the_mail_claim_when_sending_fails(settings, monkeypatch):
    (created,) = notify(recipients=[UserFactory(email="a@example.vn")], kind="x", title="t")

    def broken(**kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("danvan.core.notifications.send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        send_notification_email.call(created.pk)
    created.refresh_from_db()
    assert created.emailed_at is None


@pytest.mark.django_db
def test_it_marks_only_the_readers_own_notifications_read():
    reader, other = UserFactory(), UserFactory()
    mine = notify(recipients=[reader], kind="x", title="1", email=False)
    mine += notify(recipients=[reader], kind="x", title="2", email=False)
    (theirs,) = notify(recipients=[other], kind="x", title="3", email=False)
    assert unread_count(reader) == 2

    changed = mark_read(user=reader, notification_ids=[mine[0].pk, theirs.pk])

    assert changed == 1
    assert unread_count(reader) == 1
    assert unread_count(other) == 1
    assert mark_read(user=reader, notification_ids=[mine[0].pk]) == 0  # already read


@pytest.mark.django_db
def test_it_lists_a_users_notifications_newest_first():
    reader = UserFactory()
    first = notify(recipients=[reader], kind="x", title="1", email=False)[0]
    second = notify(recipients=[reader], kind="x", title="2", email=False)[0]
    notify(recipients=[UserFactory()], kind="x", title="other", email=False)

    assert list(notification_list(reader)) == [second, first]
    assert list(notification_list(AnonymousUser())) == []
    assert unread_count(AnonymousUser()) == 0
