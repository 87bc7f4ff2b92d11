"""Writes of the reports module: create, edit and submit a report; request and build exports.
Each is one transaction with one audit event."""

import datetime as dt
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.core.audit import audit_log, diff_snapshots, model_snapshot
from danvan.core.db_router import reading_from_replica
from danvan.core.errors import ConcurrentChangeError, TransitionError
from danvan.core.text import normalize_text
from danvan.reports import documents, exports, tables
from danvan.reports import metrics as m
from danvan.reports.models import ExportJob, Report
from danvan.reports.periods import Period
from danvan.reports.selectors import report_data
from danvan.webhooks.events import REPORT_SUBMITTED
from danvan.webhooks.services import webhook_emit

EDITABLE = (
    "plan",
    "number",
    "subject",
    "narratives",
    "recipients",
    "signing_prefixes",
    "signer_position",
    "signer_name",
)
REPORT_KINDS = {
    ExportJob.Kind.REPORT_DOCX: ("docx", documents.build_docx),
    ExportJob.Kind.REPORT_XLSX: ("xlsx", documents.build_xlsx),
    ExportJob.Kind.REPORT_PDF: ("pdf", documents.build_pdf),
}
RECORD_KINDS = {ExportJob.Kind.RECORDS_CSV: "csv", ExportJob.Kind.RECORDS_XLSX: "xlsx"}


def cutoff_day() -> int:
    return settings.DANVAN_REPORT_CUTOFF_DAY


def default_subject(period: Period) -> str:
    with translation.override("vi"):
        return _("Results of government mass-mobilisation work in %(period)s") % {
            "period": period.label()
        }


def report_create(*, actor, agency, period: Period, plan=None, **fields) -> Report:
    """A draft report with its narratives pre-filled from the live figures."""
    today = timezone.localdate()
    with transaction.atomic():
        report = Report(
            agency=agency,
            plan=plan,
            period_kind=period.kind,
            period_year=period.year,
            period_index=period.index,
            period_start=period.start,
            period_end=period.end,
            subject=normalize_text(fields.get("subject") or default_subject(period)),
            number=normalize_text(fields.get("number", "")),
            recipients=fields.get("recipients", ""),
            signing_prefixes=fields.get("signing_prefixes", ""),
            signer_position=normalize_text(fields.get("signer_position", "")),
            signer_name=normalize_text(fields.get("signer_name", "")),
            created_by=actor,
        )
        report.full_clean(exclude=["created_by", "narratives"])
        with translation.override("vi"):
            data = report_data(report, today=today, cutoff_day=cutoff_day())
            report.narratives = tables.default_narratives(data)
        report.save()
        audit_log(
            actor=actor,
            action="reports.report_create",
            obj=report,
            agency=agency,
            changes={"after": model_snapshot(report, ["period_start", "period_end", "subject"])},
        )
    return report


def _lock_draft(report: Report, expected_version: int) -> Report:
    """Lock the report's row; refuse if someone changed it since `expected_version` was read
    or it is no longer a draft (the loser of two simultaneous submits is told)."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.version != expected_version:
        raise ConcurrentChangeError(
            _(
                "Someone else changed this report while you were editing. Reload the page, "
                "check their changes and try again."
            )
        )
    if not locked.is_draft:
        raise TransitionError(_("A submitted report can no longer be changed."))
    return locked


def report_update(*, actor, report: Report, expected_version: int, **fields) -> Report:
    """Change a draft if nobody changed it since `expected_version` was read."""
    with transaction.atomic():
        locked = _lock_draft(report, expected_version)
        before = model_snapshot(locked, EDITABLE)
        for name, value in fields.items():
            if name not in EDITABLE:
                raise ValueError(f"{name} is not editable")
            if isinstance(value, str):
                value = normalize_text(value)
            if name == "narratives":
                value = {k: normalize_text(v) for k, v in value.items()}
            setattr(locked, name, value)
        locked.full_clean(exclude=["created_by"])
        locked.version += 1
        locked.save()
        audit_log(
            actor=actor,
            action="reports.report_update",
            obj=locked,
            agency=locked.agency,
            changes=diff_snapshots(before, model_snapshot(locked, EDITABLE)),
        )
    return locked


def report_submit(*, actor, report: Report, expected_version: int) -> Report:
    """Freeze the report's figures as they stand now and mark it submitted."""
    with transaction.atomic():
        locked = _lock_draft(report, expected_version)
        missing = [
            name
            for name in ("number", "signer_position", "signer_name")
            if not getattr(locked, name).strip()
        ]
        if missing:
            raise ValidationError(
                dict.fromkeys(missing, _("Fill this in before submitting the report."))
            )
        locked.figures = report_data(locked, today=timezone.localdate(), cutoff_day=cutoff_day())
        locked.status = Report.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.version += 1
        locked.save()
        webhook_emit(
            event=REPORT_SUBMITTED,
            agency=locked.agency,
            payload={
                "report_id": locked.pk,
                "agency_id": locked.agency_id,
                "number": locked.number,
                "subject": locked.subject,
                "period": locked.period.as_dict(),
                "headline": locked.figures["headline"],
            },
            key=f"report:{locked.pk}:v{locked.version}",
        )
        audit_log(
            actor=actor,
            action="reports.report_submit",
            obj=locked,
            agency=locked.agency,
            changes={"after": {"status": locked.status, "as_of": locked.figures["as_of"]}},
        )
    return locked


