"""What each figure counts, written once: the dashboard aggregates these filters in SQL and the
drill-down lists the records that match the very same filters, so a number and its list agree.

A figure is (metric, by, value): `metric` says which records count (received in the period,
resolved on time, …), `by`/`value` narrow them to one bucket (kind "complaint", agency 12, …).
"""

import datetime as dt
import functools
import operator
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from danvan.org.selectors import ALL, agency_descendant_ids, visible_agency_ids
from danvan.petitions import workflow as wf
from danvan.petitions.models import Deadline, Petition, Transition
from danvan.plans import status as task_status
from danvan.plans.models import Task
from danvan.plans.status import status_expression
from danvan.reception.models import ReceptionSession
from danvan.reports.periods import Period

# Processing decisions counted as outcomes (TT 05/2021: accepted, transferred, guided, filed).
OUTCOME_ACTIONS = ("accept", "transfer", "guide", "file")

PETITION_METRICS = ("received", "mass", "outcome", "on_time", "late", "open_overdue")
TASK_METRICS = ("tasks",)
SESSION_METRICS = ("reception",)
METRICS = PETITION_METRICS + TASK_METRICS + SESSION_METRICS

# Which field a bucket narrows on, per kind of record.
PETITION_BUCKETS = {
    "kind": "kind",
    "channel": "channel",
    "unit": "unit_id",
    "agency": "agency_id",
    "action": None,  # outcomes: the bucket is the action, handled by the metric itself
}
TASK_BUCKETS = {"status": "status", "content": "content_id", "agency": "lead_agency_id"}
SESSION_BUCKETS = {"agency": "agency_id", "role": "role"}
NONE = "none"  # the bucket of records with no value (e.g. no commune given)
DONE = "done"  # the task bucket of both "done" statuses


class MetricError(ValueError):
    """A drill-down that names no figure."""


@dataclass(frozen=True)
class Scope:
    """Which agencies' records count: `agency_ids` None means every agency."""

    agency_ids: frozenset[int] | None

    @classmethod
    def for_user(cls, user, agency=None) -> "Scope":
        """The agencies `user` may see, narrowed to `agency` and those below it if given."""
        visible = visible_agency_ids(user)
        if agency is None:
            return cls(None if visible is ALL else frozenset(visible))
        subtree = agency_descendant_ids({agency.pk}) | {agency.pk}
        if visible is ALL:
            return cls(frozenset(subtree))
        return cls(frozenset(subtree & set(visible)))

    @classmethod
    def for_agency(cls, agency) -> "Scope":
        """A report's scope: the issuing agency and every agency below it."""
        return cls(frozenset(agency_descendant_ids({agency.pk}) | {agency.pk}))

    def narrow(self, qs: QuerySet, field: str) -> QuerySet:
        if self.agency_ids is None:
            return qs
        return qs.filter(**{f"{field}__in": sorted(self.agency_ids)})


def day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the period as aware datetimes in the local time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def overdue_cut(period: Period, today: dt.date) -> dt.date:
    """Open cases whose deadline fell before this day count as overdue for the period."""
    return min(today, period.end + dt.timedelta(days=1))


# -- petitions ----------------------------------------------------------------------------------


def petition_base(scope: Scope) -> QuerySet[Petition]:
    return scope.narrow(Petition.objects.all(), "agency_id")


def received_q(period: Period) -> Q:
    return Q(received_on__gte=period.start, received_on__lte=period.end)


def received_in(spans: list[Period]) -> Q:
    """Received on any day of `spans` (the live parts of a period; see `reports.rollups`)."""
    return _any(received_q(p) for p in spans)


def _any(qs) -> Q:
    """The OR of a non-empty sequence of filters."""
    return functools.reduce(operator.or_, qs)


def transitions_in(period: Period, action: str) -> QuerySet[Transition]:
    return Transition.objects.filter(decided_q(period), action=action)


def resolutions_met(period: Period) -> QuerySet[Deadline]:
    """Resolution clocks met in the period (one per case: the clock is unique per kind)."""
    return Deadline.objects.filter(kind=Deadline.Kind.RESOLVE).filter(met_q(period))


def met_q(period: Period) -> Q:
    return Q(met_on__gte=period.start, met_on__lte=period.end)


def met_in(spans: list[Period]) -> Q:
    """A clock met on any day of `spans`."""
    return _any(met_q(p) for p in spans)


def resolutions_met_in(spans: list[Period]) -> QuerySet[Deadline]:
    return Deadline.objects.filter(kind=Deadline.Kind.RESOLVE).filter(met_in(spans))


