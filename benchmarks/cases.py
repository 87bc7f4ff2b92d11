"""The benchmarked operations, each through the application's own code and, where one exists, the
hand-written SQL of the same work on the same database."""

import json
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from benchmarks.measure import Result, captured_sql, peak_mb, percentile, raw, timed_result
from danvan.core.paginator import COUNT_CAP
from danvan.org.models import Agency, Membership
from danvan.org.selectors import _SCOPE_SQL
from danvan.petitions.models import Petition
from danvan.petitions.selectors import InboxFilters, inbox_page

PAGE = 50
INBOX_COLUMNS = """p.id, p.tracking_code, p.subject, p.kind, p.channel, p.status, p.received_on,
    p.due_on, a.name, un.name, s.id"""
INBOX_FROM = """FROM petitions_petition p JOIN org_agency a ON a.id = p.agency_id
    LEFT JOIN org_administrativeunit un ON un.id = p.unit_id
    LEFT JOIN petitions_sealedidentity s ON s.petition_id = p.id"""


# What an inbox row shows, the officer and the seal looked up for the page's rows only.
INBOX_PAGE_COLUMNS = """p.id, p.tracking_code, p.subject, p.kind, p.status, p.is_mass, p.due_on,
    p.is_anonymous,
    (SELECT COALESCE(NULLIF(u.full_name, ''), u.username) FROM core_user u
     WHERE u.id = p.assigned_to_id),
    (SELECT s.id FROM petitions_sealedidentity s WHERE s.petition_id = p.id)"""


def bench_user(agency: Agency, role: str):
    return get_user_model().objects.get(username=f"bench-{role}-{agency.pk}")


def busiest_agency(**filters) -> Agency:
    row = (
        Petition.objects.filter(agency__code__startswith="bench-", **filters)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return Agency.objects.get(pk=row["agency_id"])


def _first_page(user, filters: InboxFilters):
    """What the inbox view does for page 1 (`petitions.views.inbox_view`). Outside a request the
    user's scope is not cached, so each run resolves it, as each request does once."""

    def run():
        inbox_page(user=user, filters=filters, number=1, per_page=PAGE)

    return run


def _scope_ids(cursor, user_id: int) -> list[int]:
    """The user's agencies in scope by the application's own statement (memberships and access
    grants in force, agencies in force, and below them for leaders and inspectors): the raw
    side does the same scoping work as the app."""
    today = timezone.localdate()
    roles = sorted(Membership.SUBTREE_ROLES)
    cursor.execute(_SCOPE_SQL, [*roles, user_id, today, today, today, today, user_id, today, today])
    return sorted({agency_id for agency_id, _role in cursor.fetchall()})


def _raw_inbox(user_id: int, extra: str = "", params=()):
    """The inbox by hand: the user's scope (their agencies, and below for leaders) from one
    recursive query, then the count, the first page and its petitioners."""
    where = f"(p.agency_id = ANY(%s) OR p.assigned_to_id = %s){extra}"
    page = (
        f"SELECT {INBOX_PAGE_COLUMNS} FROM petitions_petition p WHERE {where} "
        f"ORDER BY p.due_on ASC, p.received_on DESC, p.id DESC LIMIT {PAGE}"
    )
    count = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM petitions_petition p WHERE {where} "
        f"LIMIT {COUNT_CAP + 1}) capped"
    )

    def run():
        with connection.cursor() as cursor:
            ids = _scope_ids(cursor, user_id)
            cursor.execute(count, [ids, user_id, *params])
            cursor.fetchall()
            cursor.execute(page, [ids, user_id, *params])
            rows = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                "SELECT petition_id, full_name FROM petitions_petitioner "
                "WHERE petition_id = ANY(%s) ORDER BY petition_id, position",
                [rows],
            )
            cursor.fetchall()

    return run


def inbox_officer(repeat: int) -> Result:
    """The busiest commune's officer opens the inbox: own agency, sorted by due date."""
    agency = busiest_agency(agency__kind="peoples_committee", agency__parent__isnull=False)
    user = bench_user(agency, "officer")
    return timed_result(
        "inbox: commune officer, first page",
        _first_page(user, InboxFilters()),
        baseline=_raw_inbox(user.pk),
        repeat=repeat,
        target="p50 ≤ 1.5× raw SQL and ≤ 30 ms",
        notes={"agency": agency.name},
    )


def _province_leader():
    from danvan.org.selectors import visible_agency_ids

    province_pc = busiest_agency(agency__parent__isnull=True, agency__kind="peoples_committee")
    user = bench_user(province_pc, "leader")
    return province_pc, user, sorted(visible_agency_ids(user))


