"""Reads of petitions: the scoping rule plus redaction of sealed identities."""

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from danvan.core.paginator import CappedPaginator
from danvan.core.statements import ShapeCache, plain_rows
from danvan.core.text import fold_text
from danvan.org.selectors import ALL, visible_agency_ids
from danvan.petitions import workflow as wf
from danvan.petitions.models import SEALED, Petition, Petitioner, SealedIdentity

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
    sealed, anonymous = petition.is_sealed, petition.is_anonymous
    names = () if sealed or anonymous else [p.full_name for p in petition.petitioners.all()]
    return _label(sealed=sealed, anonymous=anonymous, names=names)


def _label(*, sealed: bool, anonymous: bool, names) -> str:
    """The one redaction rule: a sealed case never shows a name, whatever `names` holds."""
    if sealed:
        return SEALED
    if anonymous or not names:
        return "—"
    extra = f" (+{len(names) - 1})" if len(names) > 1 else ""
    return names[0] + extra


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
    """The officer's cases as model instances (the API's path), open ones first by next
    deadline; a fixed number of queries."""
    return (
        _inbox_queryset(user=user, filters=filters, today=today or timezone.localdate())
        .select_related("agency", "unit", "assigned_to", "sealed_identity")
        .defer(*INBOX_DEFERRED)
        .prefetch_related("petitioners")
    )


def _inbox_queryset(*, user, filters: InboxFilters, today: dt.date) -> QuerySet[Petition]:
    qs = petition_queryset(user=user)
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


KIND_LABELS = dict(Petition.Kind.choices)
STATUS_LABELS = dict(Petition.Status.choices)


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One line of the inbox page: only the columns the list shows (no model instance)."""

    pk: int
    tracking_code: str
    subject: str
    kind: str
    status: str
    is_mass: bool
    due_on: dt.date | None
    assigned_to: str  # the handling officer's name, "" when unassigned
    petitioner_label: str
    days_left: int | None

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    def get_absolute_url(self) -> str:
        return reverse("petitions:case_detail", args=[self.pk])

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def get_status_display(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


# The columns an inbox row is built from, in the order `inbox_rows` unpacks them; "officer"
# and "sealed" are the lookups of `_with_row_lookups`.
ROW_COLUMNS = (
    "id",
    "tracking_code",
    "subject",
    "kind",
    "status",
    "is_mass",
    "due_on",
    "is_anonymous",
    "officer",
    "sealed",
)


def _with_row_lookups(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    """The handling officer's name and whether the case is sealed, as correlated subqueries
    rather than joins: PostgreSQL then looks them up for the page's rows only, after the sort
    and the limit (joined, it hashed the whole user table for every page and took ten times as
    long to plan). Written as SQL fragments (`_row_lookup_sql`): the ORM spent longer resolving
    two subquery expressions than the database spends on the whole page."""
    officer, sealed = _row_lookup_sql()
    return qs.annotate(
        officer=RawSQL(officer, ()),  # noqa: S611 - fixed SQL, no values
        sealed=RawSQL(sealed, ()),  # noqa: S611
    )


@functools.cache
def _row_lookup_sql() -> tuple[str, str]:
    """Only table and column names from the models are interpolated; there are no values."""
    petition, user = Petition._meta, get_user_model()._meta
    p_table, p_officer = petition.db_table, petition.get_field("assigned_to").column
    officer = (
        f'(SELECT COALESCE(NULLIF(u."full_name", \'\'), u."username") FROM "{user.db_table}" u '  # noqa: S608
        f'WHERE u."id" = "{p_table}"."{p_officer}")'
    )
    # A scalar subquery, not EXISTS: PostgreSQL may answer an EXISTS by hashing every sealed
    # case (100,000 at a million petitions) where 25 index probes do.
    sealed = (
        f'(SELECT s."id" FROM "{SealedIdentity._meta.db_table}" s '  # noqa: S608
        f'WHERE s."petition_id" = "{p_table}"."id")'
    )
    return officer, sealed


def inbox_page(
    *, user, filters: InboxFilters, number=1, per_page: int = 50, today: dt.date | None = None
) -> Page:
    """The inbox page `number` (out of range: the last one) as `InboxRow`s: the capped count,
    one query for the page's rows and one for the names of its petitioners."""
    today = today or timezone.localdate()
    qs = _inbox_queryset(user=user, filters=filters, today=today)
    page = CappedPaginator(qs, per_page, shapes=_INBOX_COUNTS).get_page(number)
    rows = _with_row_lookups(page.object_list).values_list(*ROW_COLUMNS)
    page.object_list = inbox_rows(plain_rows(rows, _INBOX_PAGES), today=today)
    return page


# The inbox's count and page statements, compiled once per filter shape (`core.statements`).
_INBOX_COUNTS = ShapeCache()
_INBOX_PAGES = ShapeCache()


# By hand: the ORM spent longer building this statement (one parameter per id) than the
# database spends answering it, on every page of the busiest list.
_NAMES_SQL = (
    f"SELECT petition_id, full_name FROM {Petitioner._meta.db_table} "  # noqa: S608
    "WHERE petition_id IN (%s) ORDER BY petition_id, position, id"
)


def _petitioner_names(petition_ids: list[int]) -> list[tuple[int, str]]:
    """(petition id, full name) of the petitioners of `petition_ids`, in their order."""
    placeholders = ", ".join(["%s"] * len(petition_ids))
    with connection.cursor() as cursor:
        cursor.execute(_NAMES_SQL % placeholders, petition_ids)
        return cursor.fetchall()


def inbox_rows(rows, *, today: dt.date) -> list[InboxRow]:
    """`InboxRow`s from value tuples in `ROW_COLUMNS` order; sealed cases show "[Bảo mật]"."""
    rows = list(rows)
    # A sealed case's petitioners are never read (none are stored; this keeps it so if any were).
    named = [pk for pk, *_, anonymous, _officer, sealed in rows if sealed is None and not anonymous]
    names: dict[int, list[str]] = defaultdict(list)
    if named:
        for petition_id, full_name in _petitioner_names(named):
            names[petition_id].append(full_name)
    out = []
    for pk, code, subject, kind, status, mass, due_on, anonymous, officer, sealed in rows:
        if isinstance(due_on, str):  # SQLite returns dates as text to a plain cursor
            due_on = dt.date.fromisoformat(due_on)
        label = _label(sealed=sealed is not None, anonymous=bool(anonymous), names=names.get(pk))
        out.append(
            InboxRow(
                pk=pk,
                tracking_code=code,
                subject=subject,
                kind=kind,
                status=status,
                is_mass=bool(mass),  # SQLite's plain cursor gives 0/1
                due_on=due_on,
                assigned_to=officer or "",
                petitioner_label=label,
                days_left=(due_on - today).days if due_on else None,
            )
        )
    return out
