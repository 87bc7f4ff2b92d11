"""Reference data: administrative units, agencies (scoped), legal documents."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from danvan.api import schemas as s
from danvan.api.pagination import paginate
from danvan.core.text import fold_text
from danvan.org.models import AdministrativeUnit
from danvan.org.selectors import agency_get, agency_list
from danvan.plans.models import LegalDocument

router = Router(tags=["reference"])

UnitPage = s.page_of(s.UnitOut, "UnitPage")
AgencyPage = s.page_of(s.AgencyOut, "AgencyPage")
LegalDocumentPage = s.page_of(s.LegalDocumentOut, "LegalDocumentPage")


@router.get("/units", response=UnitPage, summary="Administrative units (public reference data)")
def units(request, filters: Query[s.UnitFilters]):
    qs = AdministrativeUnit.objects.all()
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.q:
        qs = qs.filter(search_text__contains=fold_text(filters.q))
    return paginate(qs, cursor=filters.cursor, limit=filters.limit)


@router.get("/units/{unit_id}", response=s.UnitOut)
def unit(request, unit_id: s.Id):
    return get_object_or_404(AdministrativeUnit, pk=unit_id)


@router.get("/agencies", response=AgencyPage, summary="Agencies you may see")
def agencies(request, filters: Query[s.AgencyFilters]):
    qs = agency_list(user=request.user, query=filters.q or "", kind=filters.kind or "")
    return paginate(qs, cursor=filters.cursor, limit=filters.limit)


@router.get("/agencies/{agency_id}", response=s.AgencyOut)
def agency(request, agency_id: s.Id):
    return agency_get(user=request.user, pk=agency_id)


@router.get("/legal-documents", response=LegalDocumentPage)
def legal_documents(request, filters: Query[s.LegalDocumentFilters]):
    qs = LegalDocument.objects.all()
    if filters.q:
        qs = qs.filter(search_text__contains=fold_text(filters.q))
    return paginate(qs, cursor=filters.cursor, limit=filters.limit)


@router.get("/legal-documents/{document_id}", response=s.LegalDocumentOut)
def legal_document(request, document_id: s.Id):
    return get_object_or_404(LegalDocument, pk=document_id)
