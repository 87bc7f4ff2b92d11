"""DOCX downloads: a case's notices to the petitioner and its identity-free verification copy."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from danvan.petitions.models import Petition
from danvan.petitions.notices import (
    DOCX_CONTENT_TYPE,
    NOTICE_KINDS,
    build_notice,
    build_verification_copy,
)
from danvan.petitions.selectors import petition_queryset


def _petition_for_notice(request, pk: int) -> Petition:
    """The case if in the user's scope (else 404) and theirs to write notices for (else 403)."""
    queryset = petition_queryset(user=request.user).select_related(
        "agency__parent", "agency__unit", "unit", "sealed_identity"
    )
    petition = get_object_or_404(queryset, pk=pk)
    if not request.user.has_perm("petitions.generate_notice", petition):
        raise PermissionDenied
    return petition


def _docx(filename: str, data: bytes) -> FileResponse:
    response = FileResponse(
        BytesIO(data), as_attachment=True, filename=filename, content_type=DOCX_CONTENT_TYPE
    )
    # Case documents may hold personal data: no shared or browser cache.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def notice_download(request, pk: int, notice: str):
    if notice not in NOTICE_KINDS:
        raise Http404
    petition = _petition_for_notice(request, pk)
    return _docx(*build_notice(petition=petition, notice=notice, actor=request.user))


@require_GET
@login_required
def verification_copy_download(request, pk: int):
    petition = _petition_for_notice(request, pk)
    return _docx(*build_verification_copy(petition=petition, actor=request.user))
