"""Monthly rollups: the dashboard's figures read through rollups equal the live count for every
scope and period shape, stay equal while cases change (their months are read live until the
worker rebuilds them), and are dropped when the cut-off day or the agency tree changes."""

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.org.models import Agency, Membership
from danvan.org.tests.factories import AgencyFactory
from danvan.petitions import workflow as wf
from danvan.petitions.models import Deadline, Petition, Transition
from danvan.reports import metrics as m
from danvan.reports import periods, rollups
from danvan.reports.models import Rollup, RollupDirty, RollupMonth, RollupState
from danvan.reports.selectors import compute_figures
from danvan.reports.tests.conftest import at

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 7, 1)
R = Membership.Role
KINDS = ("complaint", "denunciation", "recommendation", "feedback")
CHANNELS = ("reception", "post", "portal", "hotline")


class Cases:
    """About 160 petitions over 13 months in a tree three levels deep, with outcomes and met
    resolution clocks on days spread over later months (seeded: the same rows every run)."""

    def __init__(self, tree, make_member):
        self.tree = tree
        self.ward = AgencyFactory(code="to-dan-pho", name="Tổ dân phố 1", parent=tree.commune_pc)
        self.agencies = [*tree.all, self.ward]
        self.admin = get_user_model().objects.create_superuser("root", "", "pw")
        self.city_leader = make_member(tree.city, R.LEADER)
        self.city_officer = make_member(tree.city, R.OFFICER)  # the city PC alone, no subtree
        self.commune_leader = make_member(tree.commune_pc, R.LEADER)
        self.ward_officer = make_member(self.ward, R.OFFICER)
        rng = random.Random(20261127)
        first = D(2025, 6, 1)
        self.petitions = []
        for i in range(160):
            received = first + dt.timedelta(days=rng.randrange((TODAY - first).days))
            petition = Petition.objects.create(
                tracking_code=f"R-{i:04d}",
                agency=rng.choice(self.agencies),
                unit=rng.choice([tree.commune, tree.province, None]),
                kind=rng.choice(KINDS),
                channel=rng.choice(CHANNELS),
                status=rng.choice(["received", "accepted", "resolved", "filed"]),
                subject=f"Đơn {i}",
                content="Nội dung",
                received_on=received,
                due_on=received + dt.timedelta(days=rng.randrange(10, 90)),
                is_mass=rng.random() < 0.15,
                petitioner_count=rng.randrange(1, 40),
            )
            self.petitions.append(petition)
            if rng.random() < 0.7:
                decided = received + dt.timedelta(days=rng.randrange(0, 60))
                if decided < TODAY:
                    Transition.objects.create(
                        petition=petition,
                        action=rng.choice(m.OUTCOME_ACTIONS),
                        from_status="classified",
                        to_status="x",
                        at=at(decided),
                    )
            if rng.random() < 0.6:
                from danvan.core.models import LegalRule

                met = received + dt.timedelta(days=rng.randrange(5, 120))
                Deadline.objects.create(
                    petition=petition,
                    kind=Deadline.Kind.RESOLVE,
                    rule=LegalRule.objects.first(),
                    start_on=received,
                    due_on=received + dt.timedelta(days=45),
                    days=45,
                    met_on=met if met < TODAY else None,
                )

    def scopes(self):
        t = self.tree
        return {
            "everyone": m.Scope.for_user(self.admin),
            "city subtree": m.Scope.for_user(self.city_leader),
            "city PC alone": m.Scope.for_user(self.city_officer),
            "commune subtree": m.Scope.for_user(self.commune_leader),
            "ward": m.Scope.for_user(self.ward_officer),
            "narrowed to dept A": m.Scope.for_user(self.city_leader, t.dept_a),
            "front": m.Scope.for_agency(t.front),
        }


PERIODS = {
    "year with the open month": periods.period_for(periods.YEAR, 2026),
    "first half": periods.period_for(periods.HALF, 2026, 1),
    "last half of 2025": periods.period_for(periods.HALF, 2025, 2),
    "quarter": periods.period_for(periods.QUARTER, 2026, 1),
    "month": periods.period_for(periods.MONTH, 2026, 3),
    "custom, partial months": periods.custom(D(2025, 9, 3), D(2026, 4, 20)),
}


@pytest.fixture
def cases(org_tree, make_member):
    return Cases(org_tree, make_member)


def figures(scope, period):
    return compute_figures(scope=scope, period=period, today=TODAY, cutoff_day=15)


