from django.contrib import admin

from danvan.core.services import reference_object_delete, reference_object_save


class AuditedAdmin(admin.ModelAdmin):
    """Admin whose saves and deletes go through the audited reference-data services."""

    def audit_agency(self, obj):
        return None

    def save_model(self, request, obj, form, change):
        reference_object_save(
            actor=request.user, obj=obj, is_new=not change, agency=self.audit_agency(obj)
        )

    def delete_model(self, request, obj):
        reference_object_delete(actor=request.user, obj=obj, agency=self.audit_agency(obj))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
