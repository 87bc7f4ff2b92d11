"""Monthly rollups: the petition counts of closed reporting months, pre-aggregated so that a
dashboard over a year of a whole country reads a few hundred rows instead of every case
(docs/performance.md, "Monthly rollups").

The rows are built from the very filters of `reports.metrics` (`received_q`, `transitions_in`,
`resolutions_met`, `on_time_q`), month by month, so a figure read from rollups equals the live
count. A month is used only when

- it is closed (it ended before the day it was built) and built under the current cut-off day
  and agency tree (`RollupState`),
- no petition with a case in it changed since it was built: every save of a petition, a
  transition or a deadline writes a `RollupDirty` row in the same transaction (`reports.signals`),
  and the months of those petitions are read live until the worker rebuilds them.

Anything else in a period — the open month, edge days of a custom range, dirty months — is read
live from the petition rows, and the two parts are added (`selectors`). The drill-down lists stay
live. Rows per month: each agency's own cases, each agency with children together with everything
below it (`subtree`), and every agency (`agency` empty).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from danvan.core.bulk import copy_rows
from danvan.org.models import Agency
from danvan.petitions.models import Deadline, Petition, Transition
from danvan.reports import metrics as m
from danvan.reports import periods
from danvan.reports.models import (
    CHANNEL_COLUMNS,
    KIND_COLUMNS,
    Rollup,
    RollupDirty,
    RollupMonth,
    RollupState,
)

# Above this many changed petitions not yet rolled up, the dashboard reads every month live
# (the worker is behind; resolving that many petitions' months would cost more than it saves).
DIRTY_LIMIT = 5_000
BATCH = 5_000
STATE = 1  # the primary key of the one RollupState row
TOTAL_FIELDS = ("received", "mass", "people", *m.OUTCOME_ACTIONS, "on_time", "late")


# -- the agency tree -------------------------------------------------------------------------------


def tree_fingerprint() -> str:
    """Changes when an agency is added, removed or moved under another parent (one query)."""
    row = Agency.objects.aggregate(
        n=Count("id"), top=Max("id"), links=Sum(F("id") * 7919 + Coalesce("parent_id", -1))
    )
    return f"{row['n']}:{row['top']}:{row['links']}"


def agency_tree() -> dict[int, int | None]:
    return dict(Agency.objects.values_list("id", "parent_id"))


def _ancestors(tree: dict[int, int | None]) -> dict[int, tuple[int, ...]]:
    """Each agency's strict ancestors, nearest first."""
    out: dict[int, tuple[int, ...]] = {}
    for agency_id in tree:
        chain, seen, parent = [], {agency_id}, tree.get(agency_id)
        while parent is not None and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = tree.get(parent)
        out[agency_id] = tuple(chain)
    return out


@dataclass(frozen=True)
class ScopeRows:
    """Which rollup rows add up to a scope: every agency, or subtree rows of `roots` plus own
    rows of `singles`."""

    everyone: bool
    roots: tuple[int, ...] = ()
    singles: tuple[int, ...] = ()

    def q(self) -> Q:
        if self.everyone:
            return Q(subtree=True, agency__isnull=True)
        return Q(subtree=True, agency_id__in=self.roots) | Q(
            subtree=False, agency_id__in=self.singles
        )


def scope_rows(scope: m.Scope, tree: dict[int, int | None] | None) -> ScopeRows:
    """Cover the scope's agencies with as few rows as possible: an agency with children whose
    whole subtree is in the scope is one subtree row, any other agency its own row."""
    if scope.agency_ids is None:
        return ScopeRows(everyone=True)
    wanted = scope.agency_ids
    children: dict[int | None, list[int]] = defaultdict(list)
    for agency_id, parent in tree.items():
        children[parent].append(agency_id)
    full: dict[int, bool] = {}

    def whole(agency_id: int) -> bool:  # is the whole subtree in the scope?
        if agency_id not in full:
            full[agency_id] = agency_id in wanted and all(
                whole(c) for c in children.get(agency_id, ())
            )
        return full[agency_id]

    roots, singles = [], []
    stack = list(children[None]) + [a for a in wanted if a not in tree]
    while stack:
        agency_id = stack.pop()
        kids = children.get(agency_id, ())
        if kids and whole(agency_id):
            roots.append(agency_id)
            continue
        if agency_id in wanted:
            singles.append(agency_id)
        stack.extend(kids)
    return ScopeRows(everyone=False, roots=tuple(sorted(roots)), singles=tuple(sorted(singles)))


