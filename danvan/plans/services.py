"""Writes to plans and tasks. Each function is one transaction with one audit event."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log, diff_snapshots, model_snapshot
from danvan.core.errors import ConcurrentChangeError, TransitionError
from danvan.core.files import check_upload
from danvan.core.text import normalize_text
from danvan.plans.models import (
    ContentArea,
    LegalDocument,
    Plan,
    PlanAttachment,
    PlanVersion,
    Task,
)
from danvan.plans.recurrence import RecurrenceError, occurrence_dates

PLAN_FIELDS = (
    "number",
    "title",
    "issuing_agency",
    "issued_on",
    "year",
    "period_start",
    "period_end",
    "purpose",
    "parent",
    "status",
)
TASK_FIELDS = (
    "code",
    "title",
    "description",
    "expected_output",
    "lead_agency",
    "due_on",
    "recurrence",
    "recurrence_day",
    "content",
    "parent",
)

# Allowed plan status moves: from → {to}. The only place this rule lives.
PLAN_TRANSITIONS = {
    Plan.Status.DRAFT: {Plan.Status.ISSUED},
    Plan.Status.ISSUED: {Plan.Status.IN_PROGRESS, Plan.Status.CLOSED},
    Plan.Status.IN_PROGRESS: {Plan.Status.CLOSED},
    Plan.Status.CLOSED: set(),
}


def legal_document_upsert(
    *,
    actor,
    doc_type: str,
    number: str,
    issued_on: dt.date | None = None,
    issuer: str = "",
    title: str = "",
) -> LegalDocument:
    """Return the register's document (doc_type, number), creating it or filling blanks."""
    with transaction.atomic():
        doc, created = LegalDocument.objects.select_for_update().get_or_create(
            doc_type=doc_type,
            number=normalize_text(number),
            defaults={
                "issued_on": issued_on,
                "issuer": normalize_text(issuer),
                "title": normalize_text(title),
            },
        )
        filled = {}
        for name, value in (("issued_on", issued_on), ("issuer", issuer), ("title", title)):
            if value and not getattr(doc, name):
                filled[name] = value
                setattr(doc, name, value)
        if created or filled:
            doc.full_clean()
            doc.save()
            audit_log(
                actor=actor,
                action="plans.legal_document_create" if created else "plans.legal_document_update",
                obj=doc,
                changes={
                    "after": model_snapshot(
                        doc, ("doc_type", "number", "issued_on", "issuer", "title")
                    )
                },
            )
    return doc


def _snapshot_version(plan: Plan, actor, note: str) -> None:
    snapshot = model_snapshot(plan, PLAN_FIELDS)
    snapshot["legal_bases"] = sorted(plan.legal_bases.values_list("pk", flat=True))
    PlanVersion.objects.create(
        plan=plan,
        version=plan.version,
        snapshot=snapshot,
        changed_by=actor if getattr(actor, "pk", None) else None,
        note=note,
    )


def plan_create(
    *,
    actor,
    issuing_agency,
    title: str,
    year: int,
    period_start: dt.date,
    period_end: dt.date,
    number: str = "",
    issued_on: dt.date | None = None,
    purpose: str = "",
    legal_bases=(),
    parent: Plan | None = None,
) -> Plan:
    with transaction.atomic():
        plan = Plan(
            issuing_agency=issuing_agency,
            title=normalize_text(title),
            year=year,
            period_start=period_start,
            period_end=period_end,
            number=normalize_text(number),
            issued_on=issued_on,
            purpose=normalize_text(purpose),
            parent=parent,
        )
        plan.full_clean()
        if period_end < period_start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        plan.save()
        plan.legal_bases.set(legal_bases)
        _snapshot_version(plan, actor, "created")
        audit_log(
            actor=actor,
            action="plans.plan_create",
            obj=plan,
            agency=issuing_agency,
            changes={"after": model_snapshot(plan, PLAN_FIELDS)},
        )
    return plan


