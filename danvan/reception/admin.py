from django.contrib import admin

from danvan.core.admin_mixins import AuditedAdmin
from danvan.reception.models import ReceptionQuota


@admin.register(ReceptionQuota)
class ReceptionQuotaAdmin(AuditedAdmin):
    """The statutory minimums are reference data: administrators correct them here (audited).
    Sessions, visits and refusals are written only through the reception pages' services."""

    list_display = (
        "role",
        "minimum_days",
        "period",
        "citation",
        "valid_from",
        "valid_to",
        "is_unsure",
    )
    list_filter = ("role", "period", "is_unsure")
    search_fields = ("citation", "note")
