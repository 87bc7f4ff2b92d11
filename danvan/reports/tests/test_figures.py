"""Each KPI against the hand-counted data set; each figure against its drill-down list; the
aggregation's query count; scoping by role."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.reports import metrics as m
from danvan.reports import periods
from danvan.reports.selectors import compute_figures
from danvan.reports.tests.conftest import EXPECTED_CITY, H1, TODAY

pytestmark = pytest.mark.django_db


def figures_for(user, agency=None, period=H1):
    return compute_figures(
        scope=m.Scope.for_user(user, agency), period=period, today=TODAY, cutoff_day=15
    )


def test_each_kpi_matches_the_hand_count(dataset):
    f = figures_for(dataset.city_leader)
    e = EXPECTED_CITY
    h, p = f["headline"], f["petitions"]
    assert h["received"] == e["received"]
    assert {k: v for k, v in p["by_kind"].items() if v} == e["by_kind"]
    assert p["by_channel"] == e["by_channel"]
    assert p["outcomes"] == e["outcomes"]
    assert (h["on_time"], h["late"], h["open_overdue"]) == (e["on_time"], e["late"], 1)
    assert h["on_time_rate"] == e["on_time_rate"]
    assert p["mass"] == e["mass"]
    assert f["previous"]["received"] == e["previous_received"]
    assert f["tasks"]["by_status"] == e["tasks"]
    assert (h["tasks_due"], h["tasks_done"], h["tasks_overdue"]) == (4, 2, 2)


def test_breakdowns_by_agency_commune_and_content(dataset):
    f = figures_for(dataset.city_leader)
    tree = dataset.tree
    agencies = {r["id"]: r for r in f["petitions"]["by_agency"]}
    assert set(agencies) == {tree.commune_pc.pk, tree.dept_a.pk}
    commune = agencies[tree.commune_pc.pk]
    assert (commune["received"], commune["on_time"], commune["late"]) == (3, 1, 0)
    assert (commune["open_overdue"], commune["on_time_rate"]) == (1, 50.0)
    dept = agencies[tree.dept_a.pk]
    assert (dept["received"], dept["mass"], dept["late"], dept["on_time_rate"]) == (2, 1, 1, 0.0)
    units = {u["id"]: u["count"] for u in f["petitions"]["by_unit"]}
    assert units == {tree.commune.pk: 4, None: 1}
    hotspots = {(h["unit_id"], h["kind"]): h["count"] for h in f["petitions"]["hotspots"]}
    assert hotspots == {
        (tree.commune.pk, "complaint"): 2,
        (tree.commune.pk, "recommendation"): 1,
        (tree.commune.pk, "denunciation"): 1,
    }
    contents = {c["number"]: c for c in f["tasks"]["by_content"]}
    assert (contents[1]["total"], contents[1]["done_on_time"], contents[1]["done_late"]) == (
        2,
        1,
        1,
    )
    assert (contents[2]["total"], contents[2]["overdue"]) == (2, 2)
    leads = {a["id"]: a["total"] for a in f["tasks"]["by_agency"]}
    assert leads == {tree.dept_a.pk: 2, tree.commune_pc.pk: 2}


def test_reception_days_against_the_weekly_minimum(dataset):
    rows = {r["agency_id"]: r for r in figures_for(dataset.city_leader)["reception"]}
    commune = rows[dataset.tree.commune_pc.pk]
    # 3 held sessions on 2 days (two on 8/1); the planned one does not count. 15/12/2025 (a
    # Monday) to 14/6/2026 (a Sunday) is 26 whole weeks at "at least 1 day a week".
    assert (commune["sessions"], commune["days"]) == (3, 2)
    assert (commune["periods"], commune["required"], commune["short_periods"]) == (26, 26, 24)
    assert commune["role"] == "commune_pc_chair"
    city = rows[dataset.tree.city.pk]
    assert (city["role"], city["sessions"]) == ("province_pc_chair", 0)


def _figures_and_buckets(f):
    """(figure, metric, by, value) for every number the dashboard links to a list."""
    p, t = f["petitions"], f["tasks"]
    yield f["headline"]["received"], "received", "", ""
    yield f["headline"]["on_time"], "on_time", "", ""
    yield f["headline"]["late"], "late", "", ""
    yield f["headline"]["open_overdue"], "open_overdue", "", ""
    yield f["headline"]["mass"], "mass", "", ""
    yield f["headline"]["tasks_due"], "tasks", "", ""
    yield f["headline"]["tasks_done"], "tasks", "status", "done"
    for kind, n in p["by_kind"].items():
        yield n, "received", "kind", kind
    for channel, n in p["by_channel"].items():
        yield n, "received", "channel", channel
    for unit in p["by_unit"]:
        yield unit["count"], "received", "unit", unit["id"] or m.NONE
    for action, n in p["outcomes"].items():
        yield n, "outcome", "action", action
    for r in p["by_agency"]:
        for metric in ("received", "on_time", "late", "open_overdue", "mass"):
            yield r[metric], metric, "agency", r["id"]
    for h in p["hotspots"]:
        yield h["count"], "received", "unit,kind", f"{h['unit_id']},{h['kind']}"
    for status, n in t["by_status"].items():
        yield n, "tasks", "status", status
    for c in t["by_content"]:
        yield c["total"], "tasks", "content", c["id"]
        for status in t["by_status"]:
            yield c[status], "tasks", "content,status", f"{c['id']},{status}"
    for a in t["by_agency"]:
        yield a["total"], "tasks", "agency", a["id"]
    for r in f["reception"]:
        yield r["sessions"], "reception", "agency", r["agency_id"]


@pytest.mark.parametrize("who", ["city_leader", "commune_officer", "dept_officer"])
def test_every_drill_down_lists_exactly_the_records_its_figure_counts(dataset, who):
    user = getattr(dataset, who)
    f = figures_for(user)
    scope = m.Scope.for_user(user)
    checked = 0
    for figure, metric, by, value in _figures_and_buckets(f):
        qs = m.records(scope=scope, period=H1, metric=metric, by=by, value=str(value), today=TODAY)
        assert qs.count() == figure, (metric, by, value)
        checked += 1
    assert checked > 20


def test_scoping_per_role(dataset):
    tree = dataset.tree
    assert figures_for(dataset.commune_officer)["headline"]["received"] == 3  # p1, p2, p3
    assert figures_for(dataset.dept_officer)["headline"]["received"] == 2  # p4, p5
    assert figures_for(dataset.front_leader)["headline"]["received"] == 1  # p8 only
    assert figures_for(dataset.city_leader, tree.dept_a)["headline"]["received"] == 2
    # An agency outside the user's scope narrows to nothing, never to its data.
    assert figures_for(dataset.commune_officer, tree.dept_a)["headline"]["received"] == 0
    assert m.Scope.for_user(dataset.commune_officer, tree.dept_a).agency_ids == frozenset()


def test_a_report_counts_its_agency_and_those_below_it(dataset):
    tree = dataset.tree
    scope = m.Scope.for_agency(tree.city)
    assert scope.agency_ids == {tree.city.pk, tree.dept_a.pk, tree.dept_b.pk, tree.commune_pc.pk}


def test_aggregation_takes_a_fixed_number_of_queries(dataset):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            figures_for(dataset.city_leader)
        return len(ctx.captured_queries)

    before = count_queries()
    tree = dataset.tree
    for i in range(40):
        p = dataset.petition(
            tree.dept_b,
            "feedback",
            "portal",
            dt.date(2026, 3, 1 + i % 20),
            tree.commune,
            "received",
        )
        dataset.deadline(p, due=dt.date(2026, 4, 1), met=dt.date(2026, 3, 25))
        dataset.move(p, "accept", dt.date(2026, 3, 2))
    assert count_queries() == before
    assert figures_for(dataset.city_leader)["headline"]["received"] == 45


def test_the_previous_period_and_trend(dataset):
    f = figures_for(dataset.city_leader)
    assert f["previous_period"]["start"] == "2025-06-15"
    trend = f["trend"]
    assert len(trend) == 6 and trend[-1]["period"] == H1.as_dict()
    assert [t["received"] for t in trend[-2:]] == [1, 5]
    assert trend[-1]["resolved"] == 2  # p1 on time, p4 late


def test_a_custom_range(dataset):
    period = periods.custom(dt.date(2026, 6, 14), dt.date(2026, 6, 15))
    f = figures_for(dataset.city_leader, period=period)
    assert f["headline"]["received"] == 2  # p5 on the 14th, p6 on the 15th
