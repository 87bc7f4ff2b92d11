"""Task reminders: who is told, about which tasks, once — even when two ticks race."""

import datetime as dt
import zoneinfo
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import race
from danvan.core.models import Notification, ReminderClaim
from danvan.core.tick import registered_hooks, run_tick
from danvan.org.models import Membership
from danvan.org.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from danvan.plans.models import ContentArea, Plan, Task
from danvan.plans.reminders import KIND_DUE_SOON, KIND_OVERDUE, plan_task_reminders

TODAY = dt.date(2026, 3, 10)
DAYS = 3
# Mid-morning in Vietnam on TODAY: what the tick hook turns into `today`.
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


def make_plan(*, status=Plan.Status.ISSUED, agency=None) -> Plan:
    return Plan.objects.create(
        title="Kế hoạch công tác dân vận năm 2026",
        issuing_agency=agency or AgencyFactory(),
        year=2026,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        status=status,
    )


def make_task(*, plan: Plan, lead, due_on: dt.date, **fields) -> Task:
    content, _ = ContentArea.objects.get_or_create(plan=plan, number=1, defaults={"title": "(1)"})
    fields.setdefault("title", f"Nhiệm vụ hạn {due_on:%d/%m}")
    return Task.objects.create(
        plan=plan, content=content, lead_agency=lead, due_on=due_on, **fields
    )


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def reminded(kind: str | None = None) -> Counter:
    """{(task id, kind, recipient id): number of notifications}."""
    qs = Notification.objects.filter(object_type="plans.task")
    if kind:
        qs = qs.filter(kind=kind)
    return Counter(qs.values_list("object_id", "kind", "recipient_id"))


def reminded_task_ids(kind: str) -> set[int]:
    return {int(task_id) for task_id, _kind, _user in reminded(kind)}


@pytest.fixture
def lead(db):
    """A lead agency with one leader (the only one told, unless a test adds more)."""
    agency = AgencyFactory(name="Sở Nội vụ")
    agency.leader = MembershipFactory(agency=agency, role=Membership.Role.LEADER).user
    return agency


@pytest.fixture
def plan(db):
    return make_plan()


def test_it_registers_the_hook():
    assert "plans.task_reminders" in registered_hooks()


@pytest.mark.django_db
def test_it_reminds_from_due_today_to_exactly_n_days_ahead(plan, lead):
    today = make_task(plan=plan, lead=lead, due_on=TODAY)
    last_day = make_task(plan=plan, lead=lead, due_on=days(DAYS))
    make_task(plan=plan, lead=lead, due_on=days(DAYS + 1))  # not yet

    sent = plan_task_reminders(today=TODAY, days_before=DAYS)

    assert sent == {KIND_DUE_SOON: 2, KIND_OVERDUE: 0}
    assert reminded_task_ids(KIND_DUE_SOON) == {today.pk, last_day.pk}


@pytest.mark.django_db
def test_it_reminds_overdue_tasks(plan, lead):
    late = make_task(plan=plan, lead=lead, due_on=days(-1))
    very_late = make_task(plan=plan, lead=lead, due_on=days(-90))

    sent = plan_task_reminders(today=TODAY, days_before=DAYS)

    assert sent == {KIND_DUE_SOON: 0, KIND_OVERDUE: 2}
    assert reminded_task_ids(KIND_OVERDUE) == {late.pk, very_late.pk}
    note = Notification.objects.get(object_id=str(late.pk))
    assert "09/03/2026" in note.title and late.title in note.title
    assert late.title in note.body and str(lead) in note.body


@pytest.mark.django_db
def test_it_skips_completed_tasks_and_plans_not_in_force(lead):
    issued, in_progress = make_plan(), make_plan(status=Plan.Status.IN_PROGRESS)
    wanted = make_task(plan=in_progress, lead=lead, due_on=TODAY)
    make_task(plan=issued, lead=lead, due_on=TODAY, completed_on=days(-1))
    make_task(plan=issued, lead=lead, due_on=days(-5), completed_on=days(-1))
    make_task(plan=make_plan(status=Plan.Status.DRAFT), lead=lead, due_on=TODAY)
    make_task(plan=make_plan(status=Plan.Status.CLOSED), lead=lead, due_on=days(-1))

    plan_task_reminders(today=TODAY, days_before=DAYS)

    assert reminded_task_ids(KIND_DUE_SOON) | reminded_task_ids(KIND_OVERDUE) == {wanted.pk}


