from django.contrib import admin

from danvan.core.admin_mixins import AuditedAdmin
from danvan.org.models import AccessGrant, AdministrativeUnit, Agency, Membership


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "scheme", "parent", "valid_from", "valid_to")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent",)
    filter_horizontal = ("successors",)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "unit", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code", "search_text")
    raw_id_fields = ("unit", "parent")
    prepopulated_fields = {"code": ("name",)}

    def audit_agency(self, obj):
        return obj if obj.pk else None


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "agency", "role", "title", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__name")
    raw_id_fields = ("user", "agency")

    def audit_agency(self, obj):
        return obj.agency


@admin.register(AccessGrant)
class AccessGrantAdmin(AuditedAdmin):
    list_display = ("user", "agency", "include_subtree", "reason", "valid_from", "valid_to")
    search_fields = ("user__username", "user__full_name", "agency__name", "reason")
    raw_id_fields = ("user", "agency")

    def audit_agency(self, obj):
        return obj.agency
