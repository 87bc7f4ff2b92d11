"""Who may do what on a plan: every role × issuing / lead / coordinating / other agency."""

import pytest
from django.urls import reverse

from danvan.org.models import Membership
from danvan.org.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
R = Membership.Role

# (agency of the user, role) → expected (view_plan, change_plan, post_progress, review_progress)
CASES = [
    ("city", R.LEADER, (True, True, False, False)),
    ("city", R.OFFICER, (True, True, False, False)),
    ("city", R.VIEWER, (True, False, False, False)),
    ("dept_a", R.LEADER, (True, False, True, True)),
    ("dept_a", R.OFFICER, (True, False, True, True)),
    ("dept_a", R.CLERK, (True, False, False, False)),
    ("dept_a", R.VIEWER, (True, False, False, False)),
    ("dept_b", R.OFFICER, (True, False, True, False)),
    ("dept_b", R.VIEWER, (True, False, False, False)),
    ("commune_pc", R.LEADER, (False, False, False, False)),
    ("front", R.LEADER, (False, False, False, False)),
]


@pytest.mark.parametrize(("agency", "role", "expected"), CASES)
def test_permissions_by_role_and_agency(world, agency, role, expected):
    user = MembershipFactory(agency=getattr(world.tree, agency), role=role).user
    got = (
        user.has_perm("plans.view_plan", world.plan),
        user.has_perm("plans.change_plan", world.plan),
        user.has_perm("plans.post_progress", world.task),
        user.has_perm("plans.review_progress", world.task),
    )
    assert got == expected


def test_nobody_posts_on_a_closed_plan(world):
    from danvan.plans.services import plan_set_status

    plan_set_status(actor=None, plan=world.plan, status="closed")
    world.task.refresh_from_db()
    assert not world.lead_officer.has_perm("plans.post_progress", world.task)
    assert not world.issuer_officer.has_perm("plans.change_plan", world.task.plan)


@pytest.mark.parametrize(
    ("user_attr", "status"),
    [
        ("issuer_officer", 200),
        ("lead_viewer", 200),
        ("coord_officer", 200),
        ("outsider", 404),
    ],
)
def test_pages_answer_by_scope(client, world, user_attr, status):
    client.force_login(getattr(world, user_attr))
    assert client.get(world.plan.get_absolute_url()).status_code == status
    assert client.get(world.task.get_absolute_url()).status_code == status


def test_a_viewer_cannot_post_progress_even_by_hand(client, world):
    client.force_login(world.lead_viewer)
    response = client.post(
        world.task.get_absolute_url(), {"agency": world.tree.dept_a.pk, "text": "x", "percent": 50}
    )
    assert response.status_code == 403
    assert not world.task.updates.exists()


def test_only_the_issuing_agency_edits_the_plan(client, world):
    client.force_login(world.lead_officer)
    assert client.get(reverse("plans:plan_edit", args=[world.plan.pk])).status_code == 403
    client.force_login(world.issuer_officer)
    assert client.get(reverse("plans:plan_edit", args=[world.plan.pk])).status_code == 200
