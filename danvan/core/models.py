"""Foundation models: users, the audit trail, calendar overrides and the legal-rule table."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.text import fold_text, normalize_text


class DatedQuerySet(models.QuerySet):
    def in_force(self, on):
        """Rows whose [valid_from, valid_to] contains the date `on` (open ends allowed)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def overlapping(self, valid_from, valid_to):
        """Rows whose validity overlaps [valid_from, valid_to] (None: open-ended)."""
        qs = self
        if valid_to:
            qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_to))
        if valid_from:
            qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        return qs


class DatedModel(models.Model):
    """A row in force from `valid_from` to `valid_to`, both inclusive; empty means open."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True


class User(AbstractUser):
    """A staff member or a citizen. Staff access comes only from `org.Membership` rows."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CITIZEN = "citizen", _("Citizen")

    kind = models.CharField(_("account kind"), max_length=16, choices=Kind, default=Kind.STAFF)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        super().save(*args, **kwargs)

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only")

    def delete(self):
        raise PermissionError("Audit events are append-only")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, when and from where.

    Append-only through the app: `save()` refuses to update and `delete()` refuses, and the
    queryset refuses bulk update/delete. Written by services through `core.audit.audit_log`.
    """

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "core.User",
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    is_sensitive_read = models.BooleanField(_("sensitive read"), default=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")


class CalendarOverride(models.Model):
    """A decreed change to the working calendar on top of the statutory holidays.

    Examples: an extra day off announced for Tết, or a Saturday worked to make up a bridge day.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class LegalRule(DatedModel):
    """A statutory time limit as data: looked up by code and the date a case's clock starts."""

    class Unit(models.TextChoices):
        WORKING = "working", _("working days")
        CALENDAR = "calendar", _("calendar days")

    code = models.CharField(_("code"), max_length=80, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    period_days = models.PositiveIntegerField(_("period (days)"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit)
    complex_days = models.PositiveIntegerField(_("period if complex"), null=True, blank=True)
    remote_days = models.PositiveIntegerField(_("period in remote areas"), null=True, blank=True)
    remote_complex_days = models.PositiveIntegerField(
        _("period if remote and complex"), null=True, blank=True
    )
    extension_days = models.PositiveIntegerField(
        _("length of one extension"), null=True, blank=True
    )
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=0)
    law = models.CharField(_("law"), max_length=200)
    article = models.CharField(_("article"), max_length=100)
    source_keys = models.CharField(_("sources"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_unsure = models.BooleanField(_("unsure"), default=False)
    # An empty valid_from: in force since the law took effect, a date DOMAIN.md does not record.

    class Meta:
        verbose_name = _("legal rule")
        verbose_name_plural = _("legal rules")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="legalrule_code_from_uniq"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="legalrule_valid_range",
            ),
            models.CheckConstraint(condition=Q(period_days__gt=0), name="legalrule_period_pos"),
        ]

    def __str__(self) -> str:
        since = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else "…"
        return f"{self.code} ({since})"

    @property
    def citation(self) -> str:
        return self.cite(self.article, self.law)

    @staticmethod
    def cite(article: str, law: str) -> str:
        """How a rule is cited (e.g. "Đ28, Luật Khiếu nại 02/2011/QH13"), from its two parts."""
        return f"{article}, {law}"

    def clean(self) -> None:
        others = LegalRule.objects.filter(code=self.code).exclude(pk=self.pk)
        if others.overlapping(self.valid_from, self.valid_to).exists():
            raise ValidationError(
                {"valid_from": _("Another version of this rule is in force in the same period.")}
            )


class SearchableMixin(models.Model):
    """Keeps `search_text` (folded, see core.text) in step with the fields in SEARCH_FIELDS."""

    SEARCH_FIELDS: tuple[str, ...] = ()
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()  # bulk_create bypasses this: callers refresh by hand there
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        parts = [str(getattr(self, name) or "") for name in self.SEARCH_FIELDS]
        self.search_text = fold_text(" ".join(parts))


class Notification(models.Model):
    """An in-app message to one user (reminders, reviews). E-mail copies go through the worker."""

    recipient = models.ForeignKey(
        "core.User",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ReminderClaim(models.Model):
    """Proof that the reminder `kind` for an object's due date was sent: claimed exactly once.

    The unique constraint is the lock: two ticks racing both try to insert, one wins.
    """

    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    due_on = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind", "due_on"], name="reminder_claim_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} {self.kind} {self.due_on}"


class RateLimitBucket(models.Model):
    """Requests counted per key (e.g. "submit:ip:<hash>") and fixed window, shared by all
    processes through the database (see core.ratelimit)."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_bucket_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%H:%M} {self.count}"
