"""The citizen's journey: submit, receipt once, track by code; abuse limits; no enumeration."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.core import ratelimit
from danvan.core.models import AuditEvent, RateLimitBucket
from danvan.core.tick import registered_hooks
from danvan.org.models import Membership
from danvan.org.tests.factories import UnitFactory
from danvan.petitions.models import Petition, Petitioner
from danvan.petitions.services import petition_move
from danvan.petitions.tests.conftest import eligible
from danvan.portal.tracking import portal_find

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def portal_settings(settings):
    settings.LANGUAGE_CODE = "vi"
    settings.DANVAN_PROVINCE_CODE = 92


@pytest.fixture
def form_data(org_tree):
    return {
        "kind": "complaint",
        "unit": str(org_tree.commune.pk),
        "subject": "Đường ngập nước",
        "content": "Đoạn đường trước nhà ngập sau mỗi trận mưa.",
        "full_name": "Lê Thị Dân",
        "phone": "0912345678",
        "email": "",
        "address": "Ấp 1",
        "consent": "on",
        "website": "",
    }


def submit(client, data, files=None, ip="10.0.0.1"):
    payload = {**data, **({"files": files} if files else {})}
    return client.post(reverse("portal:submit"), payload, REMOTE_ADDR=ip)


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def secret_from(response) -> tuple[str, str]:
    html = response.content.decode()
    code = re.search(r'id="tracking-code">(\w+)<', html).group(1)
    secret = re.search(r'id="tracking-secret">(\w+)<', html).group(1)
    return code, secret


def track(client, code, factor, ip="10.0.0.9"):
    return client.post(reverse("portal:track"), {"code": code, "factor": factor}, REMOTE_ADDR=ip)


def test_it_submits_a_portal_petition_to_the_commune_committee_with_a_working_secret(
    client, org_tree, form_data
):
    response = submit(client, form_data)
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    code, secret = secret_from(receipt)
    petition = Petition.objects.get()
    assert petition.tracking_code == code
    assert (petition.channel, petition.agency) == ("portal", org_tree.commune_pc)
    assert petition.received_by is None and petition.kind == "complaint"
    assert portal_find(code=code, factor=secret).case.pk == petition.pk
    assert portal_find(code=code, factor="WRONG234") is None
    consent = AuditEvent.objects.get(action="portal.consent")
    assert consent.changes["consent"]["version"] and consent.changes["consent"]["at"]
    assert client.get(reverse("portal:submit_done")).status_code == 302  # shown once only


def test_it_sends_to_the_province_committee_when_the_commune_has_none(client, org_tree, form_data):
    other = UnitFactory(parent=org_tree.province, name="Xã Không Có Ủy Ban")
    assert submit(client, {**form_data, "unit": str(other.pk)}).status_code == 302
    assert Petition.objects.get().agency == org_tree.city


def test_it_shows_time_limits_from_the_legal_rules(client, org_tree):
    html = client.get(reverse("portal:submit")).content.decode()
    assert "Đ27, Luật Khiếu nại 02/2011/QH13" in html
    assert "Đ24, Luật Tố cáo 25/2018/QH14" in html


def test_it_requires_consent_for_personal_data_and_never_preticks_it(client, org_tree, form_data):
    page = client.get(reverse("portal:submit")).content.decode()
    assert "checked" not in input_tag(page, "consent")
    response = submit(client, {**form_data, "consent": ""})
    assert response.status_code == 200 and not Petition.objects.exists()
    html = response.content.decode()
    assert 'id="id_consent_errors"' in html
    assert 'aria-describedby="id_consent_errors"' in input_tag(html, "consent")
    anonymous = {**form_data, "kind": "feedback", "consent": ""}
    anonymous.update(full_name="", phone="", address="")
    assert submit(client, anonymous).status_code == 302
    assert Petition.objects.get().is_anonymous


def test_it_answers_a_filled_honeypot_like_a_success_and_creates_nothing(
    client, org_tree, form_data
):
    response = submit(client, {**form_data, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:submit_done")
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and secret_from(receipt)
    assert not Petition.objects.exists() and not AuditEvent.objects.exists()


def test_it_limits_submissions_per_address_with_a_vietnamese_429(client, org_tree, form_data):
    anonymous = {**form_data, "kind": "feedback", "consent": ""}
    anonymous.update(full_name="", phone="", address="")
    for _ in range(ratelimit.SUBMIT_PER_IP.count):
        assert submit(client, anonymous, ip="203.0.113.7").status_code == 302
    response = submit(client, anonymous, ip="203.0.113.7")
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Petition.objects.count() == ratelimit.SUBMIT_PER_IP.count
    keys = list(RateLimitBucket.objects.values_list("key", flat=True))
    assert keys and not any("203.0.113" in k for k in keys)


def test_it_limits_submissions_per_contact_across_addresses(client, org_tree, form_data):
    for i in range(ratelimit.SUBMIT_PER_CONTACT.count):
        assert submit(client, form_data, ip=f"198.51.100.{i}").status_code == 302
    assert submit(client, form_data, ip="198.51.100.99").status_code == 429
    keys = "".join(RateLimitBucket.objects.values_list("key", flat=True))
    assert "0912345678" not in keys


def test_it_refuses_a_fake_pdf_with_a_vietnamese_message_tied_to_the_field(
    client, org_tree, form_data
):
    fake = SimpleUploadedFile("don.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = submit(client, form_data, files=[fake])
    html = response.content.decode()
    assert response.status_code == 200 and not Petition.objects.exists()
    assert "không thuộc loại tệp được chấp nhận" in html
    assert 'id="id_files_errors"' in html
    assert 'aria-describedby="id_files_errors"' in input_tag(html, "files")


def test_it_refuses_more_than_three_files_and_keeps_a_real_pdf(client, org_tree, form_data):
    four = [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(4)]
    assert "Đính kèm tối đa 3 tệp" in submit(client, form_data, files=four).content.decode()
    one = [SimpleUploadedFile("scan.pdf", PDF, "application/pdf")]
    assert submit(client, form_data, files=one).status_code == 302
    assert Petition.objects.get().attachments.get().content_type == "application/pdf"


def test_it_escapes_script_in_every_text_field(client, org_tree, form_data):
    evil = dict.fromkeys(("subject", "content", "full_name", "address"), SCRIPT)
    invalid = submit(client, {**form_data, **evil, "phone": SCRIPT, "email": SCRIPT})
    assert SCRIPT not in invalid.content.decode() and "&lt;script&gt;" in invalid.content.decode()
    response = submit(client, {**form_data, **evil})
    receipt = client.get(response["Location"])
    code, secret = secret_from(receipt)
    assert SCRIPT not in receipt.content.decode()
    for factor in (secret, SCRIPT):
        page = track(client, code, factor).content.decode()
        assert SCRIPT not in page
    assert "&lt;script&gt;" in track(client, SCRIPT, SCRIPT).content.decode()


def test_it_tracks_public_steps_only(client, org_tree, form_data, make_member):
    code, secret = secret_from(client.get(submit(client, form_data)["Location"]))
    officer = make_member(org_tree.commune_pc, Membership.Role.OFFICER)
    petition = Petition.objects.get()
    for action, extra in (("classify", {"kind": "complaint"}), ("accept", {})):
        petition.refresh_from_db()
        if action == "classify":
            extra["eligibility"] = eligible("complaint")
        petition_move(
            actor=officer,
            petition=petition,
            action=action,
            expected_version=petition.version,
            **extra,
        )
    html = track(client, code, secret).content.decode()
    result = html.split('id="track-result"')[1]
    assert "Đã thụ lý" in result and "Tiếp nhận" in result
    assert "Đã phân loại" not in result
    assert officer.full_name not in html and officer.username not in html
    assert "Đ28, Luật Khiếu nại 02/2011/QH13" in result  # the resolution deadline


def test_it_answers_a_wrong_secret_like_an_unknown_code(client, org_tree, form_data):
    code, _secret = secret_from(client.get(submit(client, form_data)["Location"]))
    wrong = track(client, code, "ABCDEFGH")
    unknown = track(client, "ZZZZZZZZZZ", "ABCDEFGH")
    assert wrong.status_code == unknown.status_code == 200
    assert sorted(wrong.headers) == sorted(unknown.headers)
    for response in (wrong, unknown):
        html = response.content.decode()
        assert "Không tìm thấy đơn" in html
        assert form_data["subject"] not in html and "Tiếp nhận" not in html
    strip = re.compile(r'name="(csrfmiddlewaretoken|code)" value="[^"]*"|' + code + "|ZZZZZZZZZZ")
    assert strip.sub("", wrong.content.decode()) == strip.sub("", unknown.content.decode())


def test_it_limits_tracking_lookups_per_address(client, org_tree):
    for _ in range(ratelimit.TRACK_PER_IP.count):
        assert track(client, "AAAA", "BBBB", ip="192.0.2.1").status_code == 200
    assert track(client, "AAAA", "BBBB", ip="192.0.2.1").status_code == 429


def test_it_tracks_a_sealed_denunciation_by_phone_digits_without_the_name(
    client, org_tree, form_data
):
    data = {**form_data, "kind": "denunciation", "full_name": "Nguyễn Bí Mật"}
    code, _secret = secret_from(client.get(submit(client, data)["Location"]))
    petition = Petition.objects.get()
    assert petition.is_sealed and not Petitioner.objects.exists()
    html = track(client, code, "5678").content.decode()
    assert "Tiếp nhận" in html and "Nguyễn Bí Mật" not in html and "0912345678" not in html
    assert "Không tìm thấy đơn" in track(client, code, "1234").content.decode()


def test_it_emails_the_code_but_never_the_secret(
    client, org_tree, form_data, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, {**form_data, "email": "dan@example.vn"})
    code, secret = secret_from(client.get(response["Location"]))
    sent = [m for m in mail.outbox if "dan@example.vn" in m.to]
    assert len(sent) == 1 and code in sent[0].body and secret not in sent[0].body


def test_it_counts_in_fixed_windows_and_prunes_old_buckets(db):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    assert all(
        ratelimit.hit(key="t", limit=2, window=timedelta(minutes=5), now=now) for _ in range(2)
    )
    assert not ratelimit.hit(key="t", limit=2, window=timedelta(minutes=5), now=now)
    assert "core.prune_rate_limits" in registered_hooks()
    ratelimit.prune(now=now + timedelta(days=2))
    assert not RateLimitBucket.objects.exists()


def test_a_citizen_who_gives_only_an_e_mail_gets_one_confirmation_not_two(
    client, org_tree, form_data, settings, django_capture_on_commit_callbacks
):
    from danvan.petitions.messaging import LocmemGateway

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DANVAN_MESSAGE_GATEWAY = "danvan.petitions.messaging.LocmemGateway"
    LocmemGateway.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, {**form_data, "phone": "", "email": "dan@example.vn"})
    sent = [m for m in mail.outbox if "dan@example.vn" in m.to]
    sent += [m for m in LocmemGateway.outbox if m.to == "dan@example.vn"]
    assert len(sent) == 1


def test_the_tracking_secret_is_stored_as_a_keyed_hash_and_older_hashes_still_work(
    db, settings, org_tree
):
    from django.contrib.auth.hashers import make_password

    from danvan.portal.tracking import tracking_check, tracking_hash

    stored = tracking_hash("ABCD234567", "k7m2p9qx")
    assert stored.startswith("hmac-sha256$") and "k7m2p9qx" not in stored.lower()
    assert tracking_check("ABCD234567", "K7M2P9QX", stored)
    assert not tracking_check("ABCD234567", "K7M2P9QY", stored)
    assert not tracking_check("ABCD234568", "K7M2P9QX", stored)  # bound to its code
    settings.SECRET_KEY = "another-server-key-" * 3  # a database alone cannot test guesses
    assert not tracking_check("ABCD234567", "K7M2P9QX", stored)
    legacy = make_password("K7M2P9QX")
    assert tracking_check("ABCD234567", "k7m2p9qx", legacy)
    assert not tracking_check("ABCD234567", "K7M2P9QY", legacy)
    assert not tracking_check("ABCD234567", "K7M2P9QX", "")


def test_an_instance_can_raise_the_tracking_limit(client, org_tree, settings):
    settings.DANVAN_RATE_LIMITS = {"track:ip": 40}
    for _ in range(40):
        assert client.post(reverse("portal:track"), {"code": "X", "factor": "Y"}).status_code == 200
    assert client.post(reverse("portal:track"), {"code": "X", "factor": "Y"}).status_code == 429
