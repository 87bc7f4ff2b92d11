"""Citizen reception: the reception log (Form 03) of an agency in scope."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from danvan.api import schemas as s
from danvan.api.pagination import paginate
from danvan.reception.selectors import reception_agency_get, visit_list

router = Router(tags=["reception"])
VisitPage = s.page_of(s.VisitOut, "VisitPage")


@router.get("/reception/visits", response=VisitPage, summary="Reception log of an agency")
def visits(request, filters: Query[s.VisitFilters]):
    if filters.end < filters.start:
        raise HttpError(400, _("The end date is before the start date."))
    agency = reception_agency_get(user=request.user, pk=filters.agency)
    qs = visit_list(user=request.user, agency=agency, start=filters.start, end=filters.end)
    return paginate(qs, cursor=filters.cursor, limit=filters.limit)
