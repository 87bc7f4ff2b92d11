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
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.core.models import AuditEvent
from danvan.core.request_context import current_request_info
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


@dataclass(frozen=True)
class Scope:
    """What one user reaches on one day: their roles by agency, and every agency they may see."""

    roles: frozenset[tuple[int, str]]  # (agency id, role) of the memberships in force
    agency_ids: frozenset[int]


# Where a user object keeps its scope during a request. Like Django's permission cache
# (ModelBackend's `_perm_cache`) it sits on the user object, and `request.user` is loaded afresh
# for every request; the request id guards the odd object that outlives its request.
_SCOPE_CACHE = "_danvan_scope"


def user_scope(user, *, on: dt.date | None = None) -> Scope:
    """The scope of a signed-in user on `on` (today), from one query.

    Within a request it is resolved once (the permission check, the navigation, the list and
    its filters all ask); outside a request (workers, commands, tests calling selectors) every
    call reads the database, so a change to memberships or grants is seen at once.
    """
    on = on or timezone.localdate()
    request_id = current_request_info().request_id
    if not request_id:
        return _scope_query(user, on)
    cached = getattr(user, _SCOPE_CACHE, None)
    if cached is None or cached[0] != request_id:
        cached = (request_id, {})
        setattr(user, _SCOPE_CACHE, cached)
    if on not in cached[1]:
        cached[1][on] = _scope_query(user, on)
    return cached[1][on]


def _in_force(alias: str) -> str:
    """SQL of `DatedQuerySet.in_force` on table `alias`; the day is the next parameter, twice."""
    return (
        f"({alias}.valid_from IS NULL OR {alias}.valid_from <= %s)"
        f" AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= %s)"
    )


_SUBTREE_ROLES = sorted(Membership.SUBTREE_ROLES)
# The scope rule of the module docstring as one statement (the ORM has no recursive queries):
# the memberships in force in agencies in force and the grants in force are the roots; the
# agencies below the roots whose reach extends downwards (leader and inspector memberships,
# grants with their subtree) follow. Only table names are interpolated; values are parameters.
_SCOPE_SQL = f"""WITH RECURSIVE
    roots(agency_id, role, subtree) AS (
        SELECT m.agency_id, m.role,
            CASE WHEN m.role IN ({", ".join(["%s"] * len(_SUBTREE_ROLES))}) THEN 1 ELSE 0 END
        FROM {Membership._meta.db_table} m JOIN {Agency._meta.db_table} a ON a.id = m.agency_id
        WHERE m.user_id = %s AND {_in_force("m")} AND {_in_force("a")}
        UNION ALL
        SELECT g.agency_id, '', CASE WHEN g.include_subtree THEN 1 ELSE 0 END
        FROM {AccessGrant._meta.db_table} g
        WHERE g.user_id = %s AND {_in_force("g")}),
    below(id) AS (
        SELECT agency_id FROM roots WHERE subtree = 1
        UNION SELECT a.id FROM {Agency._meta.db_table} a JOIN below b ON a.parent_id = b.id)
    SELECT agency_id, role FROM roots UNION ALL SELECT id, '' FROM below"""  # noqa: S608


def _scope_query(user, on: dt.date) -> Scope:
    """The user's roles and agencies in scope from one round trip (`_SCOPE_SQL`)."""
    roles, ids = set(), set()
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, [*_SUBTREE_ROLES, user.pk, on, on, on, on, user.pk, on, on])
        for agency_id, role in cursor.fetchall():
            ids.add(agency_id)
            if role:
                roles.add((agency_id, role))
    return Scope(roles=frozenset(roles), agency_ids=frozenset(ids))


def _is_staff_user(user) -> bool:
    return getattr(user, "is_authenticated", False) and not getattr(user, "is_citizen", False)


def is_staff_member(user) -> bool:
    """True for superusers and for staff with at least one membership in force."""
    if not _is_staff_user(user):
        return False
    return bool(user.is_superuser) or bool(user_scope(user).roles)


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
    if not _is_staff_user(user):
        return frozenset()
    if user.is_superuser:
        return ALL
    return user_scope(user, on=on).agency_ids


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
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    ids = {agency_id for agency_id, role in user_scope(user).roles if role in roles}
    return Agency.objects.filter(pk__in=ids).order_by("name")


def agencies_of_province(agency: Agency) -> QuerySet[Agency]:
    """Agencies in force whose unit is the province of `agency` or one of its communes."""
    unit = agency.unit
    province_id = unit.pk if unit.level == AdministrativeUnit.Level.PROVINCE else unit.parent_id
    return (
        Agency.objects.in_force(timezone.localdate())
        .filter(Q(unit_id=province_id) | Q(unit__parent_id=province_id))
        .order_by("name")
    )
