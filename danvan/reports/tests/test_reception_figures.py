"""The dashboard's reception compliance, counted in SQL per quota period, against the pure rule
of `reception.quota` on the same held days (seeded random sessions across the commune chair's
change from a weekly to a monthly minimum on 1/7/2026)."""

import datetime as dt
import random
from collections import defaultdict

import pytest

from danvan.org.models import Agency, Membership
from danvan.org.tests.factories import AgencyFactory
from danvan.reception import quota
from danvan.reception.models import ReceptionQuota, ReceptionSession
from danvan.reports import metrics as m
from danvan.reports import periods
from danvan.reports.selectors import _reception

pytestmark = pytest.mark.django_db

YEAR = periods.period_for(periods.YEAR, 2026, 1)  # 15/12/2025–14/12/2026 (cut-off day 15)
TODAY = dt.date(2026, 11, 20)  # the last weeks and November are not finished: not judged


def _expected(rows):
    held = defaultdict(set)
    for agency_id, role, day in (
        ReceptionSession.objects.filter(
            status="held", kind="regular", date__gte=YEAR.start, date__lte=YEAR.end
        )
        .exclude(role="")
        .values_list("agency_id", "role", "date")
    ):
        held[(agency_id, role)].add(day)
    terms = defaultdict(list)
    for q in ReceptionQuota.objects.order_by("valid_from"):
        terms[q.role].append(quota.QuotaTerms(q.period, q.minimum_days, q.valid_from, q.valid_to))
    keys = {(r["agency_id"], r["role"]) for r in rows}
    expected = {}
    for role in {role for _a, role in keys}:
        mine = {k: held.get(k, ()) for k in keys if k[1] == role}
        expected |= quota.compliance_totals(
            mine, terms[role], start=YEAR.start, end=YEAR.end, today=TODAY
        )
    return expected, held


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_periods_met_counted_in_sql_agree_with_the_rule(org_tree, make_member, seed):
    rng = random.Random(seed)
    communes = [org_tree.commune_pc] + [
        AgencyFactory(
            kind=Agency.Kind.PEOPLES_COMMITTEE, parent=org_tree.city, unit=org_tree.commune
        )
        for _ in range(3)
    ]
    leader = make_member(org_tree.city, Membership.Role.LEADER)
    plans = [(a, "commune_pc_chair", rng.randint(0, 120)) for a in communes]
    plans.append((org_tree.city, "province_pc_chair", rng.randint(0, 20)))
    for agency, role, n in plans:
        for _ in range(n):
            day = YEAR.start + dt.timedelta(days=rng.randint(-10, 375))  # some outside the year
            ReceptionSession.objects.create(
                agency=agency,
                leader=leader,
                role=role,
                date=day,
                place="Trụ sở",
                status=rng.choice(["held", "held", "held", "planned"]),
                kind=rng.choice(["regular", "regular", "regular", "unscheduled"]),
            )
    # Two sessions on one day of a month under the two-day minimum: one day, a short month.
    for _ in range(2):
        ReceptionSession.objects.create(
            agency=communes[-1], leader=leader, role="commune_pc_chair",
            date=dt.date(2026, 9, 9), place="Trụ sở", status="held",
        )  # fmt: skip
    ReceptionSession.objects.filter(
        agency=communes[-1], date__gte=dt.date(2026, 9, 1), date__lte=dt.date(2026, 9, 30)
    ).exclude(date=dt.date(2026, 9, 9)).delete()
    rows = _reception(m.Scope.for_user(leader), YEAR, TODAY)
    expected, held = _expected(rows)
    assert len(rows) == 5
    for r in rows:
        key = (r["agency_id"], r["role"])
        assert (r["periods"], r["required"], r["short_periods"]) == expected[key], key
        assert r["days"] == len(held.get(key, ()))
    chairs = [r for r in rows if r["role"] == "commune_pc_chair"]
    # Weekly from the week of 15/12/2025 to the week of 29/6/2026 (29 weeks; the rule in force
    # on the Monday), then July–October monthly (4 months at 2 days).
    assert {(r["periods"], r["required"]) for r in chairs} == {(33, 29 + 4 * 2)}


def test_plain_rows_keep_the_querysets_column_order(org_tree, make_member):
    from django.db.models import Count

    from danvan.core.statements import plain_rows as _tuples

    leader = make_member(org_tree.city, Membership.Role.LEADER)
    for day in (dt.date(2026, 1, 5), dt.date(2026, 1, 6)):
        ReceptionSession.objects.create(
            agency=org_tree.commune_pc, leader=leader, role="commune_pc_chair", date=day,
            place="Trụ sở", status="held",
        )  # fmt: skip
    grouped = ReceptionSession.objects.values("agency_id").annotate(n=Count("*")).order_by()
    assert _tuples(grouped.values_list("agency_id", "n")) == [(org_tree.commune_pc.pk, 2)]
    assert _tuples(grouped.filter(pk__in=[])) == []
    # Django 5.2 selects in the order named; `_tuples` refuses a statement that would not.
    assert _tuples(grouped.values_list("n", "agency_id")) == [(2, org_tree.commune_pc.pk)]


def test_a_scope_without_agencies_has_no_reception_rows(org_tree):
    assert _reception(m.Scope(frozenset()), YEAR, TODAY) == []
