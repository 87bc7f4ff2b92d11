"""Walk every URL pattern as unprivileged users: no 500, no protected data in any answer."""

import re

import pytest
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.urls import get_resolver

from danvan.core.audit import audit_log
from danvan.org.models import Membership
from danvan.org.tests.factories import MembershipFactory, UserFactory

SECRET_NAME = "Tuyệt Mật Nguyễn"
SECRET_AGENCY = "Cơ quan Bí mật Zeta"
ALLOWED = {200, 302, 400, 401, 403, 404, 405}  # 401: the API without a token
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")


def _all_paths(values: dict[str, str]) -> list[str]:
    paths = set()
    for _view, regex, _ns, _name in extract_views_from_urlpatterns(get_resolver().url_patterns):
        path = simplify_regex(regex)
        if "<url>" in path:  # the admin's catch-all
            path = path.replace("<url>", "no-such-page/")
        paths.add(PLACEHOLDER.sub(lambda m: values.get(m.group(1), "1"), path))
    return sorted(paths)


@pytest.fixture
def protected(org_tree):
    org_tree.front.name = SECRET_AGENCY
    org_tree.front.save()
    member = MembershipFactory(
        agency=org_tree.front,
        role=Membership.Role.LEADER,
        user=UserFactory(username="secret", full_name=SECRET_NAME),
    )
    event = audit_log(
        actor=member.user, action="test.secret", obj=org_tree.front, agency=org_tree.front
    )
    return {
        "pk": str(org_tree.front.pk),
        "object_id": str(event.pk),
        "id": str(member.user.pk),
        "app_label": "org",
    }


def _unprivileged_users(org_tree):
    citizen = UserFactory(username="citizen", kind="citizen")
    no_membership = UserFactory(username="nobody")
    outsider = MembershipFactory(agency=org_tree.dept_a, role=Membership.Role.OFFICER).user
    return {
        "anonymous": None,
        "citizen": citizen,
        "no-membership": no_membership,
        "other-agency officer": outsider,
    }


def test_it_never_errors_or_leaks_for_unprivileged_users(client, org_tree, protected):
    paths = _all_paths(protected)
    assert len(paths) > 40  # the walk really covers the site, admin included
    failures = []
    for label, user in _unprivileged_users(org_tree).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            body = response.content.decode(errors="replace")
            if response.status_code not in ALLOWED:
                failures.append(f"{label} GET {path}: {response.status_code}")
            if SECRET_NAME in body or SECRET_AGENCY in body:
                failures.append(f"{label} GET {path}: protected data in the page")
    assert not failures, "\n".join(failures)