# -- exports --------------------------------------------------------------------------------


def export_audit(*, actor, kind: str, report: Report | None, params: dict, rows=None) -> None:
    """Every file that leaves the system leaves an audit event."""
    audit_log(
        actor=actor,
        action="reports.export",
        obj=report,
        agency=report.agency if report else None,
        changes={"kind": kind, "params": params, **({"rows": rows} if rows is not None else {})},
    )


def report_file(*, actor, report: Report, kind: str) -> tuple[str, bytes]:
    """Build a report document in the request (small periods); audited."""
    extension, build = REPORT_KINDS[kind]
    data = report_data(report, today=timezone.localdate(), cutoff_day=cutoff_day())
    content = build(report, data)
    with transaction.atomic():
        export_audit(actor=actor, kind=kind, report=report, params={})
    return documents.filename(report, extension), content


def export_request(*, actor, kind: str, report: Report | None = None, params=None) -> ExportJob:
    """Queue a file for the background worker; the job page shows its progress."""
    from danvan.reports.tasks import run_export

    if kind not in REPORT_KINDS and kind not in RECORD_KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind, report=report, params=params or {}, requested_by=actor
        )
        audit_log(
            actor=actor,
            action="reports.export_request",
            obj=job,
            agency=report.agency if report else None,
            changes={"kind": kind, "params": job.params},
        )
        transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def _progress(job: ExportJob, percent: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=min(percent, 99))


def records_for_job(job: ExportJob):
    """The records a list export covers, under the requester's scope as of today."""
    from danvan.org.models import Agency
    from danvan.reports import periods

    params = job.params
    agency = (
        Agency.objects.filter(pk=params.get("agency")).first() if params.get("agency") else None
    )
    scope = m.Scope.for_user(job.requested_by, agency)
    period = periods.parse(params, today=timezone.localdate(), cutoff_day=cutoff_day())
    return m.records(
        scope=scope,
        period=period,
        metric=params.get("metric", ""),
        by=params.get("by", ""),
        value=params.get("value", ""),
        today=timezone.localdate(),
    )


def export_run(*, job_id: int) -> ExportJob:
    """Build the file of a queued job (called by the worker). A job runs once: the claim is a
    conditional update, so a second worker picking the same job does nothing; a job whose
    worker died (still running after the task lease) may be claimed again."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.DANVAN_TASK_LEASE_SECONDS)
    abandoned = Q(status=ExportJob.Status.RUNNING, started_at__lt=now - lease)
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(Q(status=ExportJob.Status.QUEUED) | abandoned)
        .update(status=ExportJob.Status.RUNNING, progress=5, started_at=now)
    )
    if not claimed:
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.select_related("report__agency", "requested_by").get(pk=job_id)
    try:
        with translation.override("vi"), reading_from_replica():
            name, content, rows = _build(job)
    except Exception as exc:  # the job page must say it failed, whatever the cause
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        job.file.save(name, ContentFile(content), save=False)
        job.filename = name
        job.status = ExportJob.Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "filename", "status", "progress", "finished_at"])
        export_audit(
            actor=job.requested_by, kind=job.kind, report=job.report, params=job.params, rows=rows
        )
    return job


def _build(job: ExportJob) -> tuple[str, bytes, int | None]:
    if job.kind in REPORT_KINDS:
        extension, build = REPORT_KINDS[job.kind]
        data = report_data(job.report, today=timezone.localdate(), cutoff_day=cutoff_day())
        _progress(job, 50)
        return documents.filename(job.report, extension), build(job.report, data), None
    extension = RECORD_KINDS[job.kind]
    qs = records_for_job(job)
    total = max(qs.count(), 1)

    def progress(done: int) -> None:
        _progress(job, 5 + int(90 * done / total))

    if extension == "csv":
        text = io.StringIO()
        rows = exports.write_csv(qs, text, progress)
        content = text.getvalue().encode("utf-8")
    else:
        buffer = io.BytesIO()
        rows = exports.write_xlsx(qs, buffer, progress)
        content = buffer.getvalue()
    metric = job.params.get("metric", "records")
    return f"{metric}-{timezone.localdate():%Y%m%d}-{job.pk}.{extension}", content, rows
