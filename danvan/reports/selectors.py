"""The figures of a period for a scope, aggregated in SQL: a fixed number of queries whatever the
number of records. The result is plain JSON-safe data, so a submitted report can freeze it."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from danvan.org.models import Agency
from danvan.petitions import workflow as wf
from danvan.petitions.models import Transition
from danvan.plans import status as task_status
from danvan.reception import quota
from danvan.reception.models import ReceptionQuota
from danvan.reports import metrics as m
from danvan.reports.periods import Period, previous, trailing

# Counts are COUNT(*), or COUNT(<a non-null indexed column>) where filtered, not COUNT(id), so
# PostgreSQL can answer them from the covering indexes alone (docs/performance.md).
HOTSPOTS = 10
UNITS_SHOWN = 15
TREND_PERIODS = 6
TASK_STATUSES = (
    task_status.DONE_ON_TIME,
    task_status.DONE_LATE,
    task_status.IN_PROGRESS,
    task_status.NOT_STARTED,
    task_status.OVERDUE,
)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def headline(scope: m.Scope, period: Period, today: dt.date) -> dict:
    """The few totals compared with the previous period; four queries."""
    # Each count filters in WHERE, so it reads its index range, not the whole table.
    petitions = (
        m.petition_base(scope)
        .filter(m.received_q(period))
        .aggregate(received=Count("*"), mass=Count("kind", filter=Q(is_mass=True)))
    )
    petitions["open_overdue"] = (
        m.petition_base(scope).filter(m.petition_metric_q("open_overdue", period, today)).count()
    )
    met = m.resolutions_met(period).filter(petition__in=m.petition_base(scope))
    clocks = met.aggregate(
        on_time=Count("due_on", filter=m.on_time_q()), late=Count("due_on", filter=~m.on_time_q())
    )
    tasks = (
        m.task_base(scope, today)
        .filter(m.task_metric_q(period))
        .aggregate(
            tasks_due=Count("*"),
            tasks_done=Count("pk", filter=Q(status__in=task_status.DONE)),
            tasks_on_time=Count("pk", filter=Q(status=task_status.DONE_ON_TIME)),
            tasks_overdue=Count("pk", filter=Q(status=task_status.OVERDUE)),
        )
    )
    result = {**petitions, **clocks, **tasks}
    result["on_time_rate"] = _rate(
        result["on_time"], result["on_time"] + result["late"] + result["open_overdue"]
    )
    return result


def _petition_breakdowns(scope: m.Scope, period: Period, today: dt.date) -> dict:
    received = m.petition_base(scope).filter(m.received_q(period))
    by_kind = dict(received.values_list("kind").annotate(n=Count("*")).order_by())
    by_channel = dict(received.values_list("channel").annotate(n=Count("*")).order_by())
    units = (
        received.values("unit_id", "unit__name").annotate(n=Count("*")).order_by("-n", "unit_id")
    )
    hotspots = (
        received.filter(unit__isnull=False)
        .values("unit_id", "unit__name", "kind")
        .annotate(n=Count("*"))
        .order_by("-n", "unit_id", "kind")[:HOTSPOTS]
    )
    start, end = m.day_bounds(period)
    outcomes = dict(
        Transition.objects.filter(
            petition__in=m.petition_base(scope),
            action__in=m.OUTCOME_ACTIONS,
            at__gte=start,
            at__lt=end,
        )
        .values_list("action")
        .annotate(n=Count("petition_id", distinct=True))
        .order_by()
    )
    return {
        "by_kind": {k: by_kind.get(k, 0) for k in wf.KINDS},
        "by_channel": by_channel,
        "by_unit": [
            {"id": row["unit_id"], "name": row["unit__name"] or "", "count": row["n"]}
            for row in units[:UNITS_SHOWN]
        ],
        "hotspots": [
            {"unit_id": r["unit_id"], "unit": r["unit__name"], "kind": r["kind"], "count": r["n"]}
            for r in hotspots
        ],
        "outcomes": {a: outcomes.get(a, 0) for a in m.OUTCOME_ACTIONS},
    }


def _petitions_by_agency(scope: m.Scope, period: Period, today: dt.date) -> list[dict]:
    base = m.petition_base(scope)
    rows: dict[int, dict] = {}

    def row(agency_id, name) -> dict:
        return rows.setdefault(
            agency_id,
            {"id": agency_id, "name": name, "received": 0, "mass": 0, "on_time": 0, "late": 0}
            | {"open_overdue": 0},
        )

    received = (
        base.filter(m.received_q(period))
        .values("agency_id", "agency__name")
        .annotate(n=Count("*"), mass=Count("kind", filter=Q(is_mass=True)))
        .order_by()
    )
    for r in received:
        row(r["agency_id"], r["agency__name"]).update(received=r["n"], mass=r["mass"])
    clocks = (
        m.resolutions_met(period)
        .filter(petition__in=base)
        .values("petition__agency_id", "petition__agency__name")
        .annotate(
            on_time=Count("due_on", filter=m.on_time_q()),
            late=Count("due_on", filter=~m.on_time_q()),
        )
        .order_by()
    )
    for r in clocks:
        row(r["petition__agency_id"], r["petition__agency__name"]).update(
            on_time=r["on_time"], late=r["late"]
        )
    overdue = (
        base.filter(m.petition_metric_q("open_overdue", period, today))
        .values("agency_id", "agency__name")
        .annotate(n=Count("*"))
        .order_by()
    )
    for r in overdue:
        row(r["agency_id"], r["agency__name"])["open_overdue"] = r["n"]
    for r in rows.values():
        r["on_time_rate"] = _rate(r["on_time"], r["on_time"] + r["late"] + r["open_overdue"])
    return sorted(rows.values(), key=lambda r: (-r["received"], r["name"]))


def _tasks(scope: m.Scope, period: Period, today: dt.date) -> dict:
    due = m.task_base(scope, today).filter(m.task_metric_q(period))
    by_status = dict(due.values_list("status").annotate(n=Count("*")).order_by())
    contents: dict[int, dict] = {}
    for r in (
        due.values("content_id", "content__number", "content__title", "plan__title", "status")
        .annotate(n=Count("*"))
        .order_by("plan__title", "content__number")
    ):
        entry = contents.setdefault(
            r["content_id"],
            {
                "id": r["content_id"],
                "number": r["content__number"],
                "title": r["content__title"],
                "plan": r["plan__title"],
                "total": 0,
            }
            | dict.fromkeys(TASK_STATUSES, 0),
        )
        entry[r["status"]] += r["n"]
        entry["total"] += r["n"]
    agencies: dict[int, dict] = {}
    for r in (
        due.values("lead_agency_id", "lead_agency__name", "status")
        .annotate(n=Count("*"))
        .order_by()
    ):
        entry = agencies.setdefault(
            r["lead_agency_id"],
            {"id": r["lead_agency_id"], "name": r["lead_agency__name"], "total": 0}
            | dict.fromkeys(TASK_STATUSES, 0),
        )
        entry[r["status"]] += r["n"]
        entry["total"] += r["n"]
    return {
        "total": sum(by_status.values()),
        "by_status": {s: by_status.get(s, 0) for s in TASK_STATUSES},
        "by_content": list(contents.values()),
        "by_agency": sorted(agencies.values(), key=lambda r: (-r["total"], r["name"])),
    }


def _reception(scope: m.Scope, period: Period, today: dt.date) -> list[dict]:
    """Regular reception sessions held per leader role against the statutory minimum (three
    queries: agencies, sessions, minimums; the arithmetic is `reception.quota`)."""
    heads = {
        a["id"]: (a, quota.role_for_agency(a["kind"], a["unit__level"]))
        for a in scope.narrow(Agency.objects.all(), "id").values(
            "id", "name", "kind", "unit__level"
        )
    }
    heads = {pk: v for pk, v in heads.items() if v[1]}
    sessions: dict[tuple[int, str], dict] = {}
    for r in (
        m.session_base(scope)
        .filter(m.session_metric_q(period), agency_id__in=sorted(heads))
        .exclude(role="")
        .values("agency_id", "role", "date", "leader__full_name", "leader__username")
        .order_by("date")
    ):
        entry = sessions.setdefault(
            (r["agency_id"], r["role"]), {"sessions": 0, "days": set(), "leaders": []}
        )
        entry["sessions"] += 1
        entry["days"].add(r["date"])
        leader = r["leader__full_name"] or r["leader__username"]
        if leader not in entry["leaders"]:
            entry["leaders"].append(leader)
    terms: dict[str, list] = defaultdict(list)
    for q in ReceptionQuota.objects.order_by("valid_from"):
        terms[q.role].append(
            quota.QuotaTerms(q.period, q.minimum_days, q.valid_from, q.valid_to, q.citation)
        )
    keys = {(pk, role) for pk, (_a, role) in heads.items()} | set(sessions)
    judged = {}
    for role in {role for _pk, role in keys}:
        mine = {k: sessions.get(k, {}).get("days", ()) for k in keys if k[1] == role}
        judged |= quota.compliance_totals(
            mine, terms[role], start=period.start, end=period.end, today=today
        )
    rows = []
    for agency_id, role in sorted(keys, key=lambda k: (heads[k[0]][0]["name"], k[1])):
        entry = sessions.get((agency_id, role), {"sessions": 0, "days": set(), "leaders": []})
        periods_, required, short = judged[(agency_id, role)]
        rows.append(
            {
                "agency_id": agency_id,
                "agency": heads[agency_id][0]["name"],
                "role": role,
                "leaders": entry["leaders"],
                "sessions": entry["sessions"],
                "days": len(entry["days"]),
                "required": required,
                "periods": periods_,
                "short_periods": short,
            }
        )
    return rows


def _trend(scope: m.Scope, periods: list[Period]) -> list[dict]:
    first, last = periods[0].start, periods[-1].end
    received = (
        m.petition_base(scope)
        .filter(received_on__gte=first, received_on__lte=last)
        .aggregate(
            **{f"p{i}": Count("kind", filter=m.received_q(p)) for i, p in enumerate(periods)}
        )
    )
    met = (
        m.resolutions_met(Period("custom", first, last))
        .filter(petition__in=m.petition_base(scope))
        .aggregate(
            **{
                f"p{i}": Count("due_on", filter=Q(met_on__gte=p.start, met_on__lte=p.end))
                for i, p in enumerate(periods)
            }
        )
    )
    return [
        {"period": p.as_dict(), "received": received[f"p{i}"], "resolved": met[f"p{i}"]}
        for i, p in enumerate(periods)
    ]


def compute_figures(*, scope: m.Scope, period: Period, today: dt.date, cutoff_day: int) -> dict:
    """Every figure of the dashboard and the report for `scope` over `period` as of `today`."""
    before = previous(period, cutoff_day=cutoff_day)
    petitions = _petition_breakdowns(scope, period, today)
    petitions["by_agency"] = _petitions_by_agency(scope, period, today)
    # Mass petitions are few: filter them in WHERE so only their rows are read for the headcount.
    petitions["mass"] = (
        m.petition_base(scope)
        .filter(m.received_q(period), is_mass=True)
        .aggregate(petitions=Count("*"), people=Coalesce(Sum("petitioner_count"), 0))
    )
    return {
        "period": period.as_dict(),
        "previous_period": before.as_dict(),
        "as_of": today.isoformat(),
        "headline": headline(scope, period, today),
        "previous": headline(scope, before, today),
        "petitions": petitions,
        "tasks": _tasks(scope, period, today),
        "reception": _reception(scope, period, today),
        "trend": _trend(scope, trailing(period, TREND_PERIODS, cutoff_day=cutoff_day)),
    }


def plan_sections(*, plan, period: Period, today: dt.date) -> list[dict]:
    """The plan's contents with their tasks due in the period (the report's numbered sections);
    one query for the contents and one for the tasks."""
    if plan is None:
        return []
    sections = {
        c.pk: {
            "id": c.pk,
            "number": c.number,
            "title": c.title,
            "tasks": [],
            "counts": {"total": 0} | dict.fromkeys(TASK_STATUSES, 0),
        }
        for c in plan.contents.order_by("number")
    }
    tasks = (
        m.task_base(m.Scope(None), today)
        .filter(m.task_metric_q(period), plan=plan)
        .select_related("lead_agency")
        .order_by("content__number", "due_on", "pk")
    )
    for task in tasks:
        section = sections[task.content_id]
        section["tasks"].append(
            {
                "id": task.pk,
                "title": task.title,
                "lead_agency": task.lead_agency.name,
                "due_on": f"{task.due_on:%d/%m/%Y}",
                "status": task.status,
                "percent": task.percent,
            }
        )
        section["counts"]["total"] += 1
        section["counts"][task.status] += 1
    return list(sections.values())


def report_data(report, *, today: dt.date, cutoff_day: int, live: bool = False) -> dict:
    """The figures a report shows: frozen once submitted, live while a draft (or if `live`)."""
    if report.figures is not None and not live:
        return report.figures
    data = compute_figures(
        scope=m.Scope.for_agency(report.agency),
        period=report.period,
        today=today,
        cutoff_day=cutoff_day,
    )
    data["sections"] = plan_sections(plan=report.plan, period=report.period, today=today)
    return data
