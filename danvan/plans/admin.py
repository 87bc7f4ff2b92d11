from django.contrib import admin

from danvan.core.admin_mixins import AuditedAdmin
from danvan.plans.models import LegalDocument


@admin.register(LegalDocument)
class LegalDocumentAdmin(AuditedAdmin):
    """The shared register of cited documents. Plans and tasks are edited in the app's pages,
    where their rules (periods, status moves, versions) are enforced."""

    list_display = ("number", "doc_type", "issued_on", "issuer", "title")
    list_filter = ("doc_type",)
    search_fields = ("number", "title", "issuer", "search_text")
    date_hierarchy = "issued_on"
