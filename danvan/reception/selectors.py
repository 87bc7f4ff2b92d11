"""Reads of citizen reception: scoped lists and the compliance of leaders with the minimums."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from danvan.org.models import Agency
from danvan.org.selectors import agency_get, scope_queryset
from danvan.reception import quota
from danvan.reception.models import (
    ReceptionQuota,
    ReceptionRefusal,
    ReceptionSession,
    ReceptionVisit,
    Role,
)


def reception_agency_get(*, user, pk: int) -> Agency:
    """Return agency `pk` if `user` may see it; raise Agency.DoesNotExist otherwise."""
    return agency_get(user=user, pk=pk)


def session_list(
    *, user, agency: Agency, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[ReceptionSession]:
    qs = scope_queryset(ReceptionSession.objects.select_related("leader"), user).filter(
        agency=agency
    )
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.order_by("date", "id")


def session_get(*, user, agency: Agency, pk: int) -> ReceptionSession:
    """Return session `pk` of `agency` if in scope; raise ReceptionSession.DoesNotExist."""
    return session_list(user=user, agency=agency).get(pk=pk)


def visit_list(*, user, agency: Agency, start: dt.date, end: dt.date) -> QuerySet[ReceptionVisit]:
    """The reception log (Form 03) of `agency` between two dates, oldest first."""
    return (
        scope_queryset(ReceptionVisit.objects.all(), user)
        .filter(agency=agency, visited_on__range=(start, end))
        .select_related("petition", "session__leader")
        .order_by("visited_on", "id")
    )


def refusal_list(
    *, user, agency: Agency, start: dt.date, end: dt.date
) -> QuerySet[ReceptionRefusal]:
    return (
        scope_queryset(ReceptionRefusal.objects.all(), user)
        .filter(agency=agency, refused_on__range=(start, end))
        .order_by("refused_on", "id")
    )


@dataclass(frozen=True)
class ComplianceRow:
    period_start: dt.date
    period_end: dt.date
    held: int
    required: int
    citation: str
    in_progress: bool  # the period has not ended: not yet a shortfall

    @property
    def short(self) -> bool:
        return self.held < self.required and not self.in_progress


@dataclass
class RoleCompliance:
    """How the holder(s) of one role met the minimum in each period."""

    role: str
    leaders: list[str] = field(default_factory=list)
    rows: list[ComplianceRow] = field(default_factory=list)
    quotas: list[ReceptionQuota] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def shortfalls(self) -> int:
        return sum(1 for row in self.rows if row.short)


def _span(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """Widen [start, end] to whole weeks and months, the periods a minimum is counted in."""
    first = min(
        quota.period_bounds(start, quota.WEEK)[0], quota.period_bounds(start, quota.MONTH)[0]
    )
    last = max(quota.period_bounds(end, quota.WEEK)[1], quota.period_bounds(end, quota.MONTH)[1])
    return first, last


def _held_by_role(sessions, expected: str) -> tuple[dict[str, RoleCompliance], dict]:
    """Group held sessions by role (the agency's own head role first, even with none)."""
    entries: dict[str, RoleCompliance] = {}
    if expected:
        entries[expected] = RoleCompliance(expected)
    days: dict[str, list[dt.date]] = {}
    for session in sessions:
        entry = entries.setdefault(session.role, RoleCompliance(session.role))
        if str(session.leader) not in entry.leaders:
            entry.leaders.append(str(session.leader))
        days.setdefault(session.role, []).append(session.date)
    return entries, days


def _judge(entry: RoleCompliance, days: list[dt.date], start: dt.date, end: dt.date) -> None:
    today = timezone.localdate()
    terms = [
        quota.QuotaTerms(q.period, q.minimum_days, q.valid_from, q.valid_to, q.citation)
        for q in entry.quotas
    ]
    for period in quota.quota_compliance(days, terms, start=start, end=end):
        count = period.count
        in_progress = count.period_end >= today
        entry.rows.append(ComplianceRow(*count, period.citation, in_progress))


def reception_compliance(
    *, user, agency: Agency, start: dt.date, end: dt.date
) -> list[RoleCompliance]:
    """Per role heading `agency`: regular sessions held against the minimum in force per period.

    Only regular sessions count: the law sets the periodic minimum and adds unscheduled
    reception on top (TCD Đ15 k2). A cancelled or merely planned session does not count, and a
    period not yet over is not yet a shortfall. Raises Agency.DoesNotExist if `user` may not
    see `agency`.
    """
    agency = reception_agency_get(user=user, pk=agency.pk)
    first, last = _span(start, end)
    held = (
        session_list(user=user, agency=agency, start=first, end=last)
        .filter(status=ReceptionSession.Status.HELD, kind=ReceptionSession.Kind.REGULAR)
        .exclude(role="")
    )
    expected = quota.role_for_agency(agency.kind, agency.unit.level)
    entries, days = _held_by_role(held, expected)
    quotas = list(ReceptionQuota.objects.filter(role__in=list(entries)).order_by("valid_from"))
    for role, entry in entries.items():
        entry.quotas = [q for q in quotas if q.role == role]
        _judge(entry, days.get(role, []), start, end)
    return list(entries.values())