@pytest.mark.django_db
def test_it_skips_recurring_templates_but_reminds_their_occurrences(plan, lead):
    template = make_task(
        plan=plan, lead=lead, due_on=TODAY, recurrence=Task.Recurrence.MONTHLY, recurrence_day=10
    )
    occurrence = make_task(
        plan=plan,
        lead=lead,
        due_on=TODAY,
        recurrence=Task.Recurrence.MONTHLY,
        occurrence_of=template,
    )
    last_month = make_task(plan=plan, lead=lead, due_on=days(-28), occurrence_of=template)

    plan_task_reminders(today=TODAY, days_before=DAYS)

    assert reminded_task_ids(KIND_DUE_SOON) == {occurrence.pk}
    assert reminded_task_ids(KIND_OVERDUE) == {last_month.pk}


@pytest.mark.django_db
def test_it_tells_only_the_lead_agencys_leaders_and_officers_in_force(plan, lead):
    officer = MembershipFactory(agency=lead, role=Membership.Role.OFFICER).user
    for role in (Membership.Role.CLERK, Membership.Role.VIEWER, Membership.Role.INSPECTOR):
        MembershipFactory(agency=lead, role=role)
    MembershipFactory(agency=lead, role=Membership.Role.OFFICER, valid_to=days(-1))  # ended
    MembershipFactory(agency=lead, role=Membership.Role.LEADER, valid_from=days(1))  # not yet
    MembershipFactory(agency=lead, role=Membership.Role.LEADER, user=UserFactory(is_active=False))
    # The leader is also an officer: still one notification.
    MembershipFactory(agency=lead, role=Membership.Role.OFFICER, user=lead.leader)
    coordinating = AgencyFactory()
    MembershipFactory(agency=coordinating, role=Membership.Role.LEADER)
    parent_leader = MembershipFactory(agency=AgencyFactory(), role=Membership.Role.LEADER)
    lead.parent = parent_leader.agency
    lead.save()
    task = make_task(plan=plan, lead=lead, due_on=TODAY)
    task.coordinating_agencies.add(coordinating)

    plan_task_reminders(today=TODAY, days_before=DAYS)

    assert reminded() == Counter(
        {
            (str(task.pk), KIND_DUE_SOON, lead.leader.pk): 1,
            (str(task.pk), KIND_DUE_SOON, officer.pk): 1,
        }
    )


@pytest.mark.django_db
def test_it_sends_each_reminder_once_when_run_twice(plan, lead):
    make_task(plan=plan, lead=lead, due_on=TODAY)
    make_task(plan=plan, lead=lead, due_on=days(-2))

    first = plan_task_reminders(today=TODAY, days_before=DAYS)
    second = plan_task_reminders(today=TODAY, days_before=DAYS)

    assert first == {KIND_DUE_SOON: 1, KIND_OVERDUE: 1}
    assert second == {KIND_DUE_SOON: 0, KIND_OVERDUE: 0}
    assert Notification.objects.count() == 2
    assert ReminderClaim.objects.count() == 2


@pytest.mark.django_db
def test_it_reminds_again_when_the_task_falls_overdue_or_is_rescheduled(plan, lead):
    task = make_task(plan=plan, lead=lead, due_on=days(2))
    plan_task_reminders(today=TODAY, days_before=DAYS)
    plan_task_reminders(today=days(1), days_before=DAYS)  # still the same due-soon reminder
    assert plan_task_reminders(today=days(3), days_before=DAYS)[KIND_OVERDUE] == 1

    task.due_on = days(10)
    task.save()
    assert plan_task_reminders(today=days(8), days_before=DAYS)[KIND_DUE_SOON] == 1
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        KIND_DUE_SOON,
        KIND_DUE_SOON,
        KIND_OVERDUE,
    ]