def live_figures(scope, period):
    """The same figures with the rollups out of the way (as before any were built)."""
    state = RollupState.objects.get()
    cutoff = state.cutoff_day
    RollupState.objects.update(cutoff_day=cutoff + 1)  # built under another cut-off: unused
    try:
        return figures(scope, period)
    finally:
        RollupState.objects.update(cutoff_day=cutoff)


def test_rollups_equal_the_live_count_for_every_scope_and_period(cases):
    expected = {
        (s, p): figures(scope, period)
        for s, scope in cases.scopes().items()
        for p, period in PERIODS.items()
    }
    result = rollups.refresh(cutoff_day=15, today=TODAY)
    # 15/5/2025 … 14/6/2026 are closed on 1/7/2026; the month from 15/6 is open (read live).
    assert result.months == 13
    assert RollupMonth.objects.count() == 13
    assert not RollupMonth.objects.filter(month=D(2026, 6, 15)).exists()
    for s, scope in cases.scopes().items():
        used = rollups.coverage(scope, cutoff_day=15)
        assert len(used.months) == 13, s
        for p, period in PERIODS.items():
            assert figures(scope, period) == expected[(s, p)], (s, p)


def test_the_figures_really_come_from_the_rollups(cases):
    """A change that bypasses the model layer (no mark) shows only in the live count: proof
    that the closed months are read from the rollup rows."""
    rollups.refresh(cutoff_day=15, today=TODAY)
    scope = m.Scope.for_user(cases.admin)
    march = PERIODS["month"]
    before = figures(scope, march)["headline"]["received"]
    moved = Petition.objects.filter(received_on__range=(march.start, march.end)).first()
    Petition.objects.filter(pk=moved.pk).update(received_on=D(2024, 1, 1))
    assert figures(scope, march)["headline"]["received"] == before
    assert live_figures(scope, march)["headline"]["received"] == before - 1


def test_a_changed_case_is_read_live_until_the_worker_rebuilds_its_months(cases):
    rollups.refresh(cutoff_day=15, today=TODAY)
    scope = m.Scope.for_user(cases.city_leader)
    period = PERIODS["first half"]
    old = next(
        p
        for p in cases.petitions
        if p.agency_id == cases.tree.commune_pc.pk
        and D(2026, 1, 1) <= p.received_on < D(2026, 2, 1)
    )
    # Reclassify it and resolve it late, back in March, through the model layer.
    old.kind = "feedback" if old.kind != "feedback" else "complaint"
    old.save(update_fields=["kind"])
    Transition.objects.create(
        petition=old,
        action="guide",
        from_status="classified",
        to_status="guided",
        at=at(D(2026, 3, 2)),
    )
    assert RollupDirty.objects.filter(petition_id=old.pk).exists()
    stale = rollups.coverage(scope, cutoff_day=15)
    assert D(2025, 12, 15) in stale.ends and D(2025, 12, 15) not in stale.months  # January
    assert D(2026, 2, 15) not in stale.months  # March, the day of the decision
    now = figures(scope, period)
    assert now == live_figures(scope, period)
    done = rollups.refresh(cutoff_day=15, today=TODAY)
    assert done.months >= 2 and done.cleared >= 2
    assert not RollupDirty.objects.exists()
    assert figures(scope, period) == now
    assert len(rollups.coverage(scope, cutoff_day=15).months) == 13


def test_a_new_cutoff_day_or_a_moved_agency_starts_the_rollups_over(cases):
    rollups.refresh(cutoff_day=15, today=TODAY)
    scope = m.Scope.for_user(cases.admin)
    assert rollups.coverage(scope, cutoff_day=1).months == frozenset()
    result = rollups.refresh(cutoff_day=1, today=TODAY)
    assert result.rebuilt_all
    assert RollupMonth.objects.filter(month=D(2026, 1, 1)).exists()
    assert not RollupMonth.objects.filter(month=D(2026, 1, 15)).exists()
    calendar = periods.period_for(periods.HALF, 2026, 1, cutoff_day=1)
    expected = compute_figures(scope=scope, period=calendar, today=TODAY, cutoff_day=1)

    # The ward moves from the commune to the city: subtree rows are wrong until rebuilt.
    Agency.objects.filter(pk=cases.ward.pk).update(parent=cases.tree.city)
    city = m.Scope.for_user(cases.city_leader)
    assert rollups.coverage(city, cutoff_day=1).months == frozenset()
    moved = compute_figures(scope=city, period=calendar, today=TODAY, cutoff_day=1)
    assert rollups.refresh(cutoff_day=1, today=TODAY).rebuilt_all
    assert compute_figures(scope=city, period=calendar, today=TODAY, cutoff_day=1) == moved
    assert compute_figures(scope=scope, period=calendar, today=TODAY, cutoff_day=1) == expected


