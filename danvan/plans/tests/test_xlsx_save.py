"""How the XLSX import saves and checks rows: batches in file order with the model's defaults,
PostgreSQL's pipelined batches (foreign keys deferred again afterwards, a server error rolls
everything back), and the compiled field rules agreeing with Django's own."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from danvan.core.models import AuditEvent
from danvan.plans.models import Task
from danvan.plans.tests.test_xlsx import errors_at, officer, plan, row, xlsx  # noqa: F401
from danvan.plans.xlsx_import import import_tasks
from danvan.plans.xlsx_rows import CellError, field_rules

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pipelined PostgreSQL path"
)


class _Stop(Exception):
    pass


def test_it_saves_batches_in_file_order_with_the_models_defaults(
    org_tree,
    plan,  # noqa: F811
    officer,  # noqa: F811
    monkeypatch,
):
    # Batches of two, and a recurring task in the middle, which is saved through the ORM.
    monkeypatch.setattr("danvan.plans.xlsx_import.BATCH_SIZE", 2)
    rows = [row(code=f"A-{n}", coordinating="so-b, mttq, so-a") for n in range(1, 4)]
    rows.append(row(code="Q", due_on="31/12/2026", recurrence="hằng quý", recurrence_day=15))
    rows += [row(code=f"B-{n}", title=f"Đối thoại {n}") for n in range(1, 4)]
    result = import_tasks(actor=officer, plan=plan, data=xlsx(rows))
    assert result.ok, [str(e) for e in result.errors]
    tasks = list(Task.objects.filter(plan=plan, occurrence_of=None).order_by("id"))
    assert [t.code for t in tasks] == ["A-1", "A-2", "A-3", "Q", "B-1", "B-2", "B-3"]
    fresh = Task()
    for task in tasks:
        assert (task.percent, task.version, task.started_on, task.completed_on) == (
            fresh.percent,
            fresh.version,
            None,
            None,
        )
        assert task.parent_id is None and task.created_at is not None
        expected = Task(code=task.code, title=task.title)
        expected.refresh_search_text()
        assert task.search_text == expected.search_text
    # The lead agency (so-a) is not also a coordinating one.
    assert {a.code for a in tasks[0].coordinating_agencies.all()} == {"so-b", "mttq"}
    assert not tasks[4].coordinating_agencies.exists()
    assert tasks[3].occurrences.count() == 4


@postgresql_only
def test_the_foreign_keys_are_deferred_again_after_the_import(plan, officer):  # noqa: F811
    assert import_tasks(actor=officer, plan=plan, data=xlsx([row(), row()])).ok
    task = Task.objects.filter(plan=plan).first()
    with pytest.raises(_Stop), transaction.atomic(), connection.cursor() as cursor:
        # Were the keys still checked at once, this insert itself would fail.
        cursor.execute(
            "INSERT INTO plans_task_coordinating_agencies (task_id, agency_id) VALUES (%s, %s)",
            [task.pk, 10**12],
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        raise _Stop


@postgresql_only
def test_a_server_error_in_a_later_batch_rolls_everything_back(
    plan,  # noqa: F811
    officer,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr("danvan.plans.xlsx_import.BATCH_SIZE", 2)
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(
            "CREATE FUNCTION xlsx_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN IF NEW.title = 'Nổ' THEN RAISE EXCEPTION 'refused'; END IF;"
            " RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER xlsx_test_refuse BEFORE INSERT ON plans_task"
            " FOR EACH ROW EXECUTE FUNCTION xlsx_test_refuse()"
        )
    rows = [row(code=f"A-{n}") for n in range(1, 6)] + [row(code="X", title="Nổ"), row()]
    with pytest.raises(DatabaseError, match="refused"):
        import_tasks(actor=officer, plan=plan, data=xlsx(rows))
    assert not Task.objects.filter(plan=plan).exists()
    assert not AuditEvent.objects.filter(action="plans.tasks_import").exists()


def test_an_impossible_deadline_repeated_is_reported_on_every_row(plan, officer):  # noqa: F811
    rows = [row(due_on="30/06/2026"), row(due_on="31/02/2026"), row(due_on="31/02/2026")]
    result = import_tasks(actor=officer, plan=plan, data=xlsx(rows))
    assert errors_at(result) == [(3, "Thời hạn"), (4, "Thời hạn")]


OVER = "x" * 501
SAMPLES = [
    None,
    "",
    "  ",
    "A-1",
    "x" * 32,
    "x" * 33,
    OVER,
    Task.Recurrence.MONTHLY,
    "monthly",
    "sometimes",
    0,
    15,
    -1,
    40_000,
    True,
    False,
    1.0,
    dt.date(2026, 3, 31),
    dt.datetime(2026, 3, 31, 12, 0),
    [],
]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", field_rules(), ids=lambda r: r.name)
def test_the_compiled_field_rules_say_what_django_says(rule):
    for value in SAMPLES:
        expected = []
        if not (rule.field.blank and value in rule.field.empty_values):
            try:
                rule.field.clean(value, None)
            except Exception as exc:  # Django's answer, whatever it is
                messages = getattr(exc, "messages", None)
                expected = [CellError(rule.column, m) for m in messages] if messages else exc
        if isinstance(expected, Exception):
            with pytest.raises(type(expected)):
                rule.check(value)
        else:
            assert rule.check(value) == expected, (rule.name, value)
