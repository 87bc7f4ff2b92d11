"""Progress on tasks: updates with evidence, review by the lead agency, roll-up, cascade.

Rule: an update posted by the lead agency counts at once (the lead owns the task); an update
from a coordinating agency waits until the lead agency accepts it or returns it with a reason.
A task is completed when an accepted update reports 100 %, on the day that update was posted.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log
from danvan.core.errors import ConcurrentChangeError
from danvan.core.files import check_upload
from danvan.core.text import normalize_text
from danvan.plans.models import ContentArea, Evidence, Plan, ProgressUpdate, Task
from danvan.plans.services import insert_task, plan_create

MAX_FILES_PER_UPDATE = 10


def _apply(task: Task, update: ProgressUpdate) -> None:
    """Make an accepted update the task's current progress (task row already locked)."""
    task.percent = update.percent
    posted_on = timezone.localdate(update.created_at)
    task.started_on = task.started_on or posted_on
    task.completed_on = posted_on if update.percent == 100 else None
    task.version += 1
    task.save(update_fields=["percent", "started_on", "completed_on", "version"])
    if task.occurrence_of_id:
        _roll_up_template(task.occurrence_of_id)


def _roll_up_template(template_id: int) -> None:
    """A recurring task's progress is the share of its occurrences completed."""
    template = Task.objects.select_for_update().get(pk=template_id)
    occurrences = list(
        Task.objects.filter(occurrence_of=template).values_list("completed_on", flat=True)
    )
    done = [d for d in occurrences if d is not None]
    template.percent = round(100 * len(done) / len(occurrences)) if occurrences else 0
    template.started_on = template.started_on or (min(done) if done else None)
    template.completed_on = max(done) if done and len(done) == len(occurrences) else None
    template.save(update_fields=["percent", "started_on", "completed_on"])


def progress_post(
    *, actor, task: Task, agency, text: str, percent: int, files=()
) -> ProgressUpdate:
    """Record an agency's report on `task`, with evidence files checked by content."""
    text = normalize_text(text)
    if not text:
        raise ValidationError({"text": _("Describe what was done.")})
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress must be between 0 and 100 %.")})
    if len(files) > MAX_FILES_PER_UPDATE:
        raise ValidationError(
            {"files": _("Attach at most %(n)d files.") % {"n": MAX_FILES_PER_UPDATE}}
        )
    checked = [(upload, check_upload(upload)) for upload in files]
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).select_related("plan").get(pk=task.pk)
        if locked.completed_on is not None:
            raise ConcurrentChangeError(_("This task has already been completed."))
        is_lead = agency.pk == locked.lead_agency_id
        update = ProgressUpdate.objects.create(
            task=locked,
            agency=agency,
            author=actor,
            text=text,
            percent=percent,
            review=ProgressUpdate.Review.ACCEPTED if is_lead else ProgressUpdate.Review.PENDING,
            reviewed_by=actor if is_lead else None,
            reviewed_at=timezone.now() if is_lead else None,
        )
        for upload, info in checked:
            Evidence.objects.create(
                update=update,
                file=upload,
                original_name=info.name,
                content_type=info.content_type,
                size=info.size,
            )
        if is_lead:
            _apply(locked, update)
        elif locked.started_on is None:
            locked.started_on = timezone.localdate()
            locked.save(update_fields=["started_on"])
        if locked.plan.status == Plan.Status.ISSUED:
            Plan.objects.filter(pk=locked.plan_id).update(status=Plan.Status.IN_PROGRESS)
        audit_log(
            actor=actor,
            action="plans.progress_post",
            obj=update,
            agency=agency,
            changes={
                "after": {
                    "task": locked.pk,
                    "percent": percent,
                    "files": [i.name for _u, i in checked],
                    "review": update.review,
                }
            },
        )
    return update


def progress_review(
    *, actor, update: ProgressUpdate, accept: bool, reason: str = ""
) -> ProgressUpdate:
    """Accept or return a pending update; the second of two reviewers is told it is done."""
    reason = normalize_text(reason)
    if not accept and not reason:
        raise ValidationError({"reason": _("Give the reason for returning the report.")})
    with transaction.atomic():
        locked = (
            ProgressUpdate.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=update.pk)
        )
        if locked.review != ProgressUpdate.Review.PENDING:
            raise ConcurrentChangeError(
                _("This report was already reviewed by %(name)s.") % {"name": locked.reviewed_by}
            )
        task = Task.objects.select_for_update().get(pk=locked.task_id)
        locked.review = ProgressUpdate.Review.ACCEPTED if accept else ProgressUpdate.Review.RETURNED
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.return_reason = "" if accept else reason
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "return_reason"])
        if accept and task.completed_on is None:
            _apply(task, locked)
        audit_log(
            actor=actor,
            action="plans.progress_review",
            obj=locked,
            agency=task.lead_agency,
            changes={"after": {"review": locked.review, "reason": locked.return_reason}},
        )
    return locked


def implementing_plan_create(
    *, actor, parent_plan: Plan, agency, number: str = "", title: str = ""
) -> Plan:
    """Hand a plan down: `agency` gets its own plan whose tasks implement the parent's.

    Every parent task that `agency` leads or coordinates (recurring templates with their
    occurrences' dates) becomes a task led by `agency`, linked to it through `parent`.
    """
    with transaction.atomic():
        if agency.pk == parent_plan.issuing_agency_id:
            raise ValidationError(_("The issuing agency carries out its own plan directly."))
        if parent_plan.implementing_plans.filter(issuing_agency=agency).exists():
            raise ValidationError(
                _("%(agency)s already has an implementing plan for this plan.") % {"agency": agency}
            )
        plan = plan_create(
            actor=actor,
            issuing_agency=agency,
            parent=parent_plan,
            number=number,
            title=title or _("Implementing plan: %(title)s") % {"title": parent_plan.title},
            year=parent_plan.year,
            period_start=parent_plan.period_start,
            period_end=parent_plan.period_end,
            legal_bases=parent_plan.legal_bases.all(),
        )
        contents = {}
        for content in parent_plan.contents.all():
            contents[content.pk] = ContentArea.objects.create(
                plan=plan, number=content.number, title=content.title
            )
        handed = (
            parent_plan.tasks.filter(occurrence_of__isnull=True)
            .filter(Q(lead_agency=agency) | Q(coordinating_agencies=agency))
            .distinct()
            .order_by("content__number", "id")
        )
        for source in handed:
            dates = [o.due_on for o in source.occurrences.order_by("due_on")]
            insert_task(
                plan=plan,
                content=contents[source.content_id],
                dates=dates,
                fields={
                    "title": source.title,
                    "code": source.code,
                    "description": source.description,
                    "expected_output": source.expected_output,
                    "lead_agency": agency,
                    "due_on": source.due_on,
                    "recurrence": source.recurrence,
                    "recurrence_day": source.recurrence_day,
                    "parent": source,
                },
            )
        audit_log(
            actor=actor,
            action="plans.plan_implement",
            obj=plan,
            agency=agency,
            changes={"after": {"parent_plan": parent_plan.pk, "tasks": [t.pk for t in handed]}},
        )
    return plan
