import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.core.models import AuditEvent
from danvan.petitions.models import Petition
from danvan.petitions.tests.conftest import SECRET_NAME, eligible

pytestmark = pytest.mark.django_db


def _intake_data(desk, **extra):
    data = {
        "agency": desk.agency.pk,
        "channel": "reception",
        "kind": "unclassified",
        "received_on": "2026-02-10",
        "unit": desk.tree.commune.pk,
        "subject": "Đề nghị sửa đường",
        "content": "Đường liên ấp hư hỏng nặng.",
        "petitioner_count": 1,
        "p-TOTAL_FORMS": 1,
        "p-INITIAL_FORMS": 0,
        "p-MIN_NUM_FORMS": 0,
        "p-MAX_NUM_FORMS": 20,
        "p-0-full_name": "Lê Thị Hoa",
        "p-0-phone": "0912345678",
    }
    data.update(extra)
    return data


def test_a_clerk_records_a_petition_through_the_form(client, desk):
    client.force_login(desk.clerk)
    response = client.post(reverse("petitions:intake"), _intake_data(desk))
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
    assert petition.petitioners.get().full_name == "Lê Thị Hoa"


def test_bad_intake_shows_vietnamese_errors_on_the_fields(client, desk):
    client.force_login(desk.clerk)
    response = client.post(
        reverse("petitions:intake"), _intake_data(desk, subject="", **{"p-0-phone": "abc"})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_subject_errors"' in body
    assert "số điện thoại" in body.lower()
    assert not Petition.objects.exists()


def test_script_in_text_is_escaped_on_every_page(client, desk):
    p = desk.receive(subject="<script>alert(1)</script>")
    client.force_login(desk.officer)
    for url in (reverse("petitions:inbox"), p.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;" in body


def test_an_officer_moves_a_case_and_sees_the_deadline_with_its_citation(client, desk):
    p = desk.receive()
    client.force_login(desk.officer)
    client.post(
        reverse("petitions:move", args=[p.pk]),
        {
            "action": "classify",
            "version": p.version,
            "kind": "complaint",
            "eligibility": eligible("complaint"),
        },
    )
    p.refresh_from_db()
    client.post(reverse("petitions:move", args=[p.pk]), {"action": "accept", "version": p.version})
    body = client.get(p.get_absolute_url()).content.decode()
    assert "Đ28, Luật Khiếu nại 02/2011/QH13" in body
    assert 'id="deadline-resolve"' in body


def test_a_stale_form_is_refused_with_a_message(client, desk):
    p = desk.receive()
    client.force_login(desk.officer)
    version = p.version
    client.post(
        reverse("petitions:move", args=[p.pk]),
        {"action": "classify", "version": version, "kind": "feedback"},
    )
    client.force_login(desk.officer2)
    response = client.post(
        reverse("petitions:move", args=[p.pk]),
        {"action": "classify", "version": version, "kind": "complaint"},
        follow=True,
    )
    assert str(desk.officer) in response.content.decode()
    p.refresh_from_db()
    assert p.kind == "feedback"


def test_viewers_and_outsiders_cannot_move_or_see(client, desk):
    p = desk.receive()
    client.force_login(desk.viewer)
    assert client.get(p.get_absolute_url()).status_code == 200
    assert (
        client.post(
            reverse("petitions:move", args=[p.pk]),
            {"action": "classify", "version": p.version, "kind": "feedback"},
        ).status_code
        == 403
    )
    client.force_login(desk.outsider)
    assert client.get(p.get_absolute_url()).status_code == 404


def test_only_cleared_users_reveal_and_each_reveal_is_audited(client, desk):
    p = desk.denunciation()
    url = reverse("petitions:reveal_identity", args=[p.pk])
    client.force_login(desk.officer)  # not assigned yet: not cleared
    assert client.get(url).status_code == 403
    client.force_login(desk.leader)
    response = client.get(url)
    assert response.status_code == 200 and SECRET_NAME in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    events = AuditEvent.objects.filter(action__startswith="petitions.identity_reveal")
    assert [e.action for e in events.order_by("id")] == [
        "petitions.identity_reveal_refused",
        "petitions.identity_reveal",
    ]
    assert all(e.is_sensitive_read for e in events)


def test_bulk_assignment_by_the_leader(client, desk):
    cases = [desk.receive() for _ in range(3)]
    client.force_login(desk.leader)
    client.post(
        reverse("petitions:assign"), {"officer": desk.officer.pk, "petition": [c.pk for c in cases]}
    )
    assert Petition.objects.filter(assigned_to=desk.officer).count() == 3


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_query_count_does_not_grow_with_the_page(client, desk):
    client.force_login(desk.leader)
    for _ in range(3):
        desk.receive()
    small = _count(client, reverse("petitions:inbox"))
    for i in range(45):
        desk.receive(received_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
    desk.denunciation()
    large = _count(client, reverse("petitions:inbox"))
    assert small == large, f"{small} queries for 3 cases, {large} for 49"


def test_the_inbox_finds_text_without_diacritics(client, desk):
    desk.receive(subject="Đường giao thông xuống cấp")
    desk.receive(subject="Cấp giấy chứng nhận")
    client.force_login(desk.officer)
    body = client.get(reverse("petitions:inbox"), {"q": "duong giao thong"}).content.decode()
    assert "Đường giao thông xuống cấp" in body and "Cấp giấy chứng nhận" not in body


def test_the_case_page_offers_likely_duplicates_and_links_one(client, desk):
    first = desk.receive(subject="Đường liên ấp 3 bị sụt lún", content="Đường hư hỏng nặng.")
    again = desk.receive(subject="Duong lien ap 3 bi sut lun", content="Duong hu hong nang.")
    client.force_login(desk.officer)
    body = client.get(again.get_absolute_url()).content.decode()
    assert 'id="candidates"' in body and first.tracking_code in body
    client.post(
        reverse("petitions:link", args=[again.pk]),
        {"other": first.pk, "relation": "duplicate", "version": again.version},
    )
    again.refresh_from_db()
    assert again.duplicate_of == first


def test_an_error_only_the_service_finds_is_shown_on_its_field(client, desk):
    client.force_login(desk.clerk)
    response = client.post(
        reverse("petitions:intake"),
        _intake_data(desk, received_on=(dt.date.today() + dt.timedelta(days=30)).isoformat()),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_received_on_errors"' in body and "sau ngày hôm nay" in body
    assert not Petition.objects.exists()
