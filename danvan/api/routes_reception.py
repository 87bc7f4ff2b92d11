"""Citizen reception: the reception log (Form 03) of an agency in scope, and recording a visit."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from danvan.api import schemas as s
from danvan.api.auth import require_token_agency
from danvan.api.pagination import paginate
from danvan.reception.selectors import reception_agency_get, session_get, visit_list
from danvan.reception.services import visit_record

router = Router(tags=["reception"])
VisitPage = s.page_of(s.VisitOut, "VisitPage")


@router.get("/reception/visits", response=VisitPage, summary="Reception log of an agency")
def visits(request, filters: Query[s.VisitFilters]):
    if filters.end < filters.start:
        raise HttpError(400, _("The end date is before the start date."))
    agency = reception_agency_get(user=request.user, pk=filters.agency)
    qs = visit_list(user=request.user, agency=agency, start=filters.start, end=filters.end)
    return paginate(qs, cursor=filters.cursor, limit=filters.limit)


@router.post("/reception/visits", response={201: s.VisitOut}, summary="Record a visit")
def visit_create(request, data: s.VisitIn):
    """One row of the reception log; an accepted visit also opens its petition (as the page)."""
    agency = reception_agency_get(user=request.user, pk=data.agency_id)
    if not request.user.has_perm("reception.record_visit", agency):
        raise PermissionDenied
    require_token_agency(request, agency.pk)
    fields = data.dict(exclude={"agency_id", "session_id"})
    session = (
        session_get(user=request.user, agency=agency, pk=data.session_id)
        if data.session_id
        else None
    )
    visit = visit_record(actor=request.user, agency=agency, session=session, **fields)
    return Status(201, visit)
