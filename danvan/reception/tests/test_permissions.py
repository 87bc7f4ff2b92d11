"""Every reception permission × every role of the agency, and outsiders."""

import pytest

pytestmark = pytest.mark.django_db

PERMS = {
    # perm: roles of the agency that hold it (outsiders and citizens never do)
    "reception.view_reception": {"chair", "officer", "clerk", "viewer", "city_leader"},
    "reception.plan_session": {"chair", "officer"},
    "reception.cancel_session": {"chair", "officer"},
    "reception.mark_session_held": {"chair", "officer", "clerk"},
    "reception.record_visit": {"chair", "officer", "clerk"},
    "reception.record_refusal": {"chair", "officer", "clerk"},
}
ROLES = ("chair", "officer", "clerk", "viewer", "other_clerk", "city_leader")


@pytest.mark.parametrize("perm", sorted(PERMS))
def test_it_grants_each_permission_to_exactly_the_right_roles(desk, perm):
    from danvan.org.tests.factories import UserFactory

    granted = {role for role in ROLES if getattr(desk, role).has_perm(perm, desk.agency)}
    assert granted == PERMS[perm]
    citizen = UserFactory(kind="citizen")
    assert not citizen.has_perm(perm, desk.agency)
