"""Periodic reports (báo cáo) and the export jobs that build their files in the background."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.petitions import workflow as wf
from danvan.petitions.models import Petition
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


class RollupState(models.Model):
    """What the monthly rollups were built with (one row). When the cut-off day or the agency
    tree changes, every rollup month is stale and the dashboard reads live rows until the
    worker has rebuilt them (`reports.rollups`)."""

    cutoff_day = models.PositiveSmallIntegerField(_("report cut-off day"))
    tree_hash = models.CharField(_("agency tree fingerprint"), max_length=64)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self):
        return f"{self.cutoff_day} / {self.tree_hash}"


class RollupMonth(models.Model):
    """A closed reporting month whose counts are in `Rollup` rows. Its presence says the rows are
    complete; a petition changed since (`RollupDirty`) makes its months live again."""

    month = models.DateField(_("first day of the reporting month"), unique=True)
    end = models.DateField(_("last day of the reporting month"))
    built_at = models.DateTimeField(_("built"), default=timezone.now)

    class Meta:
        verbose_name = _("rollup month")
        verbose_name_plural = _("rollup months")

    def __str__(self):
        return f"{self.month:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class Rollup(models.Model):
    """Petition counts of one closed reporting month for one agency (its own cases), one agency
    with everything below it (`subtree`), or every agency (`agency` empty). A "total" row holds
    every count, with one column per petition kind and per channel; a "unit" row holds the
    cases about one commune (`unit`, empty: none given) by kind. Built from the filters of
    `reports.metrics`, so a rollup and the live query agree (`reports.rollups`)."""

    TOTAL = "total"
    UNIT = "unit"

    month = models.DateField(_("first day of the reporting month"))
    # Derived rows, rebuilt from the petitions: no database constraint to check per row.
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    subtree = models.BooleanField(_("with the agencies below"), default=False)
    dim = models.CharField(_("breakdown"), max_length=10)
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    received = models.PositiveIntegerField(default=0)
    mass = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    accept = models.PositiveIntegerField(default=0)
    transfer = models.PositiveIntegerField(default=0)
    guide = models.PositiveIntegerField(default=0)
    file = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    # kind_<kind> and channel_<channel> columns are added below, one per choice.

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        indexes = [
            # Reads name the months (an IN list: one precise range per month) and the rows.
            models.Index(fields=["month", "dim", "subtree", "agency"], name="rollup_lookup_idx"),
            # Each agency's own totals (the dashboard's table of agencies): index-only.
            models.Index(
                fields=["subtree", "month", "agency", "received", "mass", "on_time", "late"],
                condition=models.Q(dim="total"),
                name="rollup_total_idx",
            ),
            # The communes' rows (the commune table and the hotspots): index-only, so a year
            # reads ~180 index pages instead of ~800 heap pages (docs/performance.md).
            models.Index(
                fields=[
                    "subtree",
                    "month",
                    "agency",
                    "unit",
                    "received",
                    *(f"kind_{kind}" for kind in wf.KINDS),
                ],
                condition=models.Q(dim="unit"),
                name="rollup_unit_idx",
            ),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.dim} {self.agency_id} {self.unit_id}"


# One count column per petition kind and per channel: a new choice means a new column (and
# `makemigrations`, which CI checks), so no count can fall outside the rollup.
KIND_COLUMNS = {kind: f"kind_{kind}" for kind in wf.KINDS}
CHANNEL_COLUMNS = {channel: f"channel_{channel}" for channel in Petition.Channel.values}
for _column in (*KIND_COLUMNS.values(), *CHANNEL_COLUMNS.values()):
    Rollup.add_to_class(_column, models.PositiveIntegerField(default=0))


class RollupDirty(models.Model):
    """A petition changed after its months may have been rolled up (written in the same
    transaction as the change by `reports.signals`); its months are read live until the
    worker rebuilds them."""

    petition_id = models.BigIntegerField(_("petition"), db_index=True)
    at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("changed petition")
        verbose_name_plural = _("changed petitions")

    def __str__(self):
        return f"petition {self.petition_id}"
