"""Petition deadline reminders: who is told, about what, once — even when two ticks race."""

import datetime as dt
import importlib
import zoneinfo
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import race
from danvan.core.models import AuditEvent, Notification, ReminderClaim
from danvan.core.tick import registered_hooks, run_tick
from danvan.org.models import Membership
from danvan.org.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from danvan.petitions.models import Deadline, Petition
from danvan.petitions.reminders import (
    KIND_DUE_SOON,
    KIND_DUE_TODAY,
    KIND_OVERDUE,
    petition_deadline_reminders,
    petition_url,
)
from danvan.petitions.services import (
    PetitionerData,
    petition_assign,
    petition_move,
    petition_receive,
)
from danvan.petitions.tests.conftest import eligible

R = Membership.Role
DAYS = 3
RECEIVED = dt.date(2026, 3, 2)
SECRET_NAME = "Tên Bí Mật Nhắc"
SECRET_PHONE = "0912345678"
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def receive(agency, *, kind="unclassified", people=None, **extra) -> Petition:
    return petition_receive(
        actor=None,
        agency=agency,
        channel="post",
        subject=extra.pop("subject", "Tranh chấp ranh giới đất"),
        content="Hộ bên cạnh lấn chiếm 2 mét đất.",
        received_on=extra.pop("received_on", RECEIVED),
        petitioners=people or [PetitionerData(full_name="Trần Văn Dân", phone="0911222333")],
        kind=kind,
        **extra,
    )


def move(petition: Petition, action: str, **kwargs) -> Petition:
    petition.refresh_from_db()
    if action == "classify":
        kwargs.setdefault("eligibility", eligible(kwargs.get("kind", "")))
    return petition_move(
        actor=None, petition=petition, action=action, expected_version=petition.version, **kwargs
    )


def deadline(petition: Petition, kind: str = Deadline.Kind.PROCESS) -> Deadline:
    return petition.deadlines.select_related("rule").get(kind=kind)


def remind(today: dt.date) -> dict[str, int]:
    return petition_deadline_reminders(today=today, days_before=DAYS)


def sent(**counts) -> dict[str, int]:
    return {KIND_DUE_SOON: 0, KIND_DUE_TODAY: 0, KIND_OVERDUE: 0, **counts}


def told(kind: str | None = None) -> Counter:
    """{(deadline id, kind, recipient id): number of notifications}."""
    qs = Notification.objects.filter(object_type="petitions.deadline")
    if kind:
        qs = qs.filter(kind=kind)
    return Counter(qs.values_list("object_id", "kind", "recipient_id"))


def recipients(kind: str) -> set[int]:
    return {user for _id, _kind, user in told(kind)}


def at_nine(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=VN)


class Agency:
    """A handling agency with a leader, two officers and people who are never told."""

    def __init__(self, org_tree, make_member):
        self.agency = org_tree.commune_pc
        self.leader = make_member(self.agency, R.LEADER)
        self.officer = make_member(self.agency, R.OFFICER)
        self.officer2 = make_member(self.agency, R.OFFICER)
        make_member(self.agency, R.CLERK)
        make_member(self.agency, R.VIEWER)
        make_member(self.agency, R.INSPECTOR)
        make_member(org_tree.city, R.LEADER)  # the level above is not told
        MembershipFactory(agency=self.agency, role=R.LEADER, valid_to=RECEIVED)  # ended

    @property
    def everyone(self) -> set[int]:
        return {self.leader.pk, self.officer.pk, self.officer2.pk}


@pytest.fixture
def handling(org_tree, make_member):
    return Agency(org_tree, make_member)


def test_it_registers_the_hook():
    assert "petitions.deadline_reminders" in registered_hooks()


