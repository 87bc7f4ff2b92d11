"""Administrative units (dated, with successors), agencies and staff memberships."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import DatedModel, SearchableMixin
from danvan.core.text import normalize_text

# The day the two-tier local government started (Nghị quyết 202/2025/QH15): districts abolished.
TWO_TIER_START = dt.date(2025, 7, 1)
LEGACY_END = dt.date(2025, 6, 30)


class AdministrativeUnit(SearchableMixin, DatedModel):
    """A province or commune-level unit, current (2025 two-tier) or legacy (before 1/7/2025)."""

    class Scheme(models.TextChoices):
        TWO_TIER = "2025", _("Two-tier (from 1/7/2025)")
        LEGACY = "legacy", _("Legacy three-tier (until 30/6/2025)")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province level")
        DISTRICT = "district", _("District level (legacy)")
        COMMUNE = "commune", _("Commune level")

    SEARCH_FIELDS = ("name", "code")

    scheme = models.CharField(_("scheme"), max_length=8, choices=Scheme)
    level = models.CharField(_("level"), max_length=16, choices=Level)
    code = models.CharField(_("official code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    division_type = models.CharField(_("division type"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successors"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["scheme", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level", "code"], name="unit_scheme_code_uniq"
            ),
        ]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        super().save(*args, **kwargs)

    @property
    def is_legacy(self) -> bool:
        return self.scheme == self.Scheme.LEGACY


class Agency(SearchableMixin, DatedModel):
    """A body that does or oversees the work: People's Committee, department, Front, police…"""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
        PEOPLES_COUNCIL = "peoples_council", _("People's Council")
        DEPARTMENT = "department", _("Department / specialised office")
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        PARTY_MASS_MOBILISATION = (
            "party_mass_mobilisation",
            _("Party propaganda and mass-mobilisation commission"),
        )
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front committee")
        TRADE_UNION = "trade_union", _("Trade Union")
        FARMERS_UNION = "farmers_union", _("Farmers' Union")
        WOMENS_UNION = "womens_union", _("Women's Union")
        YOUTH_UNION = "youth_union", _("Ho Chi Minh Communist Youth Union")
        VETERANS_ASSOCIATION = "veterans_association", _("Veterans' Association")
        COURT = "court", _("People's Court")
        PROCURACY = "procuracy", _("People's Procuracy")
        POLICE = "police", _("Police")
        MILITARY = "military", _("Military command")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")

    SOCIO_POLITICAL = frozenset(
        {
            Kind.TRADE_UNION,
            Kind.FARMERS_UNION,
            Kind.WOMENS_UNION,
            Kind.YOUTH_UNION,
            Kind.VETERANS_ASSOCIATION,
        }
    )
    SEARCH_FIELDS = ("name", "short_name", "code")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.short_name = normalize_text(self.short_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("org:agency_detail", args=[self.pk])


class Membership(DatedModel):
    """A staff user's role in one agency. A user may hold several memberships."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        OFFICER = "officer", _("Officer (handler)")
        CLERK = "clerk", _("Clerk (intake)")
        INSPECTOR = "inspector", _("Inspector")
        VIEWER = "viewer", _("Viewer")

    # Roles whose reach extends to the agencies below their own.
    SUBTREE_ROLES = frozenset({Role.LEADER, Role.INSPECTOR})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    title = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class AccessGrant(DatedModel):
    """An explicit, dated grant: `user` may see `agency`'s work though it is outside their tree.

    For example an inspector assigned to inspect one commune, or a Front officer following a
    department's answers. Read access only; roles still come from memberships.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="access_grants",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="access_grants"
    )
    include_subtree = models.BooleanField(_("include agencies below"), default=False)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"{self.user} → {self.agency}"
