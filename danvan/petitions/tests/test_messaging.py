"""Notices to petitioners: one per public step, in Vietnamese, sent once by the real worker."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from danvan.core.models import AuditEvent, ReminderClaim
from danvan.org.models import Membership
from danvan.petitions.messaging import (
    NOTICE_KIND,
    ConsoleGateway,
    LocmemGateway,
    send_petitioner_notice,
)
from danvan.petitions.models import Deadline, Petition, Transition
from danvan.petitions.services import PetitionerData, petition_move, petition_receive
from danvan.petitions.tests.conftest import eligible

RECEIVED = dt.date(2026, 3, 2)
PHONE = "0911222333"
SECRET_NAME = "Tên Bí Mật Gửi"
SECRET_PHONE = "0912345678"


@pytest.fixture
def outbox(settings):
    settings.DANVAN_MESSAGE_GATEWAY = "danvan.petitions.messaging.LocmemGateway"
    LocmemGateway.outbox.clear()
    yield LocmemGateway.outbox
    LocmemGateway.outbox.clear()


@pytest.fixture
def legal_rules(transactional_db):
    """The seeded legal rules, again: a transactional test before this one flushed them."""
    seed = importlib.import_module("danvan.core.migrations.0003_seed_legal_rules").seed
    seed(apps, None)


@pytest.fixture
def agency(legal_rules, org_tree, make_member):
    make_member(org_tree.commune_pc, Membership.Role.OFFICER)
    return org_tree.commune_pc


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def receive(agency, *, people=None, **extra) -> Petition:
    return petition_receive(
        actor=None,
        agency=agency,
        channel="post",
        subject="Tranh chấp ranh giới đất",
        content="Hộ bên cạnh lấn chiếm 2 mét đất.",
        received_on=RECEIVED,
        petitioners=[PetitionerData(full_name="Trần Văn Dân", phone=PHONE)]
        if people is None
        else people,
        **extra,
    )


def move(petition: Petition, action: str, **kwargs) -> Petition:
    petition.refresh_from_db()
    if action == "classify":
        kwargs.setdefault("eligibility", eligible(kwargs.get("kind", "")))
    return petition_move(
        actor=None, petition=petition, action=action, expected_version=petition.version, **kwargs
    )


def deadline(petition: Petition, kind: str) -> Deadline:
    return petition.deadlines.select_related("rule").get(kind=kind)


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_petitioner_each_public_step_once(agency, outbox):
    petition = receive(agency)
    move(petition, "classify", kind="complaint")  # internal: not told
    move(petition, "accept", on=RECEIVED + dt.timedelta(days=3))
    assert outbox == []  # only the worker sends

    run_worker()

    assert [(m.channel, m.to) for m in outbox] == [("sms", PHONE), ("sms", PHONE)]
    received, accepted = (m.text for m in outbox)
    process, resolve = deadline(petition, "process"), deadline(petition, "resolve")
    assert petition.tracking_code in received and petition.tracking_code in accepted
    assert "đã tiếp nhận đơn" in received and "Mã tra cứu" in received
    assert process.due_on.strftime("%d/%m/%Y") in received and process.rule.citation in received
    assert "thụ lý" in accepted
    assert resolve.due_on.strftime("%d/%m/%Y") in accepted and resolve.rule.citation in accepted
    assert "Trần Văn Dân" not in received + accepted

    run_worker()  # nothing left to do
    assert len(outbox) == 2
    assert ReminderClaim.objects.filter(kind=NOTICE_KIND).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_sealed_denouncer_gets_the_sms_without_their_name(agency, outbox):
    petition = receive(
        agency,
        kind="denunciation",
        people=[PetitionerData(full_name=SECRET_NAME, phone=SECRET_PHONE)],
    )
    assert petition.is_sealed and not petition.petitioners.exists()

    run_worker()

    (message,) = outbox
    assert (message.channel, message.to) == ("sms", SECRET_PHONE)
    assert petition.tracking_code in message.text
    assert SECRET_NAME not in message.text and "Bí Mật" not in message.text
    (use,) = AuditEvent.objects.filter(action="petitions.identity_use_for_notice")
    assert use.is_sensitive_read and use.actor is None
    assert use.object_id == str(petition.pk)
    assert SECRET_NAME not in str(use.changes) and SECRET_PHONE not in str(use.changes)


@pytest.mark.django_db
def test_a_sealed_name_in_an_officers_reason_is_blanked(org_tree, outbox):
    petition = receive(
        org_tree.commune_pc,
        kind="denunciation",
        people=[PetitionerData(full_name=SECRET_NAME, phone=SECRET_PHONE)],
    )
    move(petition, "classify", kind="denunciation")
    move(petition, "accept", on=RECEIVED + dt.timedelta(days=3))
    move(petition, "extend", reason=f"Ông {SECRET_NAME} bổ sung tài liệu, cần xác minh thêm")
    step = Transition.objects.get(petition=petition, action="extend")

    assert send_petitioner_notice.call(step.pk) is True

    (message,) = outbox
    assert SECRET_NAME not in message.text
    assert "Ông [Bảo mật] bổ sung tài liệu" in message.text


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_petition_sends_nothing(agency, outbox):
    receive(agency, people=[], is_anonymous=True)

    run_worker()

    assert outbox == []
    assert not ReminderClaim.objects.filter(kind=NOTICE_KIND).exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_phone_it_sends_an_e_mail(agency, outbox):
    petition = receive(
        agency, people=[PetitionerData(full_name="Lê Thị Thư", email="thu@example.vn")]
    )

    run_worker()

    (message,) = outbox
    assert (message.channel, message.to) == ("email", "thu@example.vn")
    assert petition.tracking_code in message.subject and petition.tracking_code in message.text


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_representative_where_the_case_was_transferred(agency, org_tree, outbox):
    petition = receive(
        agency,
        people=[
            PetitionerData(full_name="Trần Văn Một", phone="0911000001"),
            PetitionerData(full_name="Trần Văn Hai", phone="0911000002", is_representative=True),
        ],
    )
    move(petition, "classify", kind="recommendation")
    move(
        petition,
        "transfer",
        reason="Thuộc thẩm quyền của Sở Tư pháp",
        target_agency=org_tree.dept_b,
    )

    run_worker()

    assert {m.to for m in outbox} == {"0911000002"}
    transferred = outbox[-1].text
    assert str(org_tree.dept_b) in transferred
    assert "Lý do: Thuộc thẩm quyền của Sở Tư pháp" in transferred


@pytest.mark.django_db
def test_a_retried_task_sends_once(org_tree, outbox):
    petition = receive(org_tree.commune_pc)
    step = Transition.objects.get(petition=petition, action="receive")

    assert send_petitioner_notice.call(step.pk) is True
    assert send_petitioner_notice.call(step.pk) is False
    assert len(outbox) == 1


@pytest.mark.django_db
def test_it_skips_internal_steps(org_tree, outbox):
    petition = move(receive(org_tree.commune_pc), "classify", kind="complaint")
    step = Transition.objects.get(petition=petition, action="classify")

    assert send_petitioner_notice.call(step.pk) is False
    assert outbox == []


class BrokenGateway(LocmemGateway):
    def send_sms(self, phone: str, text: str) -> None:
        raise ConnectionError("SMS operator down")


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_for_a_retry(settings, org_tree, outbox):
    petition = receive(org_tree.commune_pc)
    step = Transition.objects.get(petition=petition, action="receive")
    settings.DANVAN_MESSAGE_GATEWAY = f"{__name__}.BrokenGateway"

    with pytest.raises(ConnectionError):
        send_petitioner_notice.call(step.pk)
    assert not ReminderClaim.objects.filter(kind=NOTICE_KIND).exists()

    settings.DANVAN_MESSAGE_GATEWAY = "danvan.petitions.messaging.LocmemGateway"
    assert send_petitioner_notice.call(step.pk) is True
    assert len(outbox) == 1


def test_the_console_gateway_masks_the_address(capsys):
    gateway = ConsoleGateway()
    gateway.send_sms(SECRET_PHONE, "Đơn ABC đã được thụ lý.")
    gateway.send_email("bimat@example.vn", "Đơn ABC", "Nội dung")

    out = capsys.readouterr().out
    assert "Đơn ABC đã được thụ lý." in out
    assert SECRET_PHONE not in out and "bimat@" not in out
