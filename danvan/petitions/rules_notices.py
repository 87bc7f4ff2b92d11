"""Who may draw up a case's notices and its verification copy (django-rules).

Not named rules.py, so django-rules' autodiscovery skips it: urls_notices imports it, which
registers the permission whenever the URLs are loaded.
"""

import rules

from danvan.org.models import Membership
from danvan.org.selectors import active_memberships

NOTICE_ROLES = (Membership.Role.LEADER, Membership.Role.OFFICER)


@rules.predicate
def works_in_handling_agency(user, petition) -> bool:
    """A leader or officer, in force today, of the agency handling `petition`."""
    if petition is None or getattr(user, "is_citizen", False):
        return False
    return (
        active_memberships(user)
        .filter(agency_id=petition.agency_id, role__in=NOTICE_ROLES)
        .exists()
    )


rules.add_perm("petitions.generate_notice", works_in_handling_agency)
