"""Permissions named by verb (django-rules). Predicates combine role and agency scope."""

import rules

from danvan.org.models import Agency, Membership
from danvan.org.selectors import active_memberships, is_staff_member, visible_agency_ids


@rules.predicate
def is_staff(user) -> bool:
    return is_staff_member(user)


def has_role(*roles: str):
    @rules.predicate(name=f"has_role:{','.join(roles)}")
    def predicate(user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return active_memberships(user).filter(role__in=roles).exists()

    return predicate


@rules.predicate
def agency_in_scope(user, agency: Agency | None) -> bool:
    if agency is None:
        return False
    return agency.pk in visible_agency_ids(user)


is_superuser = rules.is_superuser

rules.add_perm("org.view_agency", is_superuser | (is_staff & agency_in_scope))
rules.add_perm("org.view_agency_members", is_superuser | (is_staff & agency_in_scope))
rules.add_perm(
    "core.view_audit_events",
    is_superuser | has_role(Membership.Role.LEADER, Membership.Role.INSPECTOR),
)
rules.add_perm("core.use_deadline_calculator", is_superuser | is_staff)
rules.add_perm("core.view_staff_home", is_superuser | is_staff)