@pytest.mark.django_db
def test_it_keeps_a_reminder_owed_until_the_agency_has_someone_to_tell(plan):
    nobody_home = AgencyFactory()
    task = make_task(plan=plan, lead=nobody_home, due_on=TODAY)

    assert plan_task_reminders(today=TODAY, days_before=DAYS)[KIND_DUE_SOON] == 0
    assert not ReminderClaim.objects.exists()

    officer = MembershipFactory(agency=nobody_home, role=Membership.Role.OFFICER).user
    assert plan_task_reminders(today=TODAY, days_before=DAYS)[KIND_DUE_SOON] == 1
    assert reminded() == Counter({(str(task.pk), KIND_DUE_SOON, officer.pk): 1})


@pytest.mark.django_db
def test_it_reads_the_days_setting_in_the_tick_hook(settings, plan, lead):
    settings.DANVAN_TASK_REMINDER_DAYS_BEFORE = 7
    make_task(plan=plan, lead=lead, due_on=days(7))
    make_task(plan=plan, lead=lead, due_on=days(8))

    assert run_tick(now=NOW)["plans.task_reminders"] == 1


@pytest.mark.django_db
def test_it_defaults_to_three_days_before(settings, plan, lead):
    del settings.DANVAN_TASK_REMINDER_DAYS_BEFORE
    make_task(plan=plan, lead=lead, due_on=days(3))
    make_task(plan=plan, lead=lead, due_on=days(4))

    assert run_tick(now=NOW)["plans.task_reminders"] == 1


@pytest.mark.django_db(transaction=True)
def test_it_leaves_the_reminder_mail_to_the_worker(settings, plan, lead):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    lead.leader.email = "lanhdao@example.vn"
    lead.leader.save()
    make_task(plan=plan, lead=lead, due_on=TODAY)

    run_tick(now=NOW)
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert [m.to for m in mail.outbox] == [["lanhdao@example.vn"]]


def _queries(tasks: int) -> tuple[int, int]:
    """Run reminders for `tasks` new tasks; return (total queries, queries that only read)."""
    plan = make_plan()
    for _ in range(tasks):
        lead = AgencyFactory()
        MembershipFactory(agency=lead, role=Membership.Role.LEADER)
        MembershipFactory(agency=lead, role=Membership.Role.OFFICER)
        make_task(plan=plan, lead=lead, due_on=TODAY)
    with CaptureQueriesContext(connection) as ctx:
        sent = plan_task_reminders(today=TODAY, days_before=DAYS)
    assert sent[KIND_DUE_SOON] == tasks
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    return len(ctx.captured_queries), len(reads)


@pytest.mark.django_db
def test_it_reads_the_same_number_of_queries_for_3_or_30_tasks():
    total_3, reads_3 = _queries(3)
    Plan.objects.update(status=Plan.Status.CLOSED)  # the first batch is settled
    total_30, reads_30 = _queries(30)

    # Two reads (tasks with plan and agency joined; memberships with users), whatever the size.
    assert reads_3 == reads_30 == 2
    # Per task only writes: three inserts (claim, notifications in one bulk insert, audit event)
    # and three SAVEPOINT/RELEASE pairs (the task's transaction, the claim's savepoint and
    # notify's own atomic block; in autocommit the first pair is a BEGIN/COMMIT instead).
    per_task = (total_3 - reads_3) / 3
    assert per_task == 9
    assert total_30 == reads_30 + 30 * per_task


@pytest.mark.django_db(transaction=True)
def test_it_sends_each_reminder_once_when_two_ticks_race(plan, lead):
    MembershipFactory(agency=lead, role=Membership.Role.OFFICER)
    tasks = [make_task(plan=plan, lead=lead, due_on=days(n)) for n in range(-10, DAYS + 1)]
    results, errors = race(lambda: run_tick(now=NOW))

    # On Django's default SQLite test database (in memory, shared cache) this fails with
    # "database table is locked": shared-cache locks are per table and SQLite's busy timeout
    # does not wait for them. A file database (as in production) or PostgreSQL passes.
    assert not errors, errors
    assert len(results) == 2
    assert sum(r["plans.task_reminders"] for r in results) == len(tasks)
    counts = reminded()
    assert len(counts) == 2 * len(tasks)  # every task, both recipients
    assert set(counts.values()) == {1}
    assert ReminderClaim.objects.count() == len(tasks)
