from django.contrib import admin
from django.db import models

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
    # Django 6 assumes https for scheme-less URLs; do so now (and silence the 5.x warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