def inbox_province(repeat: int) -> Result:
    """A province leader (the whole province in scope) filters complaints."""
    agency, user, ids = _province_leader()
    return timed_result(
        "inbox: province leader, complaints",
        _first_page(user, InboxFilters(kind="complaint")),
        baseline=_raw_inbox(user.pk, " AND p.kind = %s", ["complaint"]),
        repeat=repeat,
        target="p50 ≤ 1.5× raw SQL and ≤ 30 ms",
        notes={"agency": agency.name, "agencies_in_scope": len(ids)},
    )


def search(repeat: int) -> Result:
    """Diacritic-insensitive search ("đất đai" typed without marks) over a province."""
    _agency, user, ids = _province_leader()
    return timed_result(
        "search: 'dat dai' in a province",
        _first_page(user, InboxFilters(query="Dat dai")),
        baseline=_raw_inbox(user.pk, " AND p.search_text LIKE %s", ["%dat dai%"]),
        repeat=repeat,
        target="p50 ≤ 100 ms",
        notes={"agencies_in_scope": len(ids)},
    )


def _dashboard(name: str, user, repeat: int, notes: dict) -> Result:
    """The leadership dashboard's figures for `user` over the current year."""
    from danvan.reports import metrics as m
    from danvan.reports import periods
    from danvan.reports.rollups import refresh
    from danvan.reports.selectors import compute_figures

    cutoff = settings.DANVAN_REPORT_CUTOFF_DAY
    today = timezone.localdate()
    period = periods.containing(today, periods.YEAR, cutoff_day=cutoff)
    # What the worker does every few minutes: closed months not rolled up yet, changed ones.
    started = timezone.now()
    rolled = refresh(cutoff_day=cutoff, today=today)
    refresh_ms = (timezone.now() - started).total_seconds() * 1000

    def app():
        return compute_figures(
            scope=m.Scope.for_user(user), period=period, today=today, cutoff_day=cutoff
        )

    started = timezone.now()
    first = app()  # the first call in this process: cold caches
    cold_ms = (timezone.now() - started).total_seconds() * 1000
    statements = [(sql, None) for sql in captured_sql(app)]
    return timed_result(
        name,
        app,
        baseline=raw(statements),
        baseline_name="the same SQL, raw",
        repeat=repeat,
        target="≤ 300 ms cold",
        notes=notes
        | {"first_call_ms": round(cold_ms), "queries": len(statements)}
        | {"received": first["headline"]["received"]}
        | {"rollup_refresh_ms": round(refresh_ms), "rollup_months_built": rolled.months},
    )


def dashboard(repeat: int) -> Result:
    """The leadership dashboard for the current year over every agency (a superuser)."""
    admin = get_user_model().objects.filter(is_superuser=True).first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench-admin", "", "bench-admin-pw")
    return _dashboard("dashboard: one year, all agencies", admin, repeat, {})


def dashboard_province(repeat: int) -> Result:
    """The same for the busiest province's leader (its whole subtree): the normal deployment."""
    agency, user, ids = _province_leader()
    return _dashboard(
        "dashboard: one year, a province leader",
        user,
        repeat,
        {"agency": agency.name, "agencies_in_scope": len(ids)},
    )


def case_page(repeat: int) -> Result:
    """An officer opens a case: the whole page through the test client (middleware, template)."""
    agency = busiest_agency(agency__kind="peoples_committee", agency__parent__isnull=False)
    user = bench_user(agency, "officer")
    # An open case being handled; at 10k the busiest commune may hold none accepted yet.
    mine = Petition.objects.filter(agency=agency).order_by("-pk")
    petition = (
        mine.filter(status="accepted").first()
        or mine.filter(status__in=("received", "classified", "verifying")).first()
        or mine.first()
    )
    client = Client()
    client.force_login(user)
    url = petition.get_absolute_url()
    statements = [
        (f"SELECT {INBOX_COLUMNS} {INBOX_FROM} WHERE p.id = %s", [petition.pk]),
        ("SELECT * FROM petitions_petitioner WHERE petition_id = %s", [petition.pk]),
        ("SELECT * FROM petitions_transition WHERE petition_id = %s ORDER BY at", [petition.pk]),
        ("SELECT * FROM petitions_deadline WHERE petition_id = %s", [petition.pk]),
        ("SELECT * FROM petitions_attachment WHERE petition_id = %s", [petition.pk]),
    ]

    def app():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return timed_result(
        "case page (full request)", app, baseline=raw(statements), repeat=repeat, target="—"
    )


