"""Dashboard and drill-down pages: figures for a period and the records behind each of them."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.db_router import reading_from_replica
from danvan.core.decorators import permission_required
from danvan.org.selectors import agency_list
from danvan.reports import dashboard as view_model
from danvan.reports import exports, periods, services
from danvan.reports import metrics as m
from danvan.reports.forms import PeriodForm
from danvan.reports.models import ExportJob
from danvan.reports.periods import previous
from danvan.reports.selectors import compute_figures

PAGE_SIZE = 50
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def attachment(name: str, content: bytes) -> HttpResponse:
    extension = name.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def period_form(request) -> PeriodForm:
    """The period selector bound to the query string (the default period when it is empty)."""
    agencies = (
        agency_list(user=request.user).select_related(None).only("pk", "name").order_by("name")
    )
    current = periods.containing(
        timezone.localdate(), periods.HALF, cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY
    )
    return PeriodForm(request.GET or current.as_params(), agencies=agencies)


@permission_required("reports.view_dashboard")
def dashboard(request):
    form = period_form(request)
    context = {"form": form}
    if form.is_valid():
        period, agency = form.cleaned_data["period"], form.cleaned_data["agency"]
        cutoff = settings.DANVAN_REPORT_CUTOFF_DAY
        with reading_from_replica():
            figures = compute_figures(
                scope=m.Scope.for_user(request.user, agency),
                period=period,
                today=timezone.localdate(),
                cutoff_day=cutoff,
            )
        before = previous(period, cutoff_day=cutoff)
        context |= {
            "period": period,
            "previous_period": before,
            "agency": agency,
            "figures": figures,
            "view": view_model.build(figures, period, before, agency.pk if agency else None),
        }
    return render(request, "reports/dashboard.html", context)


def _records_request(request):
    """(form, queryset, params) for the drill-down in the query string; 404 on a bad figure."""
    form = period_form(request)
    if not form.is_valid():
        raise Http404
    params = {k: request.GET.get(k, "") for k in ("metric", "by", "value")}
    try:
        qs = m.records(
            scope=m.Scope.for_user(request.user, form.cleaned_data["agency"]),
            period=form.cleaned_data["period"],
            today=timezone.localdate(),
            **params,
        )
    except m.MetricError:
        raise Http404 from None
    return form, qs, params


@permission_required("reports.view_dashboard")
def records(request):
    form, qs, params = _records_request(request)
    with reading_from_replica():
        page = Paginator(exports.prepared(qs).order_by("pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        headers, rows = exports.header_and_rows(qs, page.object_list)
    links = [(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "") for obj in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/records.html",
        {
            "form": form,
            "period": form.cleaned_data["period"],
            "agency": form.cleaned_data["agency"],
            "metric": params["metric"],
            "page": page,
            "headers": headers,
            "rows": list(zip(links, rows, strict=True)),
            "query": query.urlencode(),
            "back_query": _back_query(query),
        },
    )


def _back_query(query) -> str:
    back = query.copy()
    for key in ("metric", "by", "value"):
        back.pop(key, None)
    return back.urlencode()


@require_POST
@permission_required("reports.view_dashboard")
def records_export(request):
    """The list behind a figure as CSV or XLSX: at once when short, else through the worker."""
    _form, qs, params = _records_request(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    query = {k: v for k, v in request.GET.items() if k not in ("format", "page")}
    with reading_from_replica():
        count = qs.count()
    if count > settings.DANVAN_EXPORT_SYNC_MAX_ROWS:
        kind = ExportJob.Kind.RECORDS_CSV if fmt == "csv" else ExportJob.Kind.RECORDS_XLSX
        job = services.export_request(actor=request.user, kind=kind, params=query)
        return redirect(job)
    with reading_from_replica():
        content = exports.csv_bytes(qs) if fmt == "csv" else exports.xlsx_bytes(qs)
    services.export_audit(
        actor=request.user, kind=f"records_{fmt}", report=None, params=query, rows=count
    )
    name = f"{params['metric'] or 'records'}-{timezone.localdate():%Y%m%d}.{fmt}"
    return attachment(name, content)


@permission_required("reports.view_dashboard")
def export_detail(request, pk: int):
    job = _job_or_404(request, pk)
    return render(request, "reports/export_detail.html", {"job": job})


@permission_required("reports.view_dashboard")
def export_download(request, pk: int):
    job = _job_or_404(request, pk)
    if job.status != ExportJob.Status.DONE:
        messages.info(request, _("The file is not ready yet."))
        return redirect(job)
    services.export_audit(
        actor=request.user, kind=f"{job.kind}_download", report=job.report, params={"job": job.pk}
    )
    # Streamed from storage: a list export of a whole province can be hundreds of megabytes.
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


def _job_or_404(request, pk: int) -> ExportJob:
    job = ExportJob.objects.select_related("report").filter(pk=pk).first()
    if job is None or not request.user.has_perm("reports.view_export", job):
        raise Http404
    return job
