import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.api.tests.conftest import bearer
from danvan.core.models import AuditEvent
from danvan.petitions.models import SEALED, Petition
from danvan.petitions.tests.conftest import SECRET_ID, SECRET_NAME, SECRET_PHONE, eligible

pytestmark = pytest.mark.django_db
URL = "/api/v1/petitions"


def _new(desk, **extra):
    data = {
        "agency_id": desk.agency.pk,
        "channel": "hotline",
        "subject": "Đèn đường hỏng",
        "content": "Đèn đường ấp 3 hỏng một tháng nay.",
        "received_on": "2026-02-10",
        "unit_id": desk.tree.commune.pk,
        "petitioners": [{"full_name": "Lê Thị Hoa", "phone": "0912345678"}],
    }
    data.update(extra)
    return data


def test_a_clerk_records_a_petition_through_the_api(client, desk, token_for):
    raw = token_for(desk.clerk, desk.agency)
    response = client.post(URL, _new(desk), content_type="application/json", **bearer(raw))
    assert response.status_code == 201, response.content
    body = response.json()
    petition = Petition.objects.get()
    assert body["tracking_code"] == petition.tracking_code
    assert body["petitioner"] == "Lê Thị Hoa" and body["deadlines"]
    event = AuditEvent.objects.get(action="petitions.receive")
    assert event.actor == desk.clerk