def duplicate_check(sample: int) -> Result:
    """Duplicate check at intake on known copies; recall = original among the top 3."""
    from benchmarks.measure import timings
    from danvan.petitions.duplicates import find_candidates

    pairs = json.loads((Path(settings.VAR_DIR) / "bench" / "duplicates.json").read_text())
    rng = random.Random(5)
    chosen = rng.sample(pairs, min(sample, len(pairs)))
    copies = Petition.objects.in_bulk([c for c, _o in chosen])
    found, times = 0, []
    for copy_id, original_id in chosen:
        copy = copies[copy_id]

        def check(copy=copy):
            return find_candidates(
                text=f"{copy.subject} {copy.content}",
                unit_id=copy.unit_id,
                agency_id=copy.agency_id,
                match_keys=copy.match_keys,
                received_on=copy.received_on,
                exclude_id=copy.pk,
                limit=5,
            )

        times += timings(check, repeat=1, warmup=0)
        found += original_id in [c.petition.pk for c in check()[:3]]
    recall = found / len(chosen) if chosen else 0.0
    return Result(
        name="duplicate check at intake",
        unit="ms",
        p50=round(percentile(times, 0.5), 2),
        p95=round(percentile(times, 0.95), 2),
        runs=len(times),
        target="p95 ≤ 50 ms, recall ≥ 0.9",
        notes={"recall_top3": round(recall, 3), "copies_checked": len(chosen)},
    )


def annual_report() -> Result:
    """The annual report DOCX of the province with the most petitions (figures + document)."""
    from benchmarks.measure import timings
    from danvan.reports import documents, periods
    from danvan.reports.models import Report
    from danvan.reports.selectors import report_data

    agency, _user, _ids = _province_leader()
    today = timezone.localdate()
    period = periods.containing(today, periods.YEAR, cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY)
    report = Report(
        agency=agency,
        period_kind=period.kind,
        period_year=period.year,
        period_index=1,
        period_start=period.start,
        period_end=period.end,
        subject="Báo cáo năm",
        number="1/BC-UBND",
        signer_position="CHỦ TỊCH",
        signer_name="—",
    )
    report.plan = agency.plans.filter(year=period.year).first()

    def app():
        data = report_data(report, today=today, cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY)
        return documents.build_docx(report, data)

    ms = timings(app, repeat=3)
    return Result(
        name="annual report DOCX (province)",
        unit="ms",
        p50=round(percentile(ms, 0.5), 1),
        p95=round(max(ms), 1),
        peak_mb=peak_mb(app),
        runs=3,
        target="≤ 3 s",
        notes={"bytes": len(app())},
    )


def xlsx_import(rows: int) -> Result:
    """Import a generated XLSX of `rows` one-off tasks into a new plan (all or nothing): timed
    on one plan, its memory traced on a second (tracing slows Python down several times)."""
    import time
    import uuid

    from danvan.plans import xlsx_import
    from danvan.plans.tests.bench_xlsx_import import _fixtures, _workbook
    from danvan.plans.xlsx_import import import_tasks
    from danvan.reports.rollups import tree_fingerprint

    tree_before = tree_fingerprint()

    # Files are capped at 20,000 rows in the product (MAX_IMPORT_ROWS); the bench lifts the cap
    # to measure the same code at the 50,000.
    xlsx_import.MAX_IMPORT_ROWS = max(xlsx_import.MAX_IMPORT_ROWS, rows)

    def prepared():
        actor, plan, codes = _fixtures(uuid.uuid4().hex[:10])
        data = _workbook(rows, 0, codes)

        def run():
            result = import_tasks(actor=actor, plan=plan, data=data)
            assert result.ok, [str(e) for e in result.errors[:3]]

        return run, data

    timed, data = prepared()
    started = time.perf_counter()
    timed()
    seconds = time.perf_counter() - started
    traced, _data = prepared()
    peak = peak_mb(traced)
    _remove_import_fixtures()
    if tree_fingerprint() != tree_before:
        raise RuntimeError("the import case left the agency tree changed: rollups would rebuild")
    return Result(
        name=f"XLSX import, {rows:,} rows",
        unit="rows/s",
        p50=round(rows / seconds),
        peak_mb=peak,
        runs=1,
        target="≥ 5,000 rows/s, flat memory",
        notes={"seconds": round(seconds, 2), "file_kib": len(data) // 1024},
    )


def _remove_import_fixtures() -> None:
    """Delete what the import case added (its plans and tasks, agencies, unit and user), so the
    bench database is the generated data set again: the added agencies would otherwise change
    the agency tree, which rebuilds every rollup, and the tasks would double the task figures of
    the next `make bench` on the same database."""
    from django.db import transaction

    from danvan.plans.models import ContentArea, Plan, Task
    from danvan.plans.tests.bench_xlsx_import import PLAN_PREFIX, USER_PREFIX

    with transaction.atomic():
        for plan in Plan.objects.filter(title__startswith=PLAN_PREFIX).select_related(
            "issuing_agency__unit"
        ):
            unit = plan.issuing_agency.unit
            Task.objects.filter(plan=plan).delete()
            ContentArea.objects.filter(plan=plan).delete()
            plan.delete()
            Agency.objects.filter(unit=unit).delete()
            unit.delete()
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    # As after the generator's load: without it the deleted rows' pages are not all-visible and
    # the dashboard's index-only task scans visit the heap (seen: first call 487 → 815 ms).
    tables = [model._meta.db_table for model in (Task, Task.coordinating_agencies.through, Agency)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")  # the models' own table names
