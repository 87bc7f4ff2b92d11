"""The figures of a period for a scope, aggregated in SQL: a fixed number of queries whatever the
number of records. The result is plain JSON-safe data, so a submitted report can freeze it."""

import datetime as dt
import heapq
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek

from danvan.core.statements import grouping_sets_rows, plain_rows
from danvan.org.models import AdministrativeUnit, Agency
from danvan.petitions import workflow as wf
from danvan.petitions.models import Transition
from danvan.plans import status as task_status
from danvan.plans.models import ContentArea
from danvan.reception import quota
from danvan.reception.models import ReceptionQuota
from danvan.reports import metrics as m
from danvan.reports import rollups
from danvan.reports.models import CHANNEL_COLUMNS, KIND_COLUMNS, Rollup
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


NAMES_BY_ID = 300  # above this many ids, read every name rather than a long IN list


def _names(model, ids: set, *fields: str) -> dict:
    """{id: the first non-empty of `fields`} for `ids`."""
    qs = model.objects.all()
    if len(ids) <= NAMES_BY_ID:
        qs = qs.filter(pk__in=sorted(i for i in ids if i is not None))
    return {
        row[0]: next((v for v in row[1:] if v), "")
        for row in qs.values_list("pk", *fields).order_by()
        if row[0] in ids
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


class Source:
    """Where a request's petition counts come from: the rolled-up months it may use
    (`reports.rollups`) and, for every other day of a period, the live petition rows. Both
    parts use the filters of `reports.metrics`, so their sum is the live count."""

    def __init__(self, scope: m.Scope, cutoff_day: int):
        self.scope = scope
        self.coverage = rollups.coverage(scope, cutoff_day=cutoff_day)
        self.base = m.petition_base(scope)

    def of_petitions(self, qs: QuerySet) -> QuerySet:
        """Deadlines or transitions of the scope's petitions: through the petition's agency, so
        every agency's dashboard adds no filter (and no join) at all."""
        return self.scope.narrow(qs, "petition__agency_id")

    def split(self, period: Period) -> tuple[list[dt.date], list[Period]]:
        return self.coverage.split(period)

    def rolled(self, dim: str, months) -> QuerySet[Rollup]:
        """Rollup rows of `dim` over `months` that add up to the scope."""
        return Rollup.objects.filter(self.coverage.rows.q(), dim=dim, month__in=sorted(months))

    def own(self, months) -> QuerySet[Rollup]:
        """Each agency's own total rows over `months`, for the agencies of the scope."""
        qs = Rollup.objects.filter(
            dim=Rollup.TOTAL, subtree=False, agency__isnull=False, month__in=sorted(months)
        )
        return self.scope.narrow(qs, "agency_id")


def _totals(src: Source, wanted: list[Period]) -> dict[Period, dict[str, int]]:
    """Received, mass (and people), outcomes and met resolution clocks of each period: one
    query over rolled-up months, two over the live days of all of them together. The kind and
    channel columns hold the rolled-up months only (the breakdown adds the live days)."""
    out = {p: dict.fromkeys(rollups.COUNT_FIELDS, 0) for p in wanted}
    splits = {p: src.split(p) for p in out}
    months = set().union(*(rolled for rolled, _live in splits.values()))
    if months:
        sums = {f: Sum(f) for f in rollups.COUNT_FIELDS}
        by_month = {
            r["month"]: r
            for r in src.rolled(Rollup.TOTAL, months).values("month").annotate(**sums).order_by()
        }
        for period, (rolled, _live) in splits.items():
            for month in rolled:
                row = by_month.get(month)
                for name in rollups.COUNT_FIELDS if row else ():
                    out[period][name] += row[name] or 0
    live = [(i, p, spans) for i, (p, (_r, spans)) in enumerate(splits.items()) if spans]
    if not live:
        return out
    every = [span for _i, _p, spans in live for span in spans]
    mass = Q(is_mass=True)
    counts = {}
    for i, _p, spans in live:
        q = m.received_in(spans)
        counts[f"r{i}"] = Count("kind", filter=q)
        counts[f"m{i}"] = Count("kind", filter=q & mass)
        counts[f"p{i}"] = Coalesce(Sum("petitioner_count", filter=q & mass), 0)
    received = src.base.filter(m.received_in(every)).aggregate(**counts)
    clocks = {}
    for i, _p, spans in live:
        q = m.met_in(spans)
        clocks[f"o{i}"] = Count("due_on", filter=q & m.on_time_q())
        clocks[f"l{i}"] = Count("due_on", filter=q & ~m.on_time_q())
    met = src.of_petitions(m.resolutions_met_in(every)).aggregate(**clocks)
    for i, period, _spans in live:
        row = out[period]
        row["received"] += received[f"r{i}"]
        row["mass"] += received[f"m{i}"]
        row["people"] += received[f"p{i}"]
        row["on_time"] += met[f"o{i}"]
        row["late"] += met[f"l{i}"]
    return out


def _live_outcomes(src: Source, period: Period) -> dict[str, int]:
    """Outcome decisions on the period's live days (rolled-up months carry theirs)."""
    _rolled, spans = src.split(period)
    if not spans:
        return {}
    return dict(
        src.of_petitions(Transition.objects.filter(m.decided_in(spans)))
        .filter(action__in=m.OUTCOME_ACTIONS)
        .values_list("action")
        .annotate(n=Count("petition_id", distinct=True))
        .order_by()
    )


def headline(
    src: Source,
    period: Period,
    today: dt.date,
    totals: dict[str, int],
    tasks: dict,
    overdue: int | None = None,
) -> dict:
    """The few totals compared with the previous period (`overdue`: the open overdue count if
    already known, e.g. summed from the agency table)."""
    if overdue is None:
        overdue = src.base.filter(m.petition_metric_q("open_overdue", period, today)).count()
    result = {
        "received": totals["received"],
        "mass": totals["mass"],
        "open_overdue": overdue,
        "on_time": totals["on_time"],
        "late": totals["late"],
        **tasks,
    }
    result["on_time_rate"] = _rate(
        result["on_time"], result["on_time"] + result["late"] + result["open_overdue"]
    )
    return result


def _task_totals(scope: m.Scope, period: Period, today: dt.date) -> dict:
    return (
        m.task_base(scope, today)
        .filter(m.task_metric_q(period))
        .aggregate(
            # COUNT(due_on) (never null here), not COUNT(id): answered from task_due_status_idx.
            tasks_due=Count("*"),
            tasks_done=Count("due_on", filter=Q(status__in=task_status.DONE)),
            tasks_on_time=Count("due_on", filter=Q(status=task_status.DONE_ON_TIME)),
            tasks_overdue=Count("due_on", filter=Q(status=task_status.OVERDUE)),
        )
    )


def _petition_breakdowns(src: Source, period: Period, totals: dict, outcomes: dict) -> dict:
    """By kind, channel and commune, the commune × kind hotspots and the outcomes: the
    rolled-up months' kinds and channels come with the totals; one query for their communes,
    one over the live days, one for the communes' names."""
    kinds = Counter({k: totals[c] for k, c in KIND_COLUMNS.items()})
    channels = Counter({ch: totals[c] for ch, c in CHANNEL_COLUMNS.items()})
    kind_list = list(KIND_COLUMNS)
    position = {kind: i for i, kind in enumerate(kind_list)}
    units: dict[int | None, int] = {}
    by_unit_kind: dict[int, list[int]] = {}  # a commune's counts in `kind_list` order
    rolled, spans = src.split(period)
    if rolled:
        sums = {c: Sum(c) for c in KIND_COLUMNS.values()}
        for unit_id, n, *by_kind in plain_rows(
            src.rolled(Rollup.UNIT, rolled)
            .values("unit_id")
            .annotate(n=Sum("received"), **sums)
            .values_list("unit_id", "n", *sums)
            .order_by()
        ):
            units[unit_id] = n  # one row per commune
            if unit_id is not None:
                by_unit_kind[unit_id] = by_kind
    if spans:
        for unit_id, kind, channel, n in plain_rows(
            src.base.filter(m.received_in(spans))
            .values("unit_id", "kind", "channel")
            .annotate(n=Count("*"))
            .values_list("unit_id", "kind", "channel", "n")
            .order_by()
        ):
            kinds[kind] += n
            channels[channel] += n
            units[unit_id] = units.get(unit_id, 0) + n
            if unit_id is not None:
                counts = by_unit_kind.get(unit_id)
                if counts is None:
                    counts = by_unit_kind[unit_id] = [0] * len(kind_list)
                counts[position[kind]] += n
    # The largest few, ties by id (no commune last); nsmallest does not sort everything, and
    # plain tuples compare without a key function.
    top_units = [
        (u, n)
        for _neg, _none, _id, u, n in heapq.nsmallest(
            UNITS_SHOWN, ((-n, u is None, u or 0, u, n) for u, n in units.items() if n)
        )
    ]
    hot = [
        ((u, k), -neg)
        for neg, u, k in heapq.nsmallest(
            HOTSPOTS,
            (
                (-n, u, kind_list[i])
                for u, counts in by_unit_kind.items()
                for i, n in enumerate(counts)
                if n
            ),
        )
    ]
    ids = {u for u, _n in top_units if u is not None} | {u for (u, _k), _n in hot}
    names = dict(AdministrativeUnit.objects.filter(pk__in=sorted(ids)).values_list("id", "name"))
    return {
        "by_kind": {k: kinds.get(k, 0) for k in wf.KINDS},
        "by_channel": {c: n for c, n in channels.items() if n},
        "by_unit": [{"id": u, "name": names.get(u, ""), "count": n} for u, n in top_units],
        "hotspots": [
            {"unit_id": u, "unit": names.get(u, ""), "kind": k, "count": n} for (u, k), n in hot
        ],
        "outcomes": {a: outcomes.get(a, 0) for a in m.OUTCOME_ACTIONS},
    }


def _petitions_by_agency(src: Source, period: Period, today: dt.date) -> list[dict]:
    rows: dict[int, dict] = {}

    def row(agency_id) -> dict:
        entry = rows.get(agency_id)
        if entry is None:
            entry = rows[agency_id] = {"id": agency_id, "received": 0, "mass": 0}
            entry |= {"on_time": 0, "late": 0, "open_overdue": 0}
        return entry

    rolled, spans = src.split(period)
    if rolled:
        for agency_id, received, mass, on_time, late in plain_rows(
            src.own(rolled)
            .values("agency_id")
            .annotate(
                received=Sum("received"), mass=Sum("mass"), on_time=Sum("on_time"), late=Sum("late")
            )
            .values_list("agency_id", "received", "mass", "on_time", "late")
            .order_by()
        ):
            if received or on_time or late:
                entry = row(agency_id)
                entry["received"] += received
                entry["mass"] += mass
                entry["on_time"] += on_time
                entry["late"] += late
    if spans:
        for r in (
            src.base.filter(m.received_in(spans))
            .values("agency_id")
            .annotate(n=Count("*"), mass=Count("kind", filter=Q(is_mass=True)))
            .order_by()
        ):
            entry = row(r["agency_id"])
            entry["received"] += r["n"]
            entry["mass"] += r["mass"]
        for r in (
            src.of_petitions(m.resolutions_met_in(spans))
            .values("petition__agency_id")
            .annotate(
                on_time=Count("due_on", filter=m.on_time_q()),
                late=Count("due_on", filter=~m.on_time_q()),
            )
            .order_by()
        ):
            entry = row(r["petition__agency_id"])
            entry["on_time"] += r["on_time"]
            entry["late"] += r["late"]
    for agency_id, n in plain_rows(
        src.base.filter(m.petition_metric_q("open_overdue", period, today))
        .values("agency_id")
        .annotate(n=Count("*"))
        .values_list("agency_id", "n")
        .order_by()
    ):
        row(agency_id)["open_overdue"] = n
    for r in rows.values():
        r["on_time_rate"] = _rate(r["on_time"], r["on_time"] + r["late"] + r["open_overdue"])
    return list(rows.values())  # named and sorted by `_name_agencies`


def _tasks(scope: m.Scope, period: Period, today: dt.date) -> dict:
    """Tasks due in the period by status, content and lead agency: on PostgreSQL one statement
    grouping by (content, status) and by (lead agency, status) in one scan; elsewhere one grouped
    query each (two small groupings cost less than building both tables from one grouping by all
    three); then the contents' titles."""
    due = m.task_base(scope, today).filter(m.task_metric_q(period))
    empty = {"total": 0} | dict.fromkeys(TASK_STATUSES, 0)
    by_status: dict[str, int] = {}
    tables: tuple[dict[int, dict], dict[int, dict]] = ({}, {})
    for table_index, key_id, status, n in _task_groups(due):
        table = tables[table_index]
        entry = table.get(key_id)
        if entry is None:
            entry = table[key_id] = {"id": key_id} | empty
        entry[status] += n
        entry["total"] += n
        if table_index == 0:
            by_status[status] = by_status.get(status, 0) + n
    contents, agencies = tables
    for c in ContentArea.objects.filter(pk__in=sorted(contents)).values(
        "id", "number", "title", "plan__title"
    ):
        contents[c["id"]] |= {"number": c["number"], "title": c["title"], "plan": c["plan__title"]}
    return {
        "total": sum(by_status.values()),
        "by_status": {s: by_status.get(s, 0) for s in TASK_STATUSES},
        "by_content": sorted(contents.values(), key=lambda c: (c["plan"], c["number"])),
        "by_agency": list(agencies.values()),  # named and sorted by `_name_agencies`
    }


def _task_groups(due: QuerySet):
    """(0, content id, status, n) and (1, lead agency id, status, n) rows of `due`."""
    keys = ("content_id", "lead_agency_id", "status")
    both = due.values(*keys).annotate(n=Count("*")).values_list(*keys, "n").order_by()
    rows = grouping_sets_rows(both, [("content_id", "status"), ("lead_agency_id", "status")])
    if rows is not None:  # content and lead agency are never null: the other one marks the set
        for content_id, agency_id, status, n in rows:
            yield (0, content_id, status, n) if agency_id is None else (1, agency_id, status, n)
        return
    for index, key in enumerate(keys[:2]):
        for key_id, status, n in plain_rows(
            due.values(key, "status").annotate(n=Count("*")).values_list(key, "status", "n")
            .order_by()
        ):  # fmt: skip
            yield index, key_id, status, n


def _name_agencies(*tables: tuple[list[dict], str]) -> list[list[dict]]:
    """Name the agency rows of each (rows, count key) table from one read of the names (a
    national dashboard names thousands in two tables), then sort each by that count, largest
    first, and by name."""
    names = _names(Agency, {r["id"] for rows, _key in tables for r in rows}, "name")
    for rows, _key in tables:
        for r in rows:
            r["name"] = names.get(r["id"], "")
    return [sorted(rows, key=lambda r, k=key: (-r[k], r["name"])) for rows, key in tables]


def _task_headline(tasks: dict) -> dict:
    """The headline's task counts from the period's task breakdown."""
    statuses = tasks["by_status"]
    return {
        "tasks_due": tasks["total"],
        "tasks_done": sum(statuses[s] for s in task_status.DONE),
        "tasks_on_time": statuses[task_status.DONE_ON_TIME],
        "tasks_overdue": statuses[task_status.OVERDUE],
    }


def _met_periods(held: QuerySet, runs_by_role: dict[str, list]) -> Counter:
    """{(agency_id, role): finished periods in which the leader held the required days}, counted
    in the database: each run's days truncated to its week or month, grouped per leader and
    period, kept where the distinct days reach the minimum, then counted per leader (one query;
    periods that ask for no day are added by the caller)."""
    parts, params = [], []
    for role, runs in sorted(runs_by_role.items()):
        for run in runs:
            if run.required <= 0:
                continue
            trunc = TruncWeek if run.period == quota.WEEK else TruncMonth
            days = (
                held.filter(role=role, date__gte=run.start, date__lte=run.end)
                .annotate(bucket=trunc("date"))
                .order_by()
            )
            if run.required == 1:  # any day will do: the distinct periods held (no sort)
                per_period = days.values_list("agency_id", "bucket").distinct()
            else:
                per_period = (
                    days.values("agency_id", "bucket")
                    .annotate(days=Count("date", distinct=True))
                    .filter(days__gte=run.required)
                    .values_list("agency_id")
                )
            sql, part_params = per_period.query.sql_with_params()
            # The ORM compiled `sql`; the role travels as a parameter.
            parts.append(f"SELECT agency_id, %s AS role FROM ({sql}) p")  # noqa: S608
            params += [role, *part_params]
    if not parts:
        return Counter()
    union = " UNION ALL ".join(parts)
    with connections[held.db].cursor() as cursor:
        cursor.execute(
            f"SELECT agency_id, role, COUNT(*) FROM ({union}) m GROUP BY agency_id, role",  # noqa: S608
            params,
        )
        return Counter({(agency_id, role): n for agency_id, role, n in cursor.fetchall()})


def _reception(scope: m.Scope, period: Period, today: dt.date) -> list[dict]:
    """Regular reception sessions held per leader role against the statutory minimum: the
    agencies, the sessions and days held, the periods met (`_met_periods`), who received, their
    names and the minimums; the periods and their rule are `reception.quota`'s, the counting is
    in SQL, so the cost does not grow with the days held."""
    heads = {
        a["id"]: (a, quota.role_for_agency(a["kind"], a["unit__level"]))
        for a in scope.narrow(Agency.objects.all(), "id").values(
            "id", "name", "kind", "unit__level"
        )
    }
    heads = {pk: v for pk, v in heads.items() if v[1]}
    # The scope's own filter already limits the agencies; sessions of agencies without a
    # leader role are dropped below rather than by a list of thousands of ids in SQL.
    held = m.session_base(scope).filter(m.session_metric_q(period)).exclude(role="")
    sessions: dict[tuple[int, str], dict] = {}
    for agency_id, role, n, days in (
        held.values("agency_id", "role")
        .annotate(n=Count("*"), days=Count("date", distinct=True))
        .values_list("agency_id", "role", "n", "days")
        .order_by()
    ):
        if agency_id in heads:
            sessions[(agency_id, role)] = {"sessions": n, "days": days, "leaders": []}
    # Who received, in the order they first did.
    firsts = (
        held.values("agency_id", "role", "leader_id")
        .annotate(first=Min("date"))
        .values_list("agency_id", "role", "leader_id", "first")
        .order_by("first", "leader_id")
    )
    firsts = [row for row in firsts if row[0] in heads]
    leaders = _names(get_user_model(), {row[2] for row in firsts}, "full_name", "username")
    for agency_id, role, leader_id, _first in firsts:
        sessions[(agency_id, role)]["leaders"].append(leaders.get(leader_id, ""))
    terms: dict[str, list] = defaultdict(list)
    for q in ReceptionQuota.objects.order_by("valid_from"):
        terms[q.role].append(
            quota.QuotaTerms(q.period, q.minimum_days, q.valid_from, q.valid_to, q.citation)
        )
    keys = {(pk, role) for pk, (_a, role) in heads.items()} | set(sessions)
    runs = {
        role: quota.finished_runs(terms[role], start=period.start, end=period.end, today=today)
        for role in {role for _pk, role in keys}
    }
    met = _met_periods(held, runs)
    # (periods, required days, periods that ask for no day) of each role's runs.
    owed = {
        role: (
            sum(run.periods for run in mine),
            sum(run.required * run.periods for run in mine),
            sum(run.periods for run in mine if run.required <= 0),
        )
        for role, mine in runs.items()
    }
    empty = {"sessions": 0, "days": 0, "leaders": []}
    rows = []
    for agency_id, role in sorted(keys, key=lambda k: (heads[k[0]][0]["name"], k[1])):
        entry = sessions.get((agency_id, role), empty)
        periods_, required, free = owed[role]
        rows.append(
            {
                "agency_id": agency_id,
                "agency": heads[agency_id][0]["name"],
                "role": role,
                "leaders": entry["leaders"],
                "sessions": entry["sessions"],
                "days": entry["days"],
                "required": required,
                "periods": periods_,
                "short_periods": periods_ - free - met[(agency_id, role)],
            }
        )
    return rows


def compute_figures(*, scope: m.Scope, period: Period, today: dt.date, cutoff_day: int) -> dict:
    """Every figure of the dashboard and the report for `scope` over `period` as of `today`."""
    src = Source(scope, cutoff_day)
    before = previous(period, cutoff_day=cutoff_day)
    trend = trailing(period, TREND_PERIODS, cutoff_day=cutoff_day)
    totals = _totals(src, list(dict.fromkeys([period, before, *trend])))
    now = totals[period]
    outcomes = {a: now[a] for a in m.OUTCOME_ACTIONS}
    for action, n in _live_outcomes(src, period).items():
        outcomes[action] += n
    petitions = _petition_breakdowns(src, period, now, outcomes)
    tasks = _tasks(scope, period, today)
    tasks["by_agency"], petitions["by_agency"] = _name_agencies(
        (tasks["by_agency"], "total"), (_petitions_by_agency(src, period, today), "received")
    )
    petitions["mass"] = {"petitions": now["mass"], "people": now["people"]}
    return {
        "period": period.as_dict(),
        "previous_period": before.as_dict(),
        "as_of": today.isoformat(),
        "headline": headline(
            src,
            period,
            today,
            now,
            _task_headline(tasks),
            overdue=sum(r["open_overdue"] for r in petitions["by_agency"]),
        ),
        "previous": headline(
            src, before, today, totals[before], _task_totals(scope, before, today)
        ),
        "petitions": petitions,
        "tasks": tasks,
        "reception": _reception(scope, period, today),
        "trend": [
            {
                "period": p.as_dict(),
                "received": totals[p]["received"],
                "resolved": totals[p]["on_time"] + totals[p]["late"],
            }
            for p in trend
        ],
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