def test_scope_rows_cover_each_agency_once():
    #        1
    #      / | \
    #     2  3  4        (5 is another root)
    #    / \
    #   6   7
    tree = {1: None, 2: 1, 3: 1, 4: 1, 5: None, 6: 2, 7: 2}
    rows = rollups.scope_rows(m.Scope(frozenset(tree)), tree)
    assert (rows.roots, rows.singles) == ((1,), (5,))
    rows = rollups.scope_rows(m.Scope(frozenset({2, 6, 7, 3})), tree)
    assert (rows.roots, rows.singles) == ((2,), (3,))
    rows = rollups.scope_rows(m.Scope(frozenset({1, 2, 6})), tree)  # 7 missing: no subtree row
    assert (rows.roots, rows.singles) == ((), (1, 2, 6))
    assert rollups.scope_rows(m.Scope(None), tree).everyone


def test_the_dashboard_reads_a_fixed_number_of_queries_from_rollups(cases):
    rollups.refresh(cutoff_day=15, today=TODAY)
    scope = m.Scope.for_user(cases.city_leader)
    counts = []
    for extra in (0, 40):
        for i in range(extra):
            Petition.objects.create(
                tracking_code=f"X-{extra}-{i}",
                agency=cases.tree.dept_b,
                kind="complaint",
                channel="post",
                status="received",
                subject="Thêm",
                content="Nội dung",
                received_on=D(2026, 2, 1) + dt.timedelta(days=i % 20),
            )
        rollups.refresh(cutoff_day=15, today=TODAY)
        with CaptureQueriesContext(connection) as ctx:
            figures(scope, PERIODS["year with the open month"])
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_outcomes_are_one_per_case_so_months_add_up(cases):
    """Months can be summed because a case reaches an outcome once (the workflow allows the
    four outcome moves only from "classified", which no later state returns to)."""
    for action in m.OUTCOME_ACTIONS:
        move = wf.MOVES[action]
        assert move.sources == frozenset({wf.CLASSIFIED})
    back = [a for a, mv in wf.MOVES.items() if mv.target == wf.CLASSIFIED]
    assert all(wf.MOVES[a].sources <= {wf.RECEIVED, wf.CLASSIFIED} for a in back)


def test_the_tick_queues_a_refresh_and_the_worker_job_builds(cases):
    from danvan.core.tick import registered_hooks
    from danvan.reports.tasks import refresh_rollups

    assert "reports.refresh_rollups" in registered_hooks()
    out = refresh_rollups.call()
    assert out["months"] > 0
    assert Rollup.objects.filter(agency__isnull=True, dim=Rollup.TOTAL).exists()


def test_too_many_changes_waiting_means_every_month_is_read_live(cases, monkeypatch):
    rollups.refresh(cutoff_day=15, today=TODAY)
    scope = m.Scope.for_user(cases.admin)
    monkeypatch.setattr(rollups, "DIRTY_LIMIT", 2)
    rollups.mark_changed([cases.petitions[0].pk, cases.petitions[1].pk])
    assert len(rollups.coverage(scope, cutoff_day=15).months) < 13  # their months only
    rollups.mark_changed([cases.petitions[2].pk])
    assert rollups.coverage(scope, cutoff_day=15).months == frozenset()
    period = PERIODS["year with the open month"]
    assert figures(scope, period) == live_figures(scope, period)


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_builds_the_rollups_the_tick_asked_for(org_tree):
    from django.core.management import call_command
    from django.utils import timezone

    from danvan.core.tick import run_tick

    old = timezone.localdate() - dt.timedelta(days=100)
    Petition.objects.create(
        tracking_code="W-1",
        agency=org_tree.commune_pc,
        kind="complaint",
        channel="post",
        status="received",
        subject="Đơn cũ",
        content="Nội dung",
        received_on=old,
    )
    assert run_tick()["reports.refresh_rollups"] == 1
    assert not RollupMonth.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    month = rollups.month_of(old, 15)
    assert RollupMonth.objects.filter(month=month.start).exists()
    assert Rollup.objects.get(month=month.start, agency=None, dim=Rollup.TOTAL).received == 1
    assert not RollupDirty.objects.exists()
