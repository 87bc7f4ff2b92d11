"""GET /api/v1/kpis: the dashboard's figures for a period as JSON, scoped like the page."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from danvan.api import schemas as s
from danvan.core.db_router import reading_from_replica
from danvan.org.selectors import agency_get
from danvan.reports import metrics as m
from danvan.reports import periods
from danvan.reports.selectors import compute_figures

router = Router(tags=["reports"])


class KpiQuery(Schema):
    kind: str | None = Field(None, description="month, quarter, half, nine_months, year, custom")
    year: int | None = Field(None, ge=1901, le=2999)
    index: int | None = Field(None, ge=1, le=12)
    start: s.Day | None = Field(None, description="custom ranges: first day")
    end: s.Day | None = Field(None, description="custom ranges: last day")
    agency: s.Id | None = Field(None, description="narrow to this agency and those below it")


class KpiOut(Schema):
    period: dict[str, Any]
    previous_period: dict[str, Any]
    as_of: str
    headline: dict[str, Any]
    previous: dict[str, Any]
    petitions: dict[str, Any]
    tasks: dict[str, Any]
    reception: list[dict[str, Any]]
    trend: list[dict[str, Any]]


@router.get("/kpis", response=KpiOut, summary="Key figures of a reporting period")
def kpis(request, query: Query[KpiQuery]):
    """The same figures as the dashboard (`/reports/`) for the caller's scope. Periods follow the
    report cut-off day; the default is the current six months."""
    params = {
        k: (v.isoformat() if hasattr(v, "isoformat") else str(v))
        for k, v in query.dict(exclude={"agency"}).items()
        if v is not None
    }
    cutoff = settings.DANVAN_REPORT_CUTOFF_DAY
    try:
        period = periods.parse(params, today=timezone.localdate(), cutoff_day=cutoff)
    except periods.PeriodError:
        raise HttpError(400, _("This period does not exist. Check the number and dates.")) from None
    agency = agency_get(user=request.user, pk=query.agency) if query.agency else None
    with reading_from_replica():
        return compute_figures(
            scope=m.Scope.for_user(request.user, agency),
            period=period,
            today=timezone.localdate(),
            cutoff_day=cutoff,
        )
