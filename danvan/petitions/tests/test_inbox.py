"""The inbox list: rows built from values show what the model path shows, sealed identities stay
redacted, the query count is fixed and the user's scope is resolved once per request."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.core.request_context import RequestInfo, reset_request_info, set_request_info
from danvan.org.selectors import is_staff_member, visible_agency_ids
from danvan.petitions.models import SEALED, Petition, Petitioner
from danvan.petitions.selectors import InboxFilters, inbox, inbox_page, petitioner_label
from danvan.petitions.services import PetitionerData, petition_assign
from danvan.petitions.tests.conftest import SECRET_NAME

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 2, 20)


def _model_columns(petition: Petition) -> dict:
    """What the inbox showed when it rendered model instances."""
    return {
        "pk": petition.pk,
        "tracking_code": petition.tracking_code,
        "url": petition.get_absolute_url(),
        "subject": petition.subject,
        "is_mass": petition.is_mass,
        "petitioner_label": petitioner_label(petition),
        "kind": petition.get_kind_display(),
        "status": petition.get_status_display(),
        "due_on": petition.due_on,
        "days_left": (petition.due_on - TODAY).days if petition.due_on else None,
        "officer": str(petition.assigned_to) if petition.assigned_to else "",
    }


def _row_columns(row) -> dict:
    return {
        "pk": row.pk,
        "tracking_code": row.tracking_code,
        "url": row.get_absolute_url(),
        "subject": row.subject,
        "is_mass": row.is_mass,
        "petitioner_label": row.petitioner_label,
        "kind": row.get_kind_display(),
        "status": row.get_status_display(),
        "due_on": row.due_on,
        "days_left": row.days_left,
        "officer": row.assigned_to,
    }


@pytest.fixture
def mixed(desk):
    """A sealed denunciation, an anonymous letter, a group of three, an assigned case."""
    sealed = desk.denunciation()
    desk.receive(subject="Thư không ký tên", people=[], is_anonymous=True)
    desk.receive(
        subject="Nhóm hộ dân",
        petitioner_count=50,  # a mass petition
        people=[
            PetitionerData(full_name="Lê Văn Một"),
            PetitionerData(full_name="Lê Văn Hai"),
            PetitionerData(full_name="Lê Văn Ba"),
        ],
    )
    assigned = desk.receive(subject="Đã giao")
    desk.move(assigned, "classify", kind="complaint")
    desk.move(assigned, "accept")
    petition_assign(actor=desk.leader, petitions=[assigned], officer=desk.officer)
    return sealed


def test_it_builds_rows_that_show_what_the_model_path_shows(desk, mixed):
    page = inbox_page(user=desk.leader, filters=InboxFilters(), today=TODAY)
    models = inbox(user=desk.leader, filters=InboxFilters(), today=TODAY)
    assert [_row_columns(r) for r in page] == [_model_columns(p) for p in models]
    labels = {row.subject: row.petitioner_label for row in page}
    assert labels["Tố cáo cán bộ địa chính"] == SEALED
    assert labels["Thư không ký tên"] == "—"
    assert labels["Nhóm hộ dân"] == "Lê Văn Một (+2)"
    assert [row.is_mass for row in page if row.subject == "Nhóm hộ dân"] == [True]
    assert {row.subject: row.assigned_to for row in page}["Đã giao"] == str(desk.officer)


def test_a_sealed_row_never_shows_a_name_even_if_one_were_stored(desk, mixed):
    # Sealed cases store no petitioners; plant one to prove the list would not read it.
    Petitioner.objects.create(petition=mixed, full_name=SECRET_NAME)
    with CaptureQueriesContext(connection) as ctx:
        page = inbox_page(user=desk.leader, filters=InboxFilters(), today=TODAY)
    assert {row.petitioner_label for row in page if row.pk == mixed.pk} == {SEALED}
    assert not any(SECRET_NAME in repr(row) for row in page)
    names_query = ctx.captured_queries[-1]["sql"]
    asked = re.search(r"petition_id\"? IN \(([^)]*)\)", names_query).group(1)
    assert str(mixed.pk) not in {n.strip() for n in asked.split(",")}


def test_the_page_shows_days_left_and_days_overdue(desk):
    accepted = desk.receive()
    desk.move(accepted, "classify", kind="complaint")
    desk.move(accepted, "accept")
    accepted.refresh_from_db()
    before = accepted.due_on - dt.timedelta(days=2)
    after = accepted.due_on + dt.timedelta(days=3)
    [row] = inbox_page(user=desk.officer, filters=InboxFilters(), today=before).object_list
    assert (row.days_left, row.days_overdue) == (2, 0)
    [row] = inbox_page(user=desk.officer, filters=InboxFilters(), today=after).object_list
    assert (row.days_left, row.days_overdue) == (-3, 3)


def test_the_page_takes_four_queries_however_many_rows(desk):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            inbox_page(user=desk.leader, filters=InboxFilters(), today=TODAY)
        return len(ctx.captured_queries)

    desk.receive()
    small = count()
    for i in range(60):
        desk.receive(received_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 40))
    desk.denunciation()
    # scope, capped count, the page's rows, the names of its petitioners
    assert small == count() == 4


def test_an_out_of_range_page_number_shows_the_last_page(desk):
    for i in range(3):
        desk.receive(received_on=dt.date(2026, 2, 1) + dt.timedelta(days=i))
    page = inbox_page(user=desk.officer, filters=InboxFilters(), number=9, per_page=2)
    assert page.number == 2 and len(page) == 1


def test_the_inbox_page_resolves_the_scope_once(client, desk, mixed):
    client.force_login(desk.leader)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("petitions:inbox"))
    assert response.status_code == 200
    # The permission check, the navigation, the list and the officer picker share one scope.
    assert sum("org_accessgrant" in q["sql"] for q in ctx.captured_queries) == 1
    assert sum("WITH RECURSIVE" in q["sql"] for q in ctx.captured_queries) == 1


def test_the_scope_is_read_once_per_request_and_afresh_outside_one(desk):
    from danvan.org.models import AccessGrant

    user, dept_b = desk.officer, desk.tree.dept_b.pk
    with CaptureQueriesContext(connection) as ctx:
        first = visible_agency_ids(user)
        assert visible_agency_ids(user) == first
    assert len(ctx.captured_queries) == 2  # no request: nothing cached
    token = set_request_info(RequestInfo(request_id="one"))
    try:
        with CaptureQueriesContext(connection) as ctx:
            assert visible_agency_ids(user) == visible_agency_ids(user) == first
            assert is_staff_member(user)
        assert len(ctx.captured_queries) == 1
        AccessGrant.objects.create(user=user, agency=desk.tree.dept_b, reason="Giám sát")
        assert visible_agency_ids(user) == first  # the same request, the same scope
        assert dept_b in visible_agency_ids(user, on=TODAY + dt.timedelta(days=400))
    finally:
        reset_request_info(token)
    assert dept_b in visible_agency_ids(user)
    token = set_request_info(RequestInfo(request_id="two"))
    try:
        assert dept_b in visible_agency_ids(user)  # the object outlived its request
    finally:
        reset_request_info(token)


def test_the_rendered_list_keeps_its_columns(client, desk, mixed):
    client.force_login(desk.leader)
    body = client.get(reverse("petitions:inbox")).content.decode()
    assigned = Petition.objects.get(subject="Đã giao")
    assert SEALED in body and SECRET_NAME not in body
    assert "Lê Văn Một (+2)" in body
    assert f'href="{assigned.get_absolute_url()}"' in body
    assert f'value="{assigned.pk}"' in body  # the leader's assignment checkbox
    assert str(desk.officer) in body
    assert assigned.get_kind_display() in body and assigned.get_status_display() in body
    assert f"{assigned.due_on:%d/%m/%Y}" in body