@pytest.mark.django_db
def test_it_sends_each_kind_once_at_its_boundary(handling):
    due = deadline(receive(handling.agency)).due_on

    assert remind(due - dt.timedelta(days=DAYS + 1)) == sent()
    assert remind(due - dt.timedelta(days=DAYS)) == sent(**{KIND_DUE_SOON: 1})
    assert remind(due - dt.timedelta(days=1)) == sent()  # the same due-soon reminder
    assert remind(due) == sent(**{KIND_DUE_TODAY: 1})
    assert remind(due + dt.timedelta(days=1)) == sent(**{KIND_OVERDUE: 1})
    assert remind(due + dt.timedelta(days=30)) == sent()


@pytest.mark.django_db
def test_a_late_tick_still_sends_what_is_owed(handling):
    due = deadline(receive(handling.agency)).due_on

    assert remind(due - dt.timedelta(days=1)) == sent(**{KIND_DUE_SOON: 1})
    assert remind(due + dt.timedelta(days=5)) == sent(**{KIND_OVERDUE: 1})  # due day missed


@pytest.mark.django_db
def test_it_names_the_case_by_code_kind_subject_and_citation(handling):
    petition = receive(handling.agency)
    process = deadline(petition)

    remind(process.due_on)

    note = Notification.objects.filter(kind=KIND_DUE_TODAY).first()
    assert petition.tracking_code in note.title
    assert process.due_on.strftime("%d/%m/%Y") in note.title
    assert petition.subject in note.body and process.rule.citation in note.body
    assert str(handling.agency) in note.body
    assert note.url == petition_url(petition)
    assert note.object_id == str(process.pk)


@pytest.mark.django_db
def test_without_an_assigned_officer_the_agencys_officers_and_leaders_are_told(handling):
    due = deadline(receive(handling.agency)).due_on

    remind(due - dt.timedelta(days=DAYS))
    remind(due)

    assert recipients(KIND_DUE_SOON) == recipients(KIND_DUE_TODAY) == handling.everyone


@pytest.mark.django_db
def test_with_an_assigned_officer_only_they_are_told_until_overdue(handling):
    petition = receive(handling.agency)
    petition_assign(actor=handling.leader, petitions=[petition], officer=handling.officer2)
    due = deadline(petition).due_on

    remind(due - dt.timedelta(days=DAYS))
    remind(due)

    assert recipients(KIND_DUE_SOON) == recipients(KIND_DUE_TODAY) == {handling.officer2.pk}


@pytest.mark.django_db
def test_overdue_escalates_to_the_leaders_and_the_assigned_officer(handling):
    second_leader = MembershipFactory(agency=handling.agency, role=R.LEADER).user
    assigned = receive(handling.agency)
    petition_assign(actor=handling.leader, petitions=[assigned], officer=handling.officer2)
    unassigned = receive(handling.agency)

    remind(deadline(assigned).due_on + dt.timedelta(days=1))

    leaders = {handling.leader.pk, second_leader.pk}
    overdue = told(KIND_OVERDUE)
    assert {u for d, _k, u in overdue if d == str(deadline(assigned).pk)} == {
        *leaders,
        handling.officer2.pk,
    }
    assert {u for d, _k, u in overdue if d == str(deadline(unassigned).pk)} == leaders
    assert set(overdue.values()) == {1}


@pytest.mark.django_db
def test_an_officer_who_left_is_replaced_by_the_agencys_people(handling):
    petition = receive(handling.agency)
    gone = UserFactory(is_active=False)
    petition_assign(actor=handling.leader, petitions=[petition], officer=gone)

    remind(deadline(petition).due_on)

    assert recipients(KIND_DUE_TODAY) == handling.everyone


@pytest.mark.django_db
def test_overdue_goes_to_the_officers_when_the_agency_has_no_leader(org_tree, make_member):
    officer = make_member(org_tree.dept_b, R.OFFICER)
    petition = receive(org_tree.dept_b)

    remind(deadline(petition).due_on + dt.timedelta(days=1))

    assert recipients(KIND_OVERDUE) == {officer.pk}


