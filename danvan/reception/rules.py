"""Permissions on citizen reception, named by verb (django-rules).

Reading the schedule and the log follows the scoping rule (org.selectors); writing needs a role
in the agency itself: the reception desk's clerks and officers and the agency's leaders record
what happens; only officers and leaders put sessions on the schedule.
"""

import rules
from django.utils import timezone

from danvan.org.models import Agency, Membership
from danvan.org.rules import agency_in_scope, is_staff

R = Membership.Role
DESK_ROLES = (R.LEADER, R.OFFICER, R.CLERK)
SCHEDULING_ROLES = (R.LEADER, R.OFFICER)


def _works_in(user, agency: Agency | None, roles) -> bool:
    if agency is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_citizen", False):
        return False
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, agency=agency, role__in=roles)
        .exists()
    )


@rules.predicate
def works_at_desk(user, agency: Agency | None) -> bool:
    return _works_in(user, agency, DESK_ROLES)


@rules.predicate
def schedules_reception(user, agency: Agency | None) -> bool:
    return _works_in(user, agency, SCHEDULING_ROLES)


is_superuser = rules.is_superuser

rules.add_perm("reception.view_reception", is_superuser | (is_staff & agency_in_scope))
rules.add_perm("reception.plan_session", is_superuser | schedules_reception)
rules.add_perm("reception.cancel_session", is_superuser | schedules_reception)
rules.add_perm("reception.mark_session_held", is_superuser | works_at_desk)
rules.add_perm("reception.record_visit", is_superuser | works_at_desk)
rules.add_perm("reception.record_refusal", is_superuser | works_at_desk)