# -- which months a request may read from rollups ------------------------------------------


def month_of(day: dt.date, cutoff_day: int) -> periods.Period:
    return periods.containing(day, periods.MONTH, cutoff_day=cutoff_day)


def months_between(start: dt.date, end: dt.date, cutoff_day: int) -> list[periods.Period]:
    """The reporting months overlapping [start, end], oldest first."""
    out, month = [], month_of(start, cutoff_day)
    while month.start <= end:
        out.append(month)
        month = month_of(month.end + dt.timedelta(days=1), cutoff_day)
    return out


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def petition_days(petitions) -> set[dt.date]:
    """Every day on which these petitions count in a rolled-up figure: received, decided
    (outcome transitions), resolved (resolution clock met). `petitions`: ids, or a query of
    ids. Three queries per 5,000 ids."""
    if isinstance(petitions, QuerySet):
        chunks = [petitions]
    else:
        ids = sorted(set(petitions))
        chunks = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
    days: set[dt.date] = set()
    for ids in chunks:
        days |= set(Petition.objects.filter(pk__in=ids).values_list("received_on", flat=True))
        days |= set(
            Deadline.objects.filter(
                petition_id__in=ids, kind=Deadline.Kind.RESOLVE, met_on__isnull=False
            ).values_list("met_on", flat=True)
        )
        days |= {
            _local_day(at)
            for at in Transition.objects.filter(
                petition_id__in=ids, action__in=m.OUTCOME_ACTIONS
            ).values_list("at", flat=True)
        }
    return days


@dataclass
class Coverage:
    """The rolled-up months a request may use and how the scope maps onto rollup rows."""

    months: frozenset[dt.date]  # first days of usable months
    cutoff_day: int
    rows: ScopeRows | None = None
    ends: dict[dt.date, dt.date] = field(default_factory=dict)

    def split(self, period: periods.Period) -> tuple[list[dt.date], list[periods.Period]]:
        """The period as usable rolled-up months plus the live spans left over."""
        rolled: list[dt.date] = []
        live: list[periods.Period] = []
        for month in months_between(period.start, period.end, self.cutoff_day):
            inside = month.start >= period.start and month.end <= period.end
            if inside and month.start in self.months:
                rolled.append(month.start)
                continue
            start, end = max(month.start, period.start), min(month.end, period.end)
            if live and live[-1].end + dt.timedelta(days=1) == start:
                start = live[-1].start
                live.pop()
            live.append(periods.custom(start, end))
        return rolled, live


def coverage(scope: m.Scope, *, cutoff_day: int) -> Coverage:
    """What this request may read from rollups: no months if they were built under another
    cut-off day or agency tree, or if too many petitions changed since the last build."""
    none = Coverage(frozenset(), cutoff_day)
    state = RollupState.objects.filter(pk=STATE).first()
    if state is None or state.cutoff_day != cutoff_day or state.tree_hash != tree_fingerprint():
        return none
    built = dict(RollupMonth.objects.values_list("month", "end"))
    if not built:
        return none
    changed = RollupDirty.objects.values("petition_id")
    stale = set()
    if changed.exists():
        if changed.order_by("pk")[DIRTY_LIMIT:].exists():
            return none
        stale = {month_of(day, cutoff_day).start for day in petition_days(changed)}
    usable = frozenset(set(built) - stale)
    tree = None if scope.agency_ids is None else agency_tree()
    return Coverage(usable, cutoff_day, scope_rows(scope, tree), built)


