from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from danvan.core.admin_mixins import AuditedAdmin
from danvan.core.models import AuditEvent, CalendarOverride, LegalRule, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "email", "is_active", "is_superuser")
    list_filter = ("kind", "is_active", "is_superuser")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("danvan"), {"fields": ("kind", "full_name", "phone")}),
    )


@admin.register(LegalRule)
class LegalRuleAdmin(AuditedAdmin):
    list_display = (
        "code",
        "period_days",
        "unit",
        "article",
        "law",
        "valid_from",
        "valid_to",
        "is_unsure",
    )
    list_filter = ("unit", "is_unsure")
    search_fields = ("code", "title", "law", "article")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ("date", "kind", "name", "legal_basis")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are never changed through the app."""

    list_display = (
        "occurred_at",
        "actor_repr",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
        "is_sensitive_read",
    )
    list_filter = ("action", "object_type", "is_sensitive_read")
    search_fields = ("action", "object_repr", "actor_repr", "object_id")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
