"""Periodic reports (báo cáo) and the export jobs that build their files in the background."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.reports import periods


class Report(models.Model):
    """A periodic report of an agency. Its figures are live while it is a draft and frozen in
    `figures` when it is submitted; the live dashboard moves on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class PeriodKind(models.TextChoices):
        MONTH = periods.MONTH, _("Month")
        QUARTER = periods.QUARTER, _("Quarter")
        HALF = periods.HALF, _("Six months")
        NINE_MONTHS = periods.NINE_MONTHS, _("Nine months")
        YEAR = periods.YEAR, _("Year")
        CUSTOM = periods.CUSTOM, _("Custom range")

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan reported on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("The report's sections follow this plan's contents."),
    )
    period_kind = models.CharField(_("period"), max_length=16, choices=PeriodKind)
    period_year = models.PositiveSmallIntegerField(_("year"))
    period_index = models.PositiveSmallIntegerField(_("number in the year"), default=1)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # A draft may wait for its number; submission requires it (services.report_submit).
    number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("e.g. …/BC-UBND")
    )
    subject = models.CharField(_("subject"), max_length=500)
    # {"content_<n>": text, "petitions": text, "assessment": text, "next_period": text}
    narratives = models.JSONField(_("narrative sections"), default=dict, blank=True)
    recipients = models.TextField(_("recipients (one per line)"), blank=True)
    signing_prefixes = models.TextField(
        _("signing prefixes (one per line)"),
        blank=True,
        help_text=_("e.g. TM. ỦY BAN NHÂN DÂN, then KT. CHỦ TỊCH"),
    )
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    figures = models.JSONField(_("frozen figures"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["agency", "period_end"], name="report_agency_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def period(self) -> periods.Period:
        return periods.Period(
            self.period_kind,
            self.period_start,
            self.period_end,
            self.period_year,
            self.period_index,
        )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ExportJob(models.Model):
    """A file built by the background worker: a report document or a list of records."""

    class Kind(models.TextChoices):
        REPORT_DOCX = "report_docx", _("Report (DOCX)")
        REPORT_XLSX = "report_xlsx", _("Statistical annex (XLSX)")
        REPORT_PDF = "report_pdf", _("Report (PDF)")
        RECORDS_CSV = "records_csv", _("Records (CSV)")
        RECORDS_XLSX = "records_xlsx", _("Records (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="exports"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reports:export_detail", args=[self.pk])