# -- building -------------------------------------------------------------------------------


COUNT_FIELDS = (*TOTAL_FIELDS, *KIND_COLUMNS.values(), *CHANNEL_COLUMNS.values())
COLUMNS = ("month", "agency_id", "subtree", "dim", "unit_id", *COUNT_FIELDS)
_AT = {name: i for i, name in enumerate(COUNT_FIELDS)}
_KIND_AT = {kind: _AT[column] for kind, column in KIND_COLUMNS.items()}
_CHANNEL_AT = {channel: _AT[column] for channel, column in CHANNEL_COLUMNS.items()}


def _count_rows(month: periods.Period) -> dict[int, dict[tuple, list[int]]]:
    """Each agency's own counts of `month` per row (dim, unit), from the metrics' filters; the
    counts are listed in the order of COUNT_FIELDS."""
    own: dict[int, dict[tuple, list[int]]] = defaultdict(dict)
    width = len(COUNT_FIELDS)

    def counts(agency_id: int, row: tuple) -> list[int]:
        rows = own[agency_id]
        if row not in rows:
            rows[row] = [0] * width
        return rows[row]

    total = (Rollup.TOTAL, None)
    mass = Q(is_mass=True)
    for agency_id, unit_id, kind, channel, n, n_mass, people in (
        Petition.objects.filter(m.received_q(month))
        .values("agency_id", "unit_id", "kind", "channel")
        .annotate(
            n=Count("*"),
            mass=Count("kind", filter=mass),
            people=Sum("petitioner_count", filter=mass),
        )
        .values_list("agency_id", "unit_id", "kind", "channel", "n", "mass", "people")
        .order_by()
    ):
        row = counts(agency_id, total)
        row[_AT["received"]] += n
        row[_AT["mass"]] += n_mass
        row[_AT["people"]] += people or 0
        row[_KIND_AT[kind]] += n
        row[_CHANNEL_AT[channel]] += n
        by_unit = counts(agency_id, (Rollup.UNIT, unit_id))
        by_unit[_AT["received"]] += n
        by_unit[_KIND_AT[kind]] += n
    for agency_id, action, n in (
        Transition.objects.filter(m.decided_q(month), action__in=m.OUTCOME_ACTIONS)
        .values("petition__agency_id", "action")
        .annotate(n=Count("petition_id", distinct=True))
        .values_list("petition__agency_id", "action", "n")
        .order_by()
    ):
        counts(agency_id, total)[_AT[action]] += n
    for agency_id, on_time, late in (
        m.resolutions_met(month)
        .values("petition__agency_id")
        .annotate(
            on_time=Count("due_on", filter=m.on_time_q()),
            late=Count("due_on", filter=~m.on_time_q()),
        )
        .values_list("petition__agency_id", "on_time", "late")
        .order_by()
    ):
        row = counts(agency_id, total)
        row[_AT["on_time"]] += on_time
        row[_AT["late"]] += late
    return own


def _rows(month: periods.Period, tree: dict[int, int | None]) -> list[tuple]:
    """The month's rollup rows as tuples in COLUMNS order: own rows, subtree rows of agencies
    with children, and the rows of every agency; each group written together, so a read of one
    group touches few pages."""
    own = _count_rows(month)
    ancestors = _ancestors(tree)
    parents = {p for p in tree.values() if p is not None}
    summed: dict[int | None, dict[tuple, list[int]]] = defaultdict(dict)
    for agency_id, rows in own.items():
        targets = [None, *(a for a in ancestors.get(agency_id, ()) if a in parents)]
        if agency_id in parents:
            targets.append(agency_id)
        for target in targets:
            into = summed[target]
            for key, values in rows.items():
                have = into.get(key)
                if have is None:
                    into[key] = list(values)
                else:
                    for i, n in enumerate(values):
                        if n:
                            have[i] += n
    out = []
    for dim in (Rollup.TOTAL, Rollup.UNIT):
        for groups, is_subtree in ((own, False), (summed, True)):
            for agency_id, rows in groups.items():
                out.extend(
                    (month.start, agency_id, is_subtree, dim, unit_id, *values)
                    for (row_dim, unit_id), values in rows.items()
                    if row_dim == dim
                )
    return out


