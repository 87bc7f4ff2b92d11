"""For every role, the API shows exactly the objects (and the redaction) the pages show."""

import datetime as dt

import pytest
from django.urls import reverse

from danvan.api.tests.conftest import bearer
from danvan.org.models import Membership
from danvan.org.tests.factories import UserFactory
from danvan.petitions.models import SEALED
from danvan.petitions.services import PetitionerData, petition_assign, petition_receive
from danvan.plans.tests.conftest import PlanWorld

pytestmark = pytest.mark.django_db
R = Membership.Role


@pytest.fixture
def cases(desk, make_member):
    tree = desk.tree
    dept_clerk = make_member(tree.dept_a, R.CLERK)
    in_dept = petition_receive(
        actor=dept_clerk,
        agency=tree.dept_a,
        channel="post",
        subject="Sở A",
        content="Nội dung",
        received_on=dt.date(2026, 2, 11),
        petitioners=[PetitionerData(full_name="Phạm Văn Sở")],
    )
    assigned = desk.receive(subject="Giao cho cán bộ sở B")
    petition_assign(
        actor=desk.leader, petitions=[assigned], officer=make_member(tree.dept_b, R.OFFICER)
    )
    return [desk.receive(), desk.denunciation(), in_dept, assigned]


def _users(desk, make_member):
    tree = desk.tree
    users = {"superuser": UserFactory(is_superuser=True)}
    for agency in (tree.city, tree.dept_a, tree.commune_pc, tree.front):
        for role in R.values:
            users[f"{role}@{agency.code}"] = make_member(agency, role)
    users["assignee@so-b"] = cases_assignee(desk)
    return users


def cases_assignee(desk):
    from danvan.petitions.models import Petition

    return Petition.objects.exclude(assigned_to=None).get().assigned_to


def _page_view(client, user):
    client.force_login(user)
    response = client.get(reverse("petitions:inbox"))
    return {(p.tracking_code, p.petitioner_label) for p in response.context["page"]}


def _api_view(client, raw):
    client.logout()
    items, cursor = [], None
    while True:
        url = "/api/v1/petitions?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, **bearer(raw)).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            break
    return {(p["tracking_code"], p["petitioner"]) for p in items}


def _raw_token(user, token_for):
    from danvan.api.services import token_agencies

    agency = token_agencies(user).first()
    return token_for(user, agency, access="read")


def test_every_role_sees_the_same_cases_through_the_api_as_on_the_pages(
    client, desk, make_member, cases, token_for
):
    sizes, sealed_seen = set(), False
    for label, user in _users(desk, make_member).items():
        raw = _raw_token(user, token_for)
        page = _page_view(client, user)
        assert _api_view(client, raw) == page, label
        sizes.add(len(page))
        sealed_seen |= any(petitioner == SEALED for _code, petitioner in page)
        for petition in cases:
            client.force_login(user)
            page_code = client.get(petition.get_absolute_url()).status_code
            client.logout()
            api_code = client.get(f"/api/v1/petitions/{petition.pk}", **bearer(raw)).status_code
            assert (page_code, api_code) in ((200, 200), (404, 404)), (label, petition.subject)
        # The browser's session sees the same through the API as a token does.
        client.force_login(user)
        assert {
            (p["tracking_code"], p["petitioner"])
            for p in client.get("/api/v1/petitions?limit=200").json()["items"]
        } == page, label
    assert {0, len(cases)} <= sizes and len(sizes) > 2  # nobody, everybody, and some in between
    assert sealed_seen


def test_every_role_sees_the_same_plans_and_tasks_through_the_api_as_on_the_pages(
    client, org_tree, make_member, token_for
):
    world = PlanWorld(org_tree, make_member)
    users = {
        name: getattr(world, name)
        for name in (
            "issuer_officer",
            "city_leader",
            "lead_officer",
            "lead_leader",
            "lead_clerk",
            "lead_viewer",
            "coord_officer",
            "outsider",
        )
    }
    for label, user in users.items():
        raw = _raw_token(user, token_for)
        client.force_login(user)
        page_plans = {p.pk for p in client.get(reverse("plans:plan_list")).context["plans"]}
        task_page = client.get(world.task.get_absolute_url()).status_code
        client.logout()
        api_plans = {p["id"] for p in client.get("/api/v1/plans", **bearer(raw)).json()["items"]}
        assert api_plans == page_plans, label
        api_task = client.get(f"/api/v1/tasks/{world.task.pk}", **bearer(raw)).status_code
        assert (task_page, api_task) in ((200, 200), (404, 404)), label
