import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.core.errors import ConcurrentChangeError, TransitionError
from danvan.core.models import AuditEvent
from danvan.plans.models import Plan, PlanVersion, ProgressUpdate, Task
from danvan.plans.progress import implementing_plan_create, progress_post, progress_review
from danvan.plans.services import (
    legal_document_upsert,
    plan_set_status,
    plan_update,
    task_create,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_it_refuses_a_deadline_outside_the_plan_period(world):
    with pytest.raises(ValidationError) as exc:
        task_create(
            actor=None,
            plan=world.plan,
            content=world.content,
            title="Ngoài kỳ",
            lead_agency=world.tree.dept_a,
            due_on=dt.date(2027, 1, 5),
        )
    assert "due_on" in exc.value.error_dict
    assert not Task.objects.filter(title="Ngoài kỳ").exists()


def test_a_recurring_task_creates_one_occurrence_per_period(world):
    task = task_create(
        actor=None,
        plan=world.plan,
        content=world.content,
        title="Báo cáo quý",
        lead_agency=world.tree.dept_a,
        due_on=dt.date(2026, 12, 31),
        recurrence="quarterly",
        recurrence_day=14,
        coordinating=[world.tree.dept_b],
    )
    occurrences = list(task.occurrences.order_by("due_on"))
    assert [o.due_on for o in occurrences] == [dt.date(2026, m, 14) for m in (3, 6, 9, 12)]
    assert all(list(o.coordinating_agencies.all()) == [world.tree.dept_b] for o in occurrences)


def test_a_recurrence_that_makes_no_dates_is_refused_and_nothing_saved(world):
    before = Task.objects.count()
    with pytest.raises(ValidationError) as exc:
        task_create(
            actor=None,
            plan=world.plan,
            content=world.content,
            title="Báo cáo quý",
            lead_agency=world.tree.dept_a,
            due_on=dt.date(2026, 2, 27),
            recurrence="quarterly",
            recurrence_day=14,
        )
    assert "recurrence" in exc.value.error_dict
    assert Task.objects.count() == before


def test_a_lead_agency_update_counts_at_once_and_100_percent_completes(world):
    progress_post(
        actor=world.lead_officer,
        task=world.task,
        agency=world.tree.dept_a,
        text="Đã xong",
        percent=100,
        files=[pdf()],
    )
    world.task.refresh_from_db()
    assert world.task.percent == 100
    assert world.task.completed_on is not None
    update = world.task.updates.get()
    assert update.review == ProgressUpdate.Review.ACCEPTED
    assert update.evidence.get().content_type == "application/pdf"
    assert Plan.objects.get(pk=world.plan.pk).status == Plan.Status.IN_PROGRESS


def test_a_coordinating_update_waits_for_the_lead_and_a_return_needs_a_reason(world):
    update = progress_post(
        actor=world.coord_officer,
        task=world.task,
        agency=world.tree.dept_b,
        text="Đã phối hợp",
        percent=40,
    )
    world.task.refresh_from_db()
    assert (update.review, world.task.percent) == (ProgressUpdate.Review.PENDING, 0)
    with pytest.raises(ValidationError):
        progress_review(actor=world.lead_officer, update=update, accept=False, reason=" ")
    progress_review(actor=world.lead_officer, update=update, accept=True)
    world.task.refresh_from_db()
    assert world.task.percent == 40


def test_the_second_reviewer_is_told_the_first_already_decided(world):
    update = progress_post(
        actor=world.coord_officer,
        task=world.task,
        agency=world.tree.dept_b,
        text="Đã phối hợp",
        percent=40,
    )
    progress_review(actor=world.lead_officer, update=update, accept=False, reason="Thiếu số liệu")
    with pytest.raises(ConcurrentChangeError) as exc:
        progress_review(actor=world.lead_leader, update=update, accept=True)
    assert str(world.lead_officer) in " ".join(exc.value.messages)
    world.task.refresh_from_db()
    assert world.task.percent == 0  # the returned report never counted


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "bad_type"),
        ("big.pdf", PDF + b"0" * (21 * 1024 * 1024), "too_large"),
    ],
)
def test_it_refuses_bad_evidence_and_saves_nothing(world, name, content, code):
    with pytest.raises(ValidationError) as exc:
        progress_post(
            actor=world.lead_officer,
            task=world.task,
            agency=world.tree.dept_a,
            text="Có tệp",
            percent=10,
            files=[pdf(name, content)],
        )
    assert exc.value.code == code
    assert not ProgressUpdate.objects.exists()


