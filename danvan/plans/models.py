"""The annual plan as data: legal bases, plans, content areas, tasks, progress and evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import SearchableMixin
from danvan.plans.doc_types import DOC_TYPE_LABELS, DOC_TYPES


class LegalDocument(SearchableMixin, models.Model):
    """A legal or Party document cited as a basis (căn cứ). Shared by every module."""

    SEARCH_FIELDS = ("number", "title", "issuer")
    DOC_TYPE_CHOICES = [(key, DOC_TYPE_LABELS[key]) for key, _vi in DOC_TYPES]

    doc_type = models.CharField(_("document type"), max_length=32, choices=DOC_TYPE_CHOICES)
    number = models.CharField(_("number and symbol"), max_length=100)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="legal/%Y/", blank=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "number"], name="legaldoc_type_number_uniq")
        ]

    def __str__(self) -> str:
        vietnamese = dict(DOC_TYPES).get(self.doc_type, "")
        date = f" ngày {self.issued_on:%d/%m/%Y}" if self.issued_on else ""
        issuer = f" của {self.issuer}" if self.issuer else ""
        return f"{vietnamese} số {self.number}{date}{issuer}".strip()


class Plan(SearchableMixin, models.Model):
    """A plan (kế hoạch) issued by an agency; an implementing plan points at its parent plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    SEARCH_FIELDS = ("number", "title")

    number = models.CharField(
        _("number"), max_length=100, blank=True, help_text=_("e.g. 45/KH-UBND")
    )
    title = models.CharField(_("title"), max_length=500)
    issuing_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    purpose = models.TextField(_("purpose and requirements"), blank=True)
    legal_bases = models.ManyToManyField(
        LegalDocument, verbose_name=_("legal bases"), blank=True, related_name="plans"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementing_plans",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-issued_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])


class PlanAttachment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="plans/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("plan attachment")
        verbose_name_plural = _("plan attachments")

    def __str__(self) -> str:
        return self.original_name


class PlanVersion(models.Model):
    """A snapshot of a plan's fields each time it is saved or changes status."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="planversion_uniq")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version}"


class ContentArea(models.Model):
    """One numbered content (nội dung) of a plan, like the seed's (1)…(7)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="contents")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="content_number_uniq")
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.title}"


class Task(SearchableMixin, models.Model):
    """A task (nhiệm vụ) with a lead agency, coordinating agencies and a due date.

    A recurring task is a template: its dated occurrences are Task rows pointing at it through
    `occurrence_of`, each with its own due date, progress and status. A task in an implementing
    plan points at the task it implements through `parent`, so progress rolls up.
    """

    class Recurrence(models.TextChoices):
        NONE = "none", _("One-off")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every 6 months")
        YEARLY = "yearly", _("Yearly")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE_ON_TIME = "done_on_time", _("Done on time")
        DONE_LATE = "done_late", _("Done late")
        OVERDUE = "overdue", _("Overdue")

    SEARCH_FIELDS = ("code", "title")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    content = models.ForeignKey(
        ContentArea, verbose_name=_("content"), on_delete=models.PROTECT, related_name="tasks"
    )
    code = models.CharField(_("code"), max_length=32, blank=True)
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)
    expected_output = models.CharField(_("expected output"), max_length=500, blank=True)
    lead_agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_agencies = models.ManyToManyField(
        "org.Agency",
        verbose_name=_("coordinating agencies"),
        blank=True,
        related_name="coordinated_tasks",
    )
    due_on = models.DateField(_("deadline"), db_index=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence, default=Recurrence.NONE
    )
    recurrence_day = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    occurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("occurrence of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occurrences",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["content__number", "due_on", "id"]
        indexes = [
            models.Index(fields=["lead_agency", "due_on"]),
            models.Index(fields=["plan", "content"]),
            # The dashboard's tasks due in a period by content, lead agency and status: every
            # column it reads is in the index (index-only on PostgreSQL).
            models.Index(
                fields=[
                    "due_on",
                    "content",
                    "lead_agency",
                    "completed_on",
                    "percent",
                    "started_on",
                    "recurrence",
                    "occurrence_of",
                ],
                name="task_due_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_max"),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    def get_absolute_url(self) -> str:
        return reverse("plans:task_detail", args=[self.pk])

    def get_status_label(self) -> str:
        """The derived status's label (needs the `status` annotation of plans.selectors)."""
        status = getattr(self, "status", None)
        return str(self.Status(status).label) if status else ""

    @property
    def is_recurring_template(self) -> bool:
        return self.recurrence != self.Recurrence.NONE and self.occurrence_of_id is None


class ProgressUpdate(models.Model):
    """An agency's report on a task; the lead agency accepts it or returns it with a reason."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("reporting agency"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("report"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    review = models.CharField(_("review"), max_length=16, choices=Review, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["review", "task"])]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="update_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}%"


class Evidence(models.Model):
    """A file attached to a progress update. Type is sniffed from content, not trusted."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
