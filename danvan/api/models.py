"""Personal API tokens and the Open311 requests they created."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal token: acts as its owner, bound to one agency, read or read-write.

    Only a SHA-256 digest of the token is stored; the token itself is shown once at creation.
    """

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    access = models.CharField(_("access"), max_length=8, choices=Access, default=Access.READ)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.user.is_active

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.WRITE


class Open311Request(models.Model):
    """A petition that came in through Open311 GeoReport v2, with its public token."""

    petition = models.OneToOneField(
        "petitions.Petition", on_delete=models.CASCADE, related_name="open311"
    )
    token = models.CharField(max_length=32, unique=True)
    api_token = models.ForeignKey(
        ApiToken, null=True, on_delete=models.SET_NULL, related_name="open311_requests"
    )
    service_code = models.CharField(max_length=32)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address_string = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token