def test_a_stale_edit_is_refused_and_the_plan_keeps_the_first_change(world):
    version = world.plan.version
    plan_update(
        actor=world.issuer_officer, plan=world.plan, expected_version=version, title="Tên mới"
    )
    with pytest.raises(ConcurrentChangeError):
        plan_update(
            actor=world.city_leader, plan=world.plan, expected_version=version, title="Tên khác"
        )
    plan = Plan.objects.get(pk=world.plan.pk)
    assert plan.title == "Tên mới"
    assert PlanVersion.objects.filter(plan=plan).count() == plan.version


def test_plan_status_moves_only_along_the_table(world):
    with pytest.raises(TransitionError):
        plan_set_status(actor=None, plan=world.plan, status=Plan.Status.DRAFT)
    plan = plan_set_status(actor=None, plan=world.plan, status=Plan.Status.CLOSED)
    with pytest.raises(TransitionError):
        plan_set_status(actor=None, plan=plan, status=Plan.Status.IN_PROGRESS)


def test_an_implementing_plan_hands_tasks_down_and_progress_rolls_up(world):
    from danvan.plans.selectors import plan_tree

    child = implementing_plan_create(
        actor=world.lead_officer, parent_plan=world.plan, agency=world.tree.dept_b
    )
    handed = child.tasks.get()
    assert (handed.parent_id, handed.lead_agency_id) == (world.task.pk, world.tree.dept_b.pk)
    assert list(child.contents.values_list("number", flat=True)) == [1]
    with pytest.raises(ValidationError):
        implementing_plan_create(actor=None, parent_plan=world.plan, agency=world.tree.dept_b)
    plan_set_status(actor=None, plan=child, status=Plan.Status.ISSUED)
    progress_post(
        actor=world.coord_officer,
        task=handed,
        agency=world.tree.dept_b,
        text="Phường đã làm",
        percent=80,
    )
    tree = plan_tree(user=world.city_leader, plan=world.plan)
    parent = tree.nodes[0].tasks[0]
    assert (parent.children_count, round(parent.children_percent)) == (1, 80)


def test_recurring_progress_is_the_share_of_occurrences_done(world):
    template = task_create(
        actor=None,
        plan=world.plan,
        content=world.content,
        title="Báo cáo",
        lead_agency=world.tree.dept_a,
        due_on=dt.date(2026, 12, 31),
        recurrence="half_yearly",
        recurrence_day=15,
    )
    first = template.occurrences.order_by("due_on").first()
    progress_post(
        actor=world.lead_officer, task=first, agency=world.tree.dept_a, text="Đã gửi", percent=100
    )
    template.refresh_from_db()
    assert (template.percent, template.completed_on) == (50, None)


def test_legal_documents_are_registered_once_and_blanks_filled(world):
    a = legal_document_upsert(actor=None, doc_type="ket_luan", number="114-KL/TW")
    b = legal_document_upsert(
        actor=None,
        doc_type="ket_luan",
        number="114-KL/TW",
        issued_on=dt.date(2015, 7, 14),
        issuer="Ban Bí thư",
    )
    assert a.pk == b.pk and b.issued_on == dt.date(2015, 7, 14)
    assert str(b) == "Kết luận số 114-KL/TW ngày 14/07/2015 của Ban Bí thư"


def test_every_plan_service_writes_audit_events(world):
    before = AuditEvent.objects.count()
    plan_update(
        actor=world.issuer_officer,
        plan=world.plan,
        expected_version=world.plan.version,
        purpose="Mục đích",
    )
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.first().action == "plans.plan_update"


def test_the_issuing_agency_cannot_issue_an_implementing_plan_of_its_own_plan(world):
    task_create(
        actor=None,
        plan=world.plan,
        content=world.content,
        title="Việc của UBND",
        lead_agency=world.tree.city,
        due_on=dt.date(2026, 9, 30),
    )
    assert not world.issuer_officer.has_perm("plans.implement_plan", world.plan)
    with pytest.raises(ValidationError):
        implementing_plan_create(actor=None, parent_plan=world.plan, agency=world.tree.city)


def test_a_plan_is_findable_by_its_folded_title(world):
    assert Plan.objects.filter(search_text__contains="ke hoach thu").filter(pk=world.plan.pk)
