"""Reads of petitions: the scoping rule plus redaction of sealed identities."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.core.text import fold_text
from danvan.org.selectors import ALL, visible_agency_ids
from danvan.petitions import workflow as wf
from danvan.petitions.models import SEALED, Petition

# Columns an inbox row never shows: left in the database (a page reads 50 rows of each).
INBOX_DEFERRED = (
    "content",
    "search_text",
    "match_keys",
    "eligibility",
    "tracking_secret_hash",
    "sealed_identity__ciphertext",
    "agency__search_text",
    "unit__search_text",
    "assigned_to__password",
)
# "Due soon" in the inbox: deadlines within this many days.
DUE_SOON_DAYS = 3


def petition_queryset(*, user) -> QuerySet[Petition]:
    """Cases `user` may see: those of agencies in scope, plus those assigned to them."""
    qs = Petition.objects.all()
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return qs.none()
    ids = visible_agency_ids(user)
    if ids is ALL:
        return qs
    return qs.filter(Q(agency__in=ids) | Q(assigned_to=user))


def petitioner_label(petition: Petition) -> str:
    """What lists, exports and notifications may show about who sent a petition."""
    if petition.is_sealed:
        return SEALED
    if petition.is_anonymous:
        return "—"
    people = list(petition.petitioners.all())
    if not people:
        return "—"
    extra = f" (+{len(people) - 1})" if len(people) > 1 else ""
    return people[0].full_name + extra


@dataclass
class InboxFilters:
    kind: str = ""
    status: str = ""
    channel: str = ""
    unit: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    due_soon: bool = False
    query: str = ""
    mine: bool = False


def inbox(*, user, filters: InboxFilters, today: dt.date | None = None) -> QuerySet[Petition]:
    """The officer's cases, open ones first by next deadline; a fixed number of queries."""
    today = today or timezone.localdate()
    qs = (
        petition_queryset(user=user)
        .select_related("agency", "unit", "assigned_to", "sealed_identity")
        .defer(*INBOX_DEFERRED)
        .prefetch_related("petitioners")
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.date_from:
        qs = qs.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(received_on__lte=filters.date_to)
    if filters.overdue:
        qs = qs.filter(status__in=wf.OPEN_STATES, due_on__lt=today)
    if filters.due_soon:
        qs = qs.filter(
            status__in=wf.OPEN_STATES,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    if filters.mine:
        qs = qs.filter(assigned_to=user)
    if filters.query:
        qs = qs.filter(search_text__contains=fold_text(filters.query))
    return qs.order_by("due_on", "-received_on", "-id")
