"""Scoping: which agencies a user may see, and the scoped querysets every page must use.

The rule (one place, used by lists, details, exports and the API alike):
- anonymous users and citizens: nothing;
- superusers: everything;
- staff: the agencies of their memberships in force today, plus, for leader and inspector
  memberships, every agency below that agency in the tree;
- plus explicit `AccessGrant`s in force (one agency, or its subtree too).
Later modules add per-object assignments (a case assigned to an officer) with `| Q(...)`.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.core.models import AuditEvent
from danvan.org.models import AccessGrant, AdministrativeUnit, Agency, Membership


class _Everything:
    """Sentinel scope of a superuser."""

    def __contains__(self, item) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL"


ALL = _Everything()


def active_memberships(user, *, on: dt.date | None = None) -> QuerySet[Membership]:
    on = on or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.in_force(on)
        .filter(user=user, agency__in=Agency.objects.in_force(on))
        .select_related("agency")
    )


def is_staff_member(user) -> bool:
    """True for superusers and for staff with at least one membership in force."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return False
    return bool(user.is_superuser) or active_memberships(user).exists()


def agency_descendant_ids(root_ids: set[int]) -> set[int]:
    """Return the ids of `root_ids` and of every agency below them (one query)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for agency_id, parent_id in Agency.objects.values_list("id", "parent_id"):
        children[parent_id].append(agency_id)
    seen: set[int] = set()
    stack = list(root_ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(children.get(current, ()))
    return seen


def visible_agency_ids(user, *, on: dt.date | None = None):
    """Return the set of agency ids `user` may see, or ALL for a superuser."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_citizen", False):
        return frozenset()
    if user.is_superuser:
        return ALL
    own: set[int] = set()
    subtree_roots: set[int] = set()
    for agency_id, role in active_memberships(user, on=on).values_list("agency_id", "role"):
        own.add(agency_id)
        if role in Membership.SUBTREE_ROLES:
            subtree_roots.add(agency_id)
    on = on or timezone.localdate()
    for agency_id, subtree in (
        AccessGrant.objects.in_force(on)
        .filter(user=user)
        .values_list("agency_id", "include_subtree")
    ):
        (subtree_roots if subtree else own).add(agency_id)
    if subtree_roots:
        own |= agency_descendant_ids(subtree_roots)
    return frozenset(own)


def scope_queryset(qs: QuerySet, user, *, agency_field: str = "agency") -> QuerySet:
    """Filter `qs` to rows whose `agency_field` is an agency `user` may see."""
    ids = visible_agency_ids(user)
    if ids is ALL:
        return qs
    if not ids:
        return qs.none()
    lookup = "pk__in" if agency_field == "pk" else f"{agency_field}__in"
    return qs.filter(**{lookup: ids})


def agency_list(*, user, query: str = "", kind: str = "") -> QuerySet[Agency]:
    """Agencies `user` may see, optionally filtered by folded text and kind."""
    from danvan.core.text import fold_text

    qs = scope_queryset(Agency.objects.select_related("unit", "parent"), user, agency_field="pk")
    if query:
        qs = qs.filter(search_text__contains=fold_text(query))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def agency_get(*, user, pk: int) -> Agency:
    """Return agency `pk` if `user` may see it; raise Agency.DoesNotExist otherwise."""
    return agency_list(user=user).get(pk=pk)


def membership_list(*, user, agency: Agency | None = None) -> QuerySet[Membership]:
    qs = scope_queryset(Membership.objects.select_related("user", "agency"), user)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("agency__name", "role", "user__full_name")


def audit_event_list(*, user, action: str = "") -> QuerySet[AuditEvent]:
    """Audit events of the agencies in scope, for users allowed to read the audit trail."""
    if not user.has_perm("core.view_audit_events"):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor", "agency")
    ids = visible_agency_ids(user)
    if ids is not ALL:
        qs = qs.filter(Q(agency__in=ids) | Q(actor=user))
    if action:
        qs = qs.filter(action__startswith=action)
    return qs


def agencies_where_user_works(user, roles=(Membership.Role.LEADER, Membership.Role.OFFICER)):
    """Agencies in which `user` holds one of `roles` today (every agency for a superuser)."""
    if getattr(user, "is_superuser", False):
        return Agency.objects.in_force(timezone.localdate()).order_by("name")
    ids = active_memberships(user).filter(role__in=roles).values_list("agency_id", flat=True)
    return Agency.objects.filter(pk__in=list(ids)).order_by("name")


def agencies_of_province(agency: Agency) -> QuerySet[Agency]:
    """Agencies in force whose unit is the province of `agency` or one of its communes."""
    unit = agency.unit
    province_id = unit.pk if unit.level == AdministrativeUnit.Level.PROVINCE else unit.parent_id
    return (
        Agency.objects.in_force(timezone.localdate())
        .filter(Q(unit_id=province_id) | Q(unit__parent_id=province_id))
        .order_by("name")
    )