def plan_update(*, actor, plan: Plan, expected_version: int, legal_bases=None, **fields) -> Plan:
    """Change a plan's fields if nobody changed it since `expected_version` was read."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.version != expected_version:
            raise ConcurrentChangeError(
                _(
                    "Someone else changed this plan while you were editing. Reload the page, "
                    "check their changes and try again."
                )
            )
        before = model_snapshot(locked, PLAN_FIELDS)
        for name, value in fields.items():
            setattr(locked, name, normalize_text(value) if isinstance(value, str) else value)
        locked.full_clean()
        locked.version += 1
        locked.save()
        if legal_bases is not None:
            locked.legal_bases.set(legal_bases)
        _snapshot_version(locked, actor, "updated")
        audit_log(
            actor=actor,
            action="plans.plan_update",
            obj=locked,
            agency=locked.issuing_agency,
            changes=diff_snapshots(before, model_snapshot(locked, PLAN_FIELDS)),
        )
    return locked


def plan_set_status(*, actor, plan: Plan, status: str) -> Plan:
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if status not in PLAN_TRANSITIONS.get(locked.status, set()):
            raise TransitionError(
                _("A plan that is “%(current)s” cannot become “%(target)s”.")
                % {"current": locked.get_status_display(), "target": Plan.Status(status).label}
            )
        before = locked.status
        locked.status = status
        if status == Plan.Status.ISSUED and not locked.issued_on:
            locked.issued_on = timezone.localdate()
        locked.version += 1
        locked.save()
        _snapshot_version(locked, actor, f"status {before} → {status}")
        audit_log(
            actor=actor,
            action="plans.plan_status",
            obj=locked,
            agency=locked.issuing_agency,
            changes={"before": {"status": before}, "after": {"status": status}},
        )
    return locked


def content_add(
    *, actor, plan: Plan, number: int, title: str, description: str = ""
) -> ContentArea:
    with transaction.atomic():
        if plan.contents.filter(number=number).exists():
            raise ValidationError(
                {"number": _("Content (%(n)d) already exists in this plan.") % {"n": number}}
            )
        content = ContentArea(
            plan=plan,
            number=number,
            title=normalize_text(title),
            description=normalize_text(description),
        )
        content.full_clean()
        content.save()
        audit_log(
            actor=actor,
            action="plans.content_add",
            obj=content,
            agency=plan.issuing_agency,
            changes={"after": {"number": number, "title": content.title}},
        )
    return content


def validate_task_dates(
    *, plan: Plan, due_on: dt.date, recurrence: str, recurrence_day: int | None
) -> list[dt.date]:
    """Return the occurrence dates (empty for one-off tasks); raise ValidationError if bad."""
    if not plan.period_start <= due_on <= plan.period_end:
        raise ValidationError(
            {
                "due_on": _(
                    "The deadline %(date)s is outside the plan's period (%(start)s – %(end)s)."
                )
                % {
                    "date": f"{due_on:%d/%m/%Y}",
                    "start": f"{plan.period_start:%d/%m/%Y}",
                    "end": f"{plan.period_end:%d/%m/%Y}",
                }
            }
        )
    if recurrence == Task.Recurrence.NONE:
        return []
    if not recurrence_day:
        raise ValidationError(
            {"recurrence_day": _("Give the day of the month on which each occurrence is due.")}
        )
    try:
        dates = occurrence_dates(recurrence, recurrence_day, plan.period_start, due_on)
    except RecurrenceError as exc:
        raise ValidationError({"recurrence_day": str(exc)}) from exc
    if not dates:
        raise ValidationError(
            {
                "recurrence": _(
                    "This recurrence makes no dates between the start of the plan and the deadline."
                )
            }
        )
    return dates


def insert_task(
    *, plan: Plan, content: ContentArea, fields: dict, coordinating=(), dates=()
) -> Task:
    """Save a validated task and its dated occurrences (no audit: callers audit once)."""
    task = Task(plan=plan, content=content, **fields)
    task.full_clean()
    task.save()
    task.coordinating_agencies.set(coordinating)
    occurrences = [
        Task(
            plan=plan,
            content=content,
            title=f"{task.title} ({day:%d/%m/%Y})",
            lead_agency=task.lead_agency,
            due_on=day,
            occurrence_of=task,
            code=task.code,
            expected_output=task.expected_output,
            parent=task.parent,
        )
        for day in dates
    ]
    for occurrence in occurrences:
        occurrence.refresh_search_text()
    Task.objects.bulk_create(occurrences)
    through = Task.coordinating_agencies.through
    through.objects.bulk_create(
        [through(task_id=o.pk, agency_id=a.pk) for o in occurrences for a in coordinating]
    )
    return task


def task_create(
    *,
    actor,
    plan: Plan,
    content: ContentArea,
    title: str,
    lead_agency,
    due_on: dt.date,
    coordinating=(),
    description: str = "",
    expected_output: str = "",
    recurrence: str = Task.Recurrence.NONE,
    recurrence_day: int | None = None,
    code: str = "",
    parent: Task | None = None,
) -> Task:
    """Create a task; a recurring one also gets one dated occurrence per period."""
    with transaction.atomic():
        if content.plan_id != plan.pk:
            raise ValidationError({"content": _("This content belongs to another plan.")})
        dates = validate_task_dates(
            plan=plan, due_on=due_on, recurrence=recurrence, recurrence_day=recurrence_day
        )
        fields = {
            "title": normalize_text(title),
            "lead_agency": lead_agency,
            "due_on": due_on,
            "description": normalize_text(description),
            "expected_output": normalize_text(expected_output),
            "recurrence": recurrence,
            "recurrence_day": recurrence_day,
            "code": normalize_text(code),
            "parent": parent,
        }
        task = insert_task(
            plan=plan, content=content, fields=fields, coordinating=coordinating, dates=dates
        )
        audit_log(
            actor=actor,
            action="plans.task_create",
            obj=task,
            agency=lead_agency,
            changes={
                "after": {
                    **model_snapshot(task, TASK_FIELDS),
                    "occurrences": [d.isoformat() for d in dates],
                }
            },
        )
    return task


def plan_import_text(*, actor, issuing_agency, text: str) -> Plan:
    """Create a draft plan, its contents and legal bases from a pasted plan text.

    Raises text_import.PlanTextError when the text has no enumeration. Composite: the audit
    trail shows the plan, each new legal document and each content as its own event.
    """
    from danvan.plans.text_import import parse_plan_text

    parsed = parse_plan_text(text)
    year = parsed.year or timezone.localdate().year
    with transaction.atomic():
        bases = [
            legal_document_upsert(
                actor=actor,
                doc_type=c.doc_type,
                number=c.number,
                issued_on=c.issued_on,
                issuer=c.issuer,
            )
            for c in parsed.legal_bases
        ]
        plan = plan_create(
            actor=actor,
            issuing_agency=issuing_agency,
            title=parsed.title or _("Plan %(year)d") % {"year": year},
            year=year,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            issued_on=parsed.issued_on,
            purpose=parsed.purpose,
            legal_bases=bases,
        )
        for content in parsed.contents:
            content_add(actor=actor, plan=plan, number=content.number, title=content.title)
    return plan


def plan_attachment_add(*, actor, plan: Plan, upload) -> PlanAttachment:
    """Attach a file (e.g. the signed scan) to a plan; its type is checked from its content."""
    info = check_upload(upload)
    with transaction.atomic():
        attachment = PlanAttachment.objects.create(
            plan=plan,
            file=upload,
            original_name=info.name,
            content_type=info.content_type,
            size=info.size,
            uploaded_by=actor,
        )
        audit_log(
            actor=actor,
            action="plans.attachment_add",
            obj=attachment,
            agency=plan.issuing_agency,
            changes={"after": {"plan": plan.pk, "name": info.name, "size": info.size}},
        )
    return attachment