def test_invalid_input_is_a_422_problem_with_field_errors(client, desk, token_for):
    raw = token_for(desk.clerk, desk.agency)
    response = client.post(
        URL,
        _new(desk, subject="", petitioners=[{"full_name": "A", "phone": "abc"}]),
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert "subject" in fields


def test_a_denunciation_created_through_the_api_is_sealed_in_every_answer(client, desk, token_for):
    raw = token_for(desk.clerk, desk.agency)
    people = [{"full_name": SECRET_NAME, "id_number": SECRET_ID, "phone": SECRET_PHONE}]
    response = client.post(
        URL,
        _new(desk, kind="denunciation", petitioners=people),
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 201
    officer = token_for(desk.officer, desk.agency)
    pk = response.json()["id"]
    for url in (URL, f"{URL}/{pk}", f"{URL}/{pk}/transitions", f"{URL}/{pk}/attachments"):
        body = client.get(url, **bearer(officer)).content.decode()
        assert SECRET_NAME not in body and SECRET_ID not in body and SECRET_PHONE not in body
    assert response.json()["petitioner"] == SEALED


def test_the_identity_goes_only_to_cleared_users_and_every_read_is_audited(client, desk):
    petition = desk.denunciation()
    url = f"{URL}/{petition.pk}/identity"
    client.force_login(desk.officer)
    officer = client.get(url)
    assert officer.status_code == 403
    assert SECRET_NAME not in officer.content.decode()
    client.force_login(desk.leader)
    leader = client.get(url)
    assert leader.status_code == 200 and leader.json()[0]["full_name"] == SECRET_NAME
    assert leader["Cache-Control"] == "no-store"
    actions = list(
        AuditEvent.objects.filter(object_id=str(petition.pk)).values_list("action", flat=True)
    )
    assert "petitions.identity_reveal_refused" in actions
    assert "petitions.identity_reveal" in actions


def test_it_never_reveals_an_identity_to_a_token_even_a_leaders(client, desk, token_for):
    petition = desk.denunciation()
    url = f"{URL}/{petition.pk}/identity"
    for access in ("read", "write"):
        response = client.get(url, **bearer(token_for(desk.leader, desk.agency, access=access)))
        assert response.status_code == 403, access
        assert SECRET_NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(action="petitions.identity_reveal").exists()


def test_it_refuses_the_portal_channel_for_staff_intake(client, desk, token_for):
    raw = token_for(desk.clerk, desk.agency)
    body = {
        "agency_id": desk.agency.pk,
        "channel": "portal",
        "subject": "Đường hỏng",
        "content": "Đường liên ấp hỏng nặng.",
        "received_on": "2026-02-10",
    }
    response = client.post(URL, body, content_type="application/json", **bearer(raw))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["channel"]
    from danvan.org.models import Agency
    from danvan.petitions.forms import IntakeForm

    form = IntakeForm(agencies=Agency.objects.all())
    assert "portal" not in dict(form.fields["channel"].choices)


def test_it_marks_internal_steps_in_the_history(client, desk, token_for):
    petition = desk.receive()
    Transition = petition.transitions.model
    Transition.objects.filter(petition=petition).update(is_public=False)
    history = client.get(
        f"{URL}/{petition.pk}/transitions", **bearer(token_for(desk.officer, desk.agency))
    ).json()
    assert history and all(step["is_public"] is False for step in history)


def test_it_binds_a_token_to_its_agency_even_for_the_assigned_officer(client, desk, token_for):
    """An officer of two agencies, holding a token of the other one, may not move their case."""
    from danvan.org.models import Membership
    from danvan.org.tests.factories import MembershipFactory

    petition = desk.receive()
    type(petition).objects.filter(pk=petition.pk).update(assigned_to=desk.officer)
    MembershipFactory(agency=desk.tree.front, role=Membership.Role.OFFICER, user=desk.officer)
    raw = token_for(desk.officer, desk.tree.front)
    move = {"action": "classify", "version": petition.version, "kind": "feedback"}
    move["eligibility"] = eligible("feedback")
    response = client.post(
        f"{URL}/{petition.pk}/moves", move, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403, response.content


def test_an_officer_moves_a_case_and_a_stale_version_is_a_409(client, desk, token_for):
    petition = desk.receive()
    raw = token_for(desk.officer, desk.agency)
    move = {
        "action": "classify",
        "version": petition.version,
        "kind": "feedback",
        "eligibility": eligible("feedback"),
    }
    response = client.post(
        f"{URL}/{petition.pk}/moves", move, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "classified"
    again = client.post(
        f"{URL}/{petition.pk}/moves", move, content_type="application/json", **bearer(raw)
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("conflict")


def test_an_illegal_step_is_a_409_and_a_viewer_may_not_move(client, desk, token_for):
    petition = desk.receive()
    raw = token_for(desk.officer, desk.agency)
    bad = {"action": "resolve", "version": petition.version, "reason": "x"}
    response = client.post(
        f"{URL}/{petition.pk}/moves", bad, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 409
    viewer = token_for(desk.viewer, desk.agency)
    response = client.post(
        f"{URL}/{petition.pk}/moves", bad, content_type="application/json", **bearer(viewer)
    )
    assert response.status_code == 403


def test_out_of_scope_cases_are_404(client, desk, token_for):
    petition = desk.receive()
    raw = token_for(desk.outsider, desk.tree.front)
    assert client.get(f"{URL}/{petition.pk}", **bearer(raw)).status_code == 404
    assert client.get(URL, **bearer(raw)).json()["items"] == []


def test_cursor_pages_cover_every_case_once_with_a_constant_number_of_queries(
    client, desk, token_for
):
    for i in range(7):
        desk.receive(subject=f"Việc {i}", received_on=dt.date(2026, 2, 1) + dt.timedelta(days=i))
    desk.denunciation()
    raw = token_for(desk.officer, desk.agency)
    client.get(URL, **bearer(raw))  # the first use records last_used_at and a rate bucket
    seen, cursor, counts = [], None, []
    while True:
        url = f"{URL}?limit=3" + (f"&cursor={cursor}" if cursor else "")
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, **bearer(raw)).json()
        counts.append(len(queries))
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen, reverse=True) == seen and len(seen) == len(set(seen)) == 8
    assert len(set(counts)) == 1, counts
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{URL}?limit=200", **bearer(raw))
    assert len(queries) == counts[0]


def test_a_forged_cursor_is_a_400_problem(client, desk, token_for):
    raw = token_for(desk.officer, desk.agency)
    for cursor in ("%%%", "bm90LWpzb24", "WyJ4Il0", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"):
        response = client.get(f"{URL}?cursor={cursor}", **bearer(raw))
        assert response.status_code == 400, cursor
        assert response["Content-Type"] == "application/problem+json"


def test_a_reception_clerk_records_a_visit_and_reads_the_log(client, desk, token_for):
    from danvan.petitions.models import SEALED

    raw = token_for(desk.clerk, desk.agency)
    visit = {
        "agency_id": desk.agency.pk,
        "visited_on": "2026-02-10",
        "citizen_name": SECRET_NAME,
        "id_number": SECRET_ID,
        "content": "Tố cáo cán bộ X nhận tiền.",
        "kind": "denunciation",
        "action": "guided",
    }
    response = client.post(
        "/api/v1/reception/visits", visit, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201, response.content
    assert response.json()["citizen_name"] == SEALED
    log = client.get(
        f"/api/v1/reception/visits?agency={desk.agency.pk}&start=2026-02-01&end=2026-02-28",
        **bearer(raw),
    )
    assert [v["citizen_name"] for v in log.json()["items"]] == [SEALED]
    assert SECRET_NAME not in log.content.decode()
    viewer = token_for(desk.viewer, desk.agency)
    response = client.post(
        "/api/v1/reception/visits", visit, content_type="application/json", **bearer(viewer)
    )
    assert response.status_code == 403