def _insert(rows: list[tuple]) -> None:
    """Write rollup rows: COPY on PostgreSQL, batched INSERTs elsewhere."""
    table = Rollup._meta.db_table
    if connection.vendor == "postgresql":
        copy_rows(table, COLUMNS, rows)
        return
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',  # noqa: S608 - fixed names
                rows[i : i + BATCH],
            )


def build_month(month: periods.Period, tree: dict[int, int | None], state: RollupState) -> int:
    """Replace one month's rows (one transaction; builders queue on the state row)."""
    with transaction.atomic():
        RollupState.objects.select_for_update().filter(pk=state.pk).first()
        Rollup.objects.filter(month=month.start).delete()
        rows = _rows(month, tree)
        _insert(rows)
        RollupMonth.objects.update_or_create(
            month=month.start, defaults={"end": month.end, "built_at": timezone.now()}
        )
    return len(rows)


def _first_day() -> dt.date | None:
    days = [
        Petition.objects.aggregate(d=Min("received_on"))["d"],
        Deadline.objects.filter(kind=Deadline.Kind.RESOLVE).aggregate(d=Min("met_on"))["d"],
    ]
    first_at = Transition.objects.filter(action__in=m.OUTCOME_ACTIONS).aggregate(d=Min("at"))["d"]
    if first_at is not None:
        days.append(_local_day(first_at))
    days = [d for d in days if d is not None]
    return min(days) if days else None


@dataclass
class RefreshResult:
    months: int = 0
    rows: int = 0
    rebuilt_all: bool = False
    cleared: int = 0


def refresh(*, cutoff_day: int, today: dt.date | None = None) -> RefreshResult:
    """Bring the rollups up to date: every closed month not built yet, and the months of
    petitions changed since. Safe to run twice at once (builders queue on the state row) and
    to stop at any point (a month is replaced in one transaction; changes are forgotten only
    after their months were rebuilt)."""
    today = today or timezone.localdate()
    result = RefreshResult()
    fingerprint = tree_fingerprint()
    RollupState.objects.get_or_create(pk=STATE, defaults={"cutoff_day": 0, "tree_hash": ""})
    with transaction.atomic():
        state = RollupState.objects.select_for_update().get(pk=STATE)
        if state.cutoff_day != cutoff_day or state.tree_hash != fingerprint:
            # Everything was counted under another month boundary or tree: start over.
            RollupMonth.objects.all().delete()
            Rollup.objects.all().delete()
            state.cutoff_day, state.tree_hash = cutoff_day, fingerprint
            state.updated_at = timezone.now()
            state.save()
            result.rebuilt_all = True
    changes = list(RollupDirty.objects.values_list("pk", "petition_id"))
    wanted = {month_of(d, cutoff_day).start for d in petition_days(p for _pk, p in changes)}
    first = _first_day()
    built = set(RollupMonth.objects.values_list("month", flat=True))
    tree = agency_tree()
    if first is not None:
        for month in months_between(first, today, cutoff_day):
            if month.end >= today:
                continue  # the open month is always read live
            if month.start in wanted or month.start not in built:
                result.rows += build_month(month, tree, state)
                result.months += 1
    # Forget only the changes read above: later ones keep their months live.
    ids = [pk for pk, _p in changes]
    for i in range(0, len(ids), BATCH):
        result.cleared += RollupDirty.objects.filter(pk__in=ids[i : i + BATCH]).delete()[0]
    return result


def mark_changed(petition_ids: Iterable[int]) -> None:
    """Record that these petitions changed (called inside the writing transaction)."""
    RollupDirty.objects.bulk_create([RollupDirty(petition_id=pk) for pk in set(petition_ids)])
