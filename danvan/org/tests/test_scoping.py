"""Every role × own / other agency on the protected models and pages."""

import pytest
from django.contrib.auth.models import AnonymousUser

from danvan.core.audit import audit_log
from danvan.org.models import Membership
from danvan.org.selectors import (
    ALL,
    agency_list,
    audit_event_list,
    membership_list,
    visible_agency_ids,
)
from danvan.org.tests.factories import MembershipFactory, UserFactory

R = Membership.Role

# role at the city People's Committee → which of the tree's agencies it may see
CITY_ROLE_SCOPE = {
    R.LEADER: {"city", "dept_a", "dept_b", "commune_pc"},
    R.INSPECTOR: {"city", "dept_a", "dept_b", "commune_pc"},
    R.OFFICER: {"city"},
    R.CLERK: {"city"},
    R.VIEWER: {"city"},
}
NAMES = ("city", "dept_a", "dept_b", "commune_pc", "front")


def _ids(tree, names):
    return {getattr(tree, n).pk for n in names}


@pytest.mark.parametrize("role", list(CITY_ROLE_SCOPE))
def test_it_scopes_agencies_by_role_at_the_top_agency(org_tree, make_member, role):
    user = make_member(org_tree.city, role)
    assert visible_agency_ids(user) == _ids(org_tree, CITY_ROLE_SCOPE[role])
    assert set(agency_list(user=user).values_list("pk", flat=True)) == _ids(
        org_tree, CITY_ROLE_SCOPE[role]
    )


@pytest.mark.parametrize("role", list(R))
def test_it_limits_a_department_member_to_their_own_department(org_tree, make_member, role):
    # dept A has no children, so every role sees dept A only — never a sibling or the parent.
    user = make_member(org_tree.dept_a, role)
    assert visible_agency_ids(user) == {org_tree.dept_a.pk}


@pytest.mark.parametrize("role", list(R))
def test_it_shows_members_only_of_agencies_in_scope(org_tree, make_member, role):
    user = make_member(org_tree.dept_a, role)
    MembershipFactory(agency=org_tree.dept_b, role=R.OFFICER)
    MembershipFactory(agency=org_tree.front, role=R.LEADER)
    visible = membership_list(user=user)
    assert {m.agency_id for m in visible} == {org_tree.dept_a.pk}


def test_it_shows_nothing_to_anonymous_citizens_and_staff_without_membership(org_tree):
    citizen = UserFactory(kind="citizen")
    MembershipFactory(user=citizen, agency=org_tree.city, role=R.LEADER)  # ignored: a citizen
    loner = UserFactory()
    for user in (AnonymousUser(), citizen, loner):
        assert not visible_agency_ids(user)
        assert not agency_list(user=user).exists()
        assert not membership_list(user=user).exists()


def test_it_gives_superusers_everything(org_tree):
    admin = UserFactory(is_superuser=True)
    assert visible_agency_ids(admin) is ALL
    assert agency_list(user=admin).count() == len(org_tree.all)


def test_it_ignores_memberships_that_have_ended(org_tree):
    import datetime as dt

    membership = MembershipFactory(
        agency=org_tree.city, role=R.LEADER, valid_to=dt.date(2020, 12, 31)
    )
    assert not visible_agency_ids(membership.user)


@pytest.mark.parametrize(
    ("role", "can_read"),
    [
        (R.LEADER, True),
        (R.INSPECTOR, True),
        (R.OFFICER, False),
        (R.CLERK, False),
        (R.VIEWER, False),
    ],
)
def test_it_lets_only_leaders_and_inspectors_read_the_audit_trail(
    org_tree, make_member, role, can_read
):
    user = make_member(org_tree.city, role)
    audit_log(actor=None, action="test.own", obj=org_tree.dept_a, agency=org_tree.dept_a)
    audit_log(actor=None, action="test.other", obj=org_tree.front, agency=org_tree.front)
    actions = set(audit_event_list(user=user).values_list("action", flat=True))
    assert actions == ({"test.own"} if can_read else set())


@pytest.mark.parametrize("role", list(R))
@pytest.mark.parametrize("target", NAMES)
def test_it_serves_agency_pages_only_in_scope(client, org_tree, make_member, role, target):
    user = make_member(org_tree.city, role)
    client.force_login(user)
    agency = getattr(org_tree, target)
    response = client.get(agency.get_absolute_url())
    expected = 200 if target in CITY_ROLE_SCOPE[role] else 404
    assert response.status_code == expected


def test_an_access_grant_adds_one_agency_or_its_subtree(org_tree, make_member):
    import datetime as dt

    from danvan.org.models import AccessGrant

    user = make_member(org_tree.front, R.OFFICER)
    AccessGrant.objects.create(user=user, agency=org_tree.dept_b, reason="Giám sát")
    assert visible_agency_ids(user) == {org_tree.front.pk, org_tree.dept_b.pk}
    AccessGrant.objects.create(
        user=user,
        agency=org_tree.city,
        include_subtree=True,
        reason="Kiểm tra",
        valid_to=dt.date(2020, 1, 1),
    )
    assert visible_agency_ids(user) == {org_tree.front.pk, org_tree.dept_b.pk}  # expired
    AccessGrant.objects.create(
        user=user, agency=org_tree.city, include_subtree=True, reason="Kiểm tra"
    )
    assert visible_agency_ids(user) == _ids(org_tree, NAMES)
