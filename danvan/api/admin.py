from django.contrib import admin

from danvan.api.models import ApiToken, Open311Request


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "agency", "access", "expires_at", "revoked_at")
    # Only revoking is an admin's job: widening access, lifetime, owner or agency of a token
    # here would bypass the checks (and the audit) of api_token_create.
    readonly_fields = (
        "user",
        "agency",
        "access",
        "expires_at",
        "digest",
        "prefix",
        "last_used_at",
        "created_at",
    )
    list_filter = ("access",)

    def has_add_permission(self, request):
        return False  # created only through the page or `manage.py api_token`, shown once


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ("token", "petition", "service_code", "created_at")
    readonly_fields = ("petition", "token", "api_token")
