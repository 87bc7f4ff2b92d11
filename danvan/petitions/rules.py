"""Permissions on petitions, named by verb (django-rules)."""

import rules
from django.utils import timezone

from danvan.org.models import Membership
from danvan.petitions import sealing
from danvan.petitions.models import Petition
from danvan.petitions.selectors import petition_queryset

R = Membership.Role


def _roles_in(user, agency_id, roles) -> bool:
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return False
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, agency_id=agency_id, role__in=roles)
        .exists()
    )


@rules.predicate
def takes_petitions(user) -> bool:
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return False
    return (
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, role__in=[R.LEADER, R.OFFICER, R.CLERK])
        .exists()
    )


@rules.predicate
def can_see(user, petition: Petition | None) -> bool:
    return petition is not None and petition_queryset(user=user).filter(pk=petition.pk).exists()


@rules.predicate
def handles(user, petition: Petition | None) -> bool:
    if petition is None:
        return False
    return petition.assigned_to_id == user.pk or _roles_in(
        user, petition.agency_id, [R.LEADER, R.OFFICER]
    )


@rules.predicate
def leads_agency(user, petition: Petition | None) -> bool:
    return petition is not None and _roles_in(user, petition.agency_id, [R.LEADER])


@rules.predicate
def cleared_for_identity(user, petition: Petition | None) -> bool:
    return petition is not None and sealing.can_reveal(user, petition)


rules.add_perm("petitions.receive_petition", rules.is_superuser | takes_petitions)
rules.add_perm("petitions.view_petition", rules.is_superuser | can_see)
rules.add_perm("petitions.move_petition", handles)
rules.add_perm("petitions.assign_petition", leads_agency)
rules.add_perm("petitions.reveal_identity", cleared_for_identity)