def decided_q(period: Period) -> Q:
    """A transition made on a day of the period (local time)."""
    start, end = day_bounds(period)
    return Q(at__gte=start, at__lt=end)


def decided_in(spans: list[Period]) -> Q:
    return _any(decided_q(p) for p in spans)


def on_time_q() -> Q:
    """A clock met on or before its due day (met on the due day itself is on time)."""
    return Q(met_on__lte=F("due_on"))


def petition_metric_q(metric: str, period: Period, today: dt.date, action: str = "") -> Q:
    """The filter on Petition rows that `metric` counts."""
    if metric == "received":
        return received_q(period)
    if metric == "mass":
        return received_q(period) & Q(is_mass=True)
    if metric == "outcome":
        if action not in OUTCOME_ACTIONS:
            raise MetricError(f"unknown outcome {action!r}")
        return Q(Exists(transitions_in(period, action).filter(petition=OuterRef("pk"))))
    if metric == "on_time":
        met = resolutions_met(period).filter(on_time_q())
        return Q(Exists(met.filter(petition=OuterRef("pk"))))
    if metric == "late":
        met = resolutions_met(period).exclude(on_time_q())
        return Q(Exists(met.filter(petition=OuterRef("pk"))))
    if metric == "open_overdue":
        return Q(status__in=sorted(wf.OPEN_STATES), due_on__lt=overdue_cut(period, today))
    raise MetricError(f"unknown petition metric {metric!r}")


# -- tasks ----------------------------------------------------------------------------------------


def task_base(scope: Scope, today: dt.date) -> QuerySet[Task]:
    """Dated tasks (occurrences, not recurring templates) with their status as of `today`."""
    dated = Q(recurrence=Task.Recurrence.NONE) | Q(occurrence_of__isnull=False)
    qs = Task.objects.filter(dated).annotate(status=status_expression(today))
    return scope.narrow(qs, "lead_agency_id")


def task_metric_q(period: Period) -> Q:
    return Q(due_on__gte=period.start, due_on__lte=period.end)


# -- reception -------------------------------------------------------------------------------------


def session_base(scope: Scope) -> QuerySet[ReceptionSession]:
    return scope.narrow(ReceptionSession.objects.all(), "agency_id")


def session_metric_q(period: Period) -> Q:
    return Q(
        date__gte=period.start,
        date__lte=period.end,
        status=ReceptionSession.Status.HELD,
        kind=ReceptionSession.Kind.REGULAR,
    )


# -- drill-down ------------------------------------------------------------------------------------


def _narrow(qs: QuerySet, buckets: dict, by: str, value: str) -> QuerySet:
    if by not in buckets or buckets[by] is None:
        raise MetricError(f"cannot narrow by {by!r}")
    field = buckets[by]
    if value == NONE:
        return qs.filter(**{f"{field}__isnull": True})
    if by == "status" and value == DONE:
        return qs.filter(status__in=task_status.DONE)
    if field.endswith("_id"):
        try:
            return qs.filter(**{field: int(value)})
        except ValueError as exc:
            raise MetricError(f"{by} must be a number") from exc
    return qs.filter(**{field: value})


def _bucket(qs: QuerySet, buckets: dict, by: str, value: str) -> QuerySet:
    """Narrow `qs` to one bucket; `by` and `value` may list several, comma-separated
    ("unit,kind" and "12,complaint": complaints about commune 12)."""
    if not by:
        return qs
    names, values = by.split(","), value.split(",")
    if len(names) != len(values):
        raise MetricError("as many values as buckets are needed")
    for name, one in zip(names, values, strict=True):
        qs = _narrow(qs, buckets, name, one)
    return qs


def records(
    *, scope: Scope, period: Period, metric: str, by: str = "", value: str = "", today: dt.date
) -> QuerySet:
    """The records the figure (metric, by, value) counts, in the scope and period."""
    if metric in PETITION_METRICS:
        action = value if by == "action" else ""
        qs = petition_base(scope).filter(petition_metric_q(metric, period, today, action))
        return _bucket(qs, PETITION_BUCKETS, "" if by == "action" else by, value)
    if metric in TASK_METRICS:
        qs = task_base(scope, today).filter(task_metric_q(period))
        return _bucket(qs, TASK_BUCKETS, by, value)
    if metric in SESSION_METRICS:
        qs = session_base(scope).filter(session_metric_q(period))
        return _bucket(qs, SESSION_BUCKETS, by, value)
    raise MetricError(f"unknown metric {metric!r}")
