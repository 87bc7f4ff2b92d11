from django.contrib import admin

from danvan.core.admin_mixins import AuditedAdmin
from danvan.org.models import Agency
from danvan.org.selectors import scope_queryset
from danvan.portal.models import Article


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    """News and announcements. Saves go through the audited reference-data service; staff see
    and publish for the agencies in their scope only. Feedback is moderated in the portal's
    moderation page, public answers from the case page."""

    list_display = ("title", "kind", "agency", "published_at", "view_count")
    list_filter = ("kind", "agency")
    search_fields = ("title", "search_text")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("view_count", "created_by")
    fields = (
        "kind", "title", "slug", "summary", "body", "image", "image_alt", "agency",
        "author_name", "published_at", "view_count", "created_by",
    )  # fmt: skip

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = scope_queryset(
                Agency.objects.all(), request.user, agency_field="pk"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def audit_agency(self, obj):
        return obj.agency

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
