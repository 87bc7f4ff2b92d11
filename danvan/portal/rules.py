"""Permissions on the portal's content, named by verb (django-rules, autodiscovered)."""

import rules
from django.utils import timezone

from danvan.org.models import Membership
from danvan.petitions import workflow as wf

MODERATOR_ROLES = (Membership.Role.LEADER, Membership.Role.OFFICER)
# A case's answer may be published once the case has an outcome to publish.
ANSWERABLE_STATES = frozenset({wf.RESOLVED, wf.CLOSED})


def _is_staff_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and not getattr(user, "is_citizen", False)


def moderated_agency_ids(user):
    """Agency ids whose articles' feedback `user` moderates; None means every agency."""
    if not _is_staff_user(user):
        return frozenset()
    if user.is_superuser:
        return None
    return frozenset(
        Membership.objects.in_force(timezone.localdate())
        .filter(user=user, role__in=MODERATOR_ROLES)
        .values_list("agency_id", flat=True)
    )


@rules.predicate
def moderates_article(user, article) -> bool:
    """A superuser, or a leader/officer in force of the agency that published `article`."""
    if article is None:
        return False
    ids = moderated_agency_ids(user)
    return ids is None or article.agency_id in ids


@rules.predicate
def moves_petition(user, petition) -> bool:
    return petition is not None and user.has_perm("petitions.move_petition", petition)


@rules.predicate
def is_answerable(user, petition) -> bool:
    return petition is not None and petition.status in ANSWERABLE_STATES


@rules.predicate
def moves_answered_petition(user, answer) -> bool:
    return answer is not None and user.has_perm("petitions.move_petition", answer.petition)


rules.add_perm("portal.moderate_feedback", moderates_article)
rules.add_perm("portal.publish_answer", moves_petition & is_answerable)
rules.add_perm("portal.withdraw_answer", moves_answered_petition)
