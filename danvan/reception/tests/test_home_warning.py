import pytest
from django.urls import reverse

from danvan.org.models import Membership

pytestmark = pytest.mark.django_db


def test_the_staff_home_warns_a_commune_leader_who_held_no_reception(client, org_tree, make_member):
    leader = make_member(org_tree.commune_pc, Membership.Role.LEADER)
    client.force_login(leader)
    body = client.get(reverse("core:home")).content.decode()
    assert 'id="reception-warnings"' in body
    assert reverse("reception:schedule", args=[org_tree.commune_pc.pk]) in body


def test_no_warning_for_an_agency_without_a_statutory_minimum(client, org_tree, make_member):
    client.force_login(make_member(org_tree.dept_a, Membership.Role.LEADER))
    assert 'id="reception-warnings"' not in client.get(reverse("core:home")).content.decode()
