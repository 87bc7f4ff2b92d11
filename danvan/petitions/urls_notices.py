"""Notice and verification-copy downloads (included by the petitions URLconf, "petitions")."""

from django.urls import path

from danvan.petitions import (
    rules_notices,  # noqa: F401  (registers petitions.generate_notice)
    views_notices,
)

urlpatterns = [
    path(
        "cases/<int:pk>/notices/<str:notice>.docx",
        views_notices.notice_download,
        name="notice_download",
    ),
    path(
        "cases/<int:pk>/verification-copy.docx",
        views_notices.verification_copy_download,
        name="verification_copy",
    ),
]
