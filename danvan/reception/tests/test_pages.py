import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.petitions.models import SEALED
from danvan.reception.models import ReceptionSession, ReceptionVisit
from danvan.reception.services import visit_record
from danvan.reception.tests.conftest import visit_kwargs

pytestmark = pytest.mark.django_db


def _visit_post(**extra):
    data = {
        "visited_on": "20/11/2026",
        "citizen_name": "Trần Văn Dân",
        "address": "Ấp 3",
        "id_number": "079000111222",
        "kind": "complaint",
        "content": "Khiếu nại việc thu hồi đất",
        "people_count": "7",
        "representatives": "Trần Văn Dân\nLê Thị Hai",
        "action": "accepted",
    }
    data.update(extra)
    return data


def test_a_clerk_of_the_agency_records_a_visit(client, desk):
    client.force_login(desk.clerk)
    url = reverse("reception:visit_create", args=[desk.agency.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _visit_post())
    assert response.status_code == 302
    visit = ReceptionVisit.objects.get()
    assert visit.representatives == ["Trần Văn Dân", "Lê Thị Hai"]
    assert visit.petition.channel == "reception" and visit.recorded_by == desk.clerk


def test_a_clerk_of_another_agency_cannot_record_a_visit(client, desk):
    client.force_login(desk.other_clerk)
    url = reverse("reception:visit_create", args=[desk.agency.pk])
    assert client.post(url, _visit_post()).status_code in (403, 404)
    assert client.get(reverse("reception:log", args=[desk.agency.pk])).status_code == 404
    assert not ReceptionVisit.objects.exists()


def test_a_viewer_sees_the_log_but_may_not_write_in_it(client, desk):
    client.force_login(desk.viewer)
    assert client.get(reverse("reception:log", args=[desk.agency.pk])).status_code == 200
    url = reverse("reception:visit_create", args=[desk.agency.pk])
    assert client.post(url, _visit_post()).status_code == 403


def test_anonymous_users_go_to_the_login_page(client, desk):
    response = client.get(reverse("reception:schedule", args=[desk.agency.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_form_shows_the_representative_error_next_to_its_field(client, desk):
    client.force_login(desk.clerk)
    url = reverse("reception:visit_create", args=[desk.agency.pk])
    body = client.post(url, _visit_post(representatives="A\nB\nC")).content.decode()
    assert 'id="id_representatives_errors"' in body
    assert 'aria-describedby="id_representatives_errors"' in body
    assert not ReceptionVisit.objects.exists()


def test_the_log_shows_sealed_for_a_denunciation(client, desk):
    visit_record(**visit_kwargs(desk, kind="denunciation", action="accepted"))
    client.force_login(desk.viewer)
    body = client.get(reverse("reception:log", args=[desk.agency.pk])).content.decode()
    assert SEALED in body
    assert "Trần Văn Dân" not in body and "079000111222" not in body


def _fill_log(desk, n):
    for i in range(n):
        kwargs = visit_kwargs(desk, visited_on=dt.date(2026, 11, 1 + i % 20))
        if i % 3 == 0:
            kwargs.update(action="accepted")
        visit_record(**kwargs)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_log_uses_the_same_number_of_queries_for_3_and_60_visits(client, desk):
    client.force_login(desk.viewer)
    url = reverse("reception:log", args=[desk.agency.pk]) + "?start=2026-11-01&end=2026-11-27"
    _fill_log(desk, 3)
    small, _ = _count(client, url)
    _fill_log(desk, 57)
    large, body = _count(client, url)
    assert body.count("Khiếu nại việc thu hồi đất") == 60
    assert small == large, f"{small} queries for 3 visits, {large} for 60"
    printable, body = _count(client, url + "&print=1")
    assert printable <= large
    assert body.count("Khiếu nại việc thu hồi đất") == 60 and "window.print()" in body


def test_the_log_filters_by_date(client, desk):
    visit_record(**visit_kwargs(desk, visited_on=dt.date(2026, 10, 5), content="Tháng mười"))
    visit_record(**visit_kwargs(desk, visited_on=dt.date(2026, 11, 5), content="Tháng mười một"))
    client.force_login(desk.viewer)
    url = reverse("reception:log", args=[desk.agency.pk])
    body = client.get(url, {"start": "01/10/2026", "end": "31/10/2026"}).content.decode()
    assert "Tháng mười<" in body.replace("Tháng mười một", "") and "Tháng mười một" not in body


def test_the_schedule_highlights_a_shortfall_and_plans_a_session(client, desk):
    client.force_login(desk.officer)
    url = reverse("reception:schedule", args=[desk.agency.pk])
    body = client.get(url, {"start": "2026-09-01", "end": "2026-09-30"}).content.decode()
    assert 'class="short"' in body and "136/2025/QH15" in body
    create = reverse("reception:session_create", args=[desk.agency.pk])
    response = client.post(
        create,
        {
            "leader": desk.chair.pk,
            "role": "commune_pc_chair",
            "date": "2026-12-04",
            "place": "Trụ sở UBND phường",
            "mode": "online",
            "kind": "regular",
        },
    )
    assert response.status_code == 302
    assert ReceptionSession.objects.get().mode == "online"


def test_the_session_form_refuses_online_before_july_2026_next_to_the_mode(client, desk):
    client.force_login(desk.officer)
    create = reverse("reception:session_create", args=[desk.agency.pk])
    data = {"leader": desk.chair.pk, "date": "2026-06-05", "place": "Trụ sở", "mode": "online"}
    body = client.post(create, {**data, "kind": "regular"}).content.decode()
    assert 'id="id_mode_errors"' in body and "1/7/2026" in body
    assert not ReceptionSession.objects.exists()


def test_a_clerk_marks_a_session_held_but_may_not_cancel_it(client, desk):
    session = ReceptionSession.objects.create(
        agency=desk.agency, leader=desk.chair, date=dt.date(2026, 11, 20), place="Trụ sở"
    )
    client.force_login(desk.clerk)
    url = reverse("reception:session_status", args=[desk.agency.pk, session.pk])
    assert client.post(url, {"action": "cancel"}).status_code == 403
    assert client.post(url, {"action": "held"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "held"


def test_a_clerk_records_a_refusal_through_the_page(client, desk):
    client.force_login(desk.clerk)
    url = reverse("reception:refusal_create", args=[desk.agency.pk])
    data = {"refused_on": "2026-11-20", "person": "Người say", "explanation": "Say rượu"}
    body = client.post(url, data).content.decode()
    assert 'id="id_ground_errors"' in body
    assert client.post(url, {**data, "ground": "intoxicated"}).status_code == 302