@pytest.mark.django_db
def test_it_keeps_a_reminder_owed_until_the_agency_has_someone_to_tell(org_tree, make_member):
    petition = receive(org_tree.dept_b)
    due = deadline(petition).due_on

    assert remind(due) == sent()
    assert not ReminderClaim.objects.exists()

    officer = make_member(org_tree.dept_b, R.OFFICER)
    assert remind(due) == sent(**{KIND_DUE_TODAY: 1})
    assert recipients(KIND_DUE_TODAY) == {officer.pk}


@pytest.mark.django_db
def test_it_skips_closed_cases_and_met_deadlines(handling):
    withdrawn = receive(handling.agency)
    move(withdrawn, "classify", kind="complaint")
    move(withdrawn, "withdraw", reason="Công dân rút đơn")  # its clocks stay unmet
    accepted = receive(handling.agency)
    move(accepted, "classify", kind="complaint")
    move(accepted, "accept", on=RECEIVED + dt.timedelta(days=2))
    resolve = deadline(accepted, Deadline.Kind.RESOLVE)
    assert deadline(withdrawn).met_on is None and deadline(accepted).met_on is not None

    remind(resolve.due_on + dt.timedelta(days=1))

    assert {int(d) for d, _k, _u in told()} == {resolve.pk}


@pytest.mark.django_db
def test_an_extension_re_arms_the_reminders(handling):
    petition = receive(handling.agency, kind="denunciation")
    move(petition, "classify", kind="denunciation")
    move(petition, "accept", on=RECEIVED + dt.timedelta(days=3))
    first_due = deadline(petition, Deadline.Kind.RESOLVE).due_on
    assert remind(first_due)[KIND_DUE_TODAY] == 1

    move(petition, "extend", reason="Vụ việc phức tạp, cần xác minh thêm")
    extended = deadline(petition, Deadline.Kind.RESOLVE)

    assert extended.due_on > first_due
    assert remind(extended.due_on - dt.timedelta(days=DAYS))[KIND_DUE_SOON] == 1
    assert remind(extended.due_on)[KIND_DUE_TODAY] == 1
    assert ReminderClaim.objects.filter(object_id=str(extended.pk)).count() == 3


@pytest.mark.django_db
def test_it_sends_each_reminder_once_when_run_twice(handling):
    due = deadline(receive(handling.agency)).due_on
    receive(handling.agency, received_on=RECEIVED - dt.timedelta(days=20))  # overdue by then

    assert remind(due) == sent(**{KIND_DUE_TODAY: 1, KIND_OVERDUE: 1})
    assert remind(due) == sent()
    # Due today: the three officers and leaders; overdue: the one leader in force.
    assert Notification.objects.count() == len(handling.everyone) + 1
    assert ReminderClaim.objects.count() == 2


@pytest.mark.django_db
def test_a_sealed_denunciations_reminders_carry_no_identity(handling):
    petition = receive(
        handling.agency,
        kind="denunciation",
        subject="Tố cáo cán bộ địa chính",
        people=[PetitionerData(full_name=SECRET_NAME, phone=SECRET_PHONE)],
    )
    move(petition, "classify", kind="denunciation")
    check = deadline(petition, Deadline.Kind.CHECK)
    for day in (-DAYS, 0, 1):
        remind(check.due_on + dt.timedelta(days=day))
    move(petition, "accept", on=check.due_on)
    resolve = deadline(petition, Deadline.Kind.RESOLVE)
    for day in (-DAYS, 0, 1):
        remind(resolve.due_on + dt.timedelta(days=day))

    notes = list(Notification.objects.all())
    assert {n.kind for n in notes} == {KIND_DUE_SOON, KIND_DUE_TODAY, KIND_OVERDUE}
    for note in notes:
        for secret in (SECRET_NAME, SECRET_PHONE, "Bí Mật"):
            assert secret not in note.title and secret not in note.body
        assert petition.tracking_code in note.title
    # Reminding never needs the identity: nothing was decrypted.
    assert not AuditEvent.objects.filter(is_sensitive_read=True).exists()


