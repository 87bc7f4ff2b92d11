"""Citizen reception (tiếp công dân): statutory minimums, schedules, the log (Form 03), refusals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import DatedModel
from danvan.petitions.models import Petition
from danvan.reception import quota


class Role(models.TextChoices):
    """Whom a statutory minimum binds (DOMAIN.md §A)."""

    COMMUNE_PC_CHAIR = quota.COMMUNE_PC_CHAIR, _("Chair of the commune People's Committee")
    PROVINCE_PC_CHAIR = quota.PROVINCE_PC_CHAIR, _("Chair of the provincial People's Committee")
    COMMUNE_PARTY_HEAD = quota.COMMUNE_PARTY_HEAD, _("Head of the commune Party committee")
    PROVINCE_PARTY_HEAD = quota.PROVINCE_PARTY_HEAD, _("Head of the provincial Party committee")


class ReceptionQuota(DatedModel):
    """A statutory minimum of reception days per week or month for one role, as data."""

    class Period(models.TextChoices):
        WEEK = quota.WEEK, _("week")
        MONTH = quota.MONTH, _("month")

    role = models.CharField(_("role"), max_length=32, choices=Role)
    minimum_days = models.PositiveSmallIntegerField(_("minimum days"))
    period = models.CharField(_("per"), max_length=8, choices=Period)
    citation = models.CharField(_("legal basis"), max_length=300)
    source_keys = models.CharField(_("sources"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_unsure = models.BooleanField(_("unsure"), default=False)

    class Meta:
        verbose_name = _("reception quota")
        verbose_name_plural = _("reception quotas")
        ordering = ["role", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["role", "valid_from"], name="receptionquota_role_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="receptionquota_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(minimum_days__gt=0), name="receptionquota_minimum_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: ≥{self.minimum_days}/{self.get_period_display()}"

    def clean(self) -> None:
        others = ReceptionQuota.objects.filter(role=self.role).exclude(pk=self.pk)
        if others.overlapping(self.valid_from, self.valid_to).exists():
            raise ValidationError(
                {"valid_from": _("Another minimum for this role is in force in the same period.")}
            )


class ReceptionSession(models.Model):
    """A leader's reception day on the schedule: planned, then held or cancelled."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        UNSCHEDULED = "unscheduled", _("Unscheduled")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="reception_sessions",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receiving leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("in the role of"), max_length=32, choices=Role, blank=True)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode, default=Mode.IN_PERSON)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PLANNED)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["agency", "date"], name="reception_session_day_idx"),
            # The dashboard's count of regular sessions held per leader role: index-only.
            models.Index(
                fields=["date", "agency", "role", "leader"],
                condition=models.Q(status="held", kind="regular"),
                name="reception_session_held_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.leader}"


# The kinds a visitor brings, reusing the petition kinds (Form 03 "loại đơn").
VISIT_KINDS = [
    (k.value, k.label)
    for k in (
        Petition.Kind.COMPLAINT,
        Petition.Kind.DENUNCIATION,
        Petition.Kind.RECOMMENDATION,
        Petition.Kind.FEEDBACK,
    )
]


class ReceptionVisit(models.Model):
    """One row of the reception log (Form 03, Thông tư 04/2021/TT-TTCP).

    For a denunciation the log never holds who came: name, address and ID number read
    "[Bảo mật]", and the identity goes only to the sealed store of the petition it creates.
    """

    class Action(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted for resolution")
        GUIDED = "guided", _("Returned with guidance")
        FORWARDED = "forwarded", _("Forwarded")

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="reception_visits",
    )
    session = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("reception session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("date"))
    citizen_name = models.CharField(_("full name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    id_number = models.CharField(_("citizen ID / passport number"), max_length=20, blank=True)
    content = models.TextField(_("content"))
    kind = models.CharField(_("kind"), max_length=16, choices=VISIT_KINDS)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    representatives = models.JSONField(_("representatives"), default=list, blank=True)
    handled_by = models.CharField(_("agency that already handled it"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    result = models.TextField(_("result"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    petition = models.OneToOneField(
        Petition,
        verbose_name=_("petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reception_visit",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reception visit")
        verbose_name_plural = _("reception visits")
        ordering = ["visited_on", "id"]
        indexes = [models.Index(fields=["agency", "visited_on"], name="reception_visit_day_idx")]

    def __str__(self) -> str:
        # No name: this is what the audit trail and pickers show.
        return f"{self.visited_on:%d/%m/%Y} — {self.get_kind_display()} #{self.pk}"

    @property
    def is_sealed(self) -> bool:
        return self.kind == Petition.Kind.DENUNCIATION


class ReceptionRefusal(models.Model):
    """A refusal to receive someone, on a ground of Luật Tiếp công dân Đ9 (TT 04/2021 Đ4)."""

    class Ground(models.TextChoices):
        INTOXICATED = "intoxicated", _("Intoxicated or unable to control their behaviour")
        DISORDERLY = "disorderly", _("Threatening or insulting, or breaking the reception rules")
        REPEAT_SETTLED = (
            "repeat_settled",
            _("Repeating a case already settled correctly and notified in writing"),
        )
        OTHER_LAW = "other_law", _("Another ground provided by law")

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="reception_refusals",
    )
    session = models.ForeignKey(
        ReceptionSession,
        verbose_name=_("reception session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refusals",
    )
    refused_on = models.DateField(_("date"))
    person = models.CharField(_("person (name or description)"), max_length=200)
    ground = models.CharField(_("ground"), max_length=16, choices=Ground)
    explanation = models.TextField(_("explanation"))
    written_notice = models.BooleanField(_("written refusal notice issued"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reception refusal")
        verbose_name_plural = _("reception refusals")
        ordering = ["refused_on", "id"]
        indexes = [models.Index(fields=["agency", "refused_on"], name="reception_refusal_day_idx")]

    def __str__(self) -> str:
        return f"{self.refused_on:%d/%m/%Y} — {self.get_ground_display()} #{self.pk}"
