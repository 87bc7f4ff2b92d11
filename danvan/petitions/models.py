"""Citizen petitions (đơn): one case file from intake to final resolution."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.models import SearchableMixin
from danvan.petitions import workflow as wf

SEALED = "[Bảo mật]"


class Petition(SearchableMixin, models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = wf.COMPLAINT, _("Complaint")
        DENUNCIATION = wf.DENUNCIATION, _("Denunciation")
        RECOMMENDATION = wf.RECOMMENDATION, _("Recommendation")
        FEEDBACK = wf.FEEDBACK, _("Feedback")
        MULTIPLE = wf.MULTIPLE, _("Several matters")
        UNCLASSIFIED = wf.UNCLASSIFIED, _("Not yet classified")

    class Channel(models.TextChoices):
        RECEPTION = "reception", _("Citizen reception desk")
        POST = "post", _("Post")
        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("E-mail")
        HOTLINE = "hotline", _("Hotline")
        FORWARDED_AGENCY = "forwarded_agency", _("Forwarded by an agency")
        FORWARDED_DEPUTY = "forwarded_deputy", _("Forwarded by a National Assembly deputy")
        FORWARDED_FRONT = "forwarded_front", _("Forwarded by the Fatherland Front")
        DIALOGUE = "dialogue", _("Dialogue conference")

    class Status(models.TextChoices):
        RECEIVED = wf.RECEIVED, _("Received")
        CLASSIFIED = wf.CLASSIFIED, _("Classified")
        ACCEPTED = wf.ACCEPTED, _("Accepted for resolution")
        TRANSFERRED = wf.TRANSFERRED, _("Transferred")
        GUIDED = wf.GUIDED, _("Petitioner guided")
        FILED = wf.FILED, _("Filed without action")
        VERIFYING = wf.VERIFYING, _("Verifying")
        SUSPENDED = wf.SUSPENDED, _("Suspended")
        RESOLVED = wf.RESOLVED, _("Resolved")
        WITHDRAWN = wf.WITHDRAWN, _("Withdrawn")
        CLOSED = wf.CLOSED, _("Closed")

    SEARCH_FIELDS = ("tracking_code", "subject", "content")

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    # Second factor for public tracking: a keyed hash of the secret shown once at submission
    # (portal.services_citizen.tracking_hash). Empty for cases entered by staff.
    tracking_secret_hash = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("handling agency"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("place concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.UNCLASSIFIED)
    channel = models.CharField(_("channel"), max_length=24, choices=Channel)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED)
    instance = models.PositiveSmallIntegerField(_("instance"), default=1)
    subject = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"))
    received_on = models.DateField(_("date received"))
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    petitioner_count = models.PositiveIntegerField(_("number of petitioners"), default=1)
    is_mass = models.BooleanField(_("mass petition (many people)"), default=False)
    is_complex = models.BooleanField(_("complex"), default=False)
    is_remote = models.BooleanField(_("remote area"), default=False)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    forwarded_by = models.CharField(_("forwarded by"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    previous_instance = models.ForeignKey(
        "self",
        verbose_name=_("first-instance case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_instances",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handling officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_petitions",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assisted_intake = models.BooleanField(
        _("written down by a clerk for the citizen"), default=False
    )
    # The earliest unmet statutory deadline; the inbox sorts and filters on it.
    due_on = models.DateField(_("next deadline"), null=True, blank=True)
    # Keyed hashes of the petitioners' ID numbers and phones, for duplicate checks that work
    # even when the identity itself is sealed (see petitions.sealing).
    match_keys = models.JSONField(default=list, blank=True)
    # Eligibility items ticked at classification (petitions.eligibility, TT 05/2021 Đ6 k2).
    eligibility = models.JSONField(_("eligibility checks"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"], name="petition_inbox_idx"),
            models.Index(fields=["unit", "received_on"], name="petition_unit_date_idx"),
            # Duplicate checks scan one agency's recent cases (petitions.duplicates).
            models.Index(fields=["agency", "received_on"], name="petition_agency_date_idx"),
            # Open cases by next deadline (reminders, overdue counts per agency: index-only).
            models.Index(
                fields=["due_on", "agency"],
                name="petition_open_due_agency_idx",
                condition=Q(status__in=sorted(wf.OPEN_STATES)),
            ),
            # Inbox pages of a wide scope (a province): walk cases in page order and stop at 50.
            models.Index(fields=["due_on", "-received_on", "-id"], name="petition_inbox_order_idx"),
            # Dashboards count a period's cases by kind, channel, commune and agency from this
            # index alone (index-only scans; docs/performance.md).
            models.Index(
                fields=["received_on", "agency", "unit", "kind", "channel", "is_mass"],
                name="petition_received_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:case_detail", args=[self.pk])

    @property
    def is_sealed(self) -> bool:
        return hasattr(self, "sealed_identity")

    @property
    def is_open(self) -> bool:
        return self.status in wf.OPEN_STATES


class Petitioner(models.Model):
    """A person or organisation who sent the petition. Never stored for sealed petitions:
    a denouncer's identity lives only encrypted in SealedIdentity."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.PERSON)
    full_name = models.CharField(_("full name"), max_length=200)
    id_number = models.CharField(_("citizen ID / passport number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address_unit = models.ForeignKey(
        "org.AdministrativeUnit",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        ordering = ["petition", "position"]

    def __str__(self) -> str:
        return self.full_name


class SealedIdentity(models.Model):
    """The denouncer's identity, encrypted at rest (Luật Tố cáo Đ47–56; QĐ 774/QĐ-TTg).

    Readable only by the case's handling officer and the handling agency's leaders, through
    `petitions.sealing.reveal_identity`, which writes an audit event each time.
    """

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, related_name="sealed_identity"
    )
    ciphertext = models.BinaryField()
    sealed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return SEALED


class Deadline(models.Model):
    """One statutory clock of a case, computed from the rule in force on its start date."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("Process the petition")
        ACCEPT = "accept", _("Decide on acceptance")
        CHECK = "check", _("Check the denunciation")
        RESOLVE = "resolve", _("Resolve")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    rule = models.ForeignKey("core.LegalRule", on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField(_("counted from"))
    due_on = models.DateField(_("due"), db_index=True)
    days = models.PositiveIntegerField(_("days"))
    met_on = models.DateField(_("met on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["petition", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "kind"], name="deadline_kind_uniq")
        ]
        # Reports count the clocks met in a period (resolved on time / late).
        indexes = [
            models.Index(fields=["kind", "met_on", "due_on", "petition"], name="deadline_met_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


class Transition(models.Model):
    """Every move of a case: from, to, who, when, why, on what legal basis."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_public = models.BooleanField(default=True)
    target_agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["petition", "at", "id"]
        # Reports count a period's decisions (accepted, transferred, guided, filed).
        indexes = [
            models.Index(fields=["action", "at", "petition"], name="transition_action_at_idx")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.from_status} → {self.to_status}"


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="petitions/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Attachments of a denunciation may reveal the denouncer: sealed like the identity.
    is_sealed = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