@pytest.mark.django_db
def test_the_tick_hook_reads_the_days_setting(settings, handling):
    settings.DANVAN_PETITION_REMINDER_DAYS_BEFORE = 7
    due = deadline(receive(handling.agency)).due_on

    assert run_tick(now=at_nine(due - dt.timedelta(days=8)))["petitions.deadline_reminders"] == 0
    assert run_tick(now=at_nine(due - dt.timedelta(days=7)))["petitions.deadline_reminders"] == 1


@pytest.mark.django_db
def test_the_tick_hook_defaults_to_three_days_before(settings, handling):
    if hasattr(settings, "DANVAN_PETITION_REMINDER_DAYS_BEFORE"):
        del settings.DANVAN_PETITION_REMINDER_DAYS_BEFORE
    due = deadline(receive(handling.agency)).due_on

    assert run_tick(now=at_nine(due - dt.timedelta(days=4)))["petitions.deadline_reminders"] == 0
    assert run_tick(now=at_nine(due - dt.timedelta(days=3)))["petitions.deadline_reminders"] == 1


def _queries(cases: int, received_on: dt.date) -> tuple[int, int]:
    """Remind `cases` new cases (each of its own agency); return (all queries, reads)."""
    for _ in range(cases):
        agency = AgencyFactory()
        MembershipFactory(agency=agency, role=R.LEADER)
        MembershipFactory(agency=agency, role=R.OFFICER)
        petition = receive(agency, received_on=received_on)
    due = deadline(petition).due_on
    with CaptureQueriesContext(connection) as ctx:
        assert remind(due) == sent(**{KIND_DUE_TODAY: cases})
    reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    return len(ctx.captured_queries), len(reads)


@pytest.mark.django_db
def test_it_reads_the_same_number_of_queries_for_3_or_30_cases():
    total_3, reads_3 = _queries(3, RECEIVED)
    Deadline.objects.update(met_on=RECEIVED)  # the first batch is settled
    total_30, reads_30 = _queries(30, RECEIVED + dt.timedelta(days=7))

    # Two reads (deadlines with case, agency, officer and rule joined; memberships with users).
    assert reads_3 == reads_30 == 2
    # Per reminder only writes: the claim, the notifications (one bulk insert) and the audit
    # event, and three SAVEPOINT/RELEASE pairs (the reminder's transaction, the claim's
    # savepoint, notify's atomic block).
    per_case = (total_3 - reads_3) / 3
    assert per_case == 9
    assert total_30 == reads_30 + 30 * per_case


@pytest.fixture
def legal_rules(transactional_db):
    """The seeded legal rules, again: a transactional test before this one flushed them."""
    seed = importlib.import_module("danvan.core.migrations.0003_seed_legal_rules").seed
    seed(apps, None)


@pytest.mark.django_db(transaction=True)
def test_it_sends_each_reminder_once_when_two_ticks_race(legal_rules, handling):
    petitions = [
        receive(handling.agency, received_on=RECEIVED + dt.timedelta(days=n)) for n in range(8)
    ]
    dues = sorted(deadline(p).due_on for p in petitions)
    now = at_nine(dues[3])  # some overdue, one or more due today, the rest due soon or later
    expected = sum(1 for due in dues if due <= dues[3] + dt.timedelta(days=DAYS))
    results, errors = race(lambda: run_tick(now=now))

    assert not errors, errors
    assert len(results) == 2
    assert sum(r["petitions.deadline_reminders"] for r in results) == expected
    assert ReminderClaim.objects.filter(object_type="petitions.deadline").count() == expected
    counts = told()
    assert set(counts.values()) == {1}
    assert len({d for d, _k, _u in counts}) == expected
