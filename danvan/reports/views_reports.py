"""Report documents: list, create, edit the narrative, submit (freeze), download, compare."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.decorators import permission_required
from danvan.core.forms import add_service_errors
from danvan.org.selectors import agencies_where_user_works, scope_queryset
from danvan.petitions.notices import DEFAULT_SIGNING, SIGNING
from danvan.plans.models import Plan
from danvan.reports import documents, services
from danvan.reports.compare import compare
from danvan.reports.forms import ReportCreateForm, ReportEditForm
from danvan.reports.models import ExportJob, Report
from danvan.reports.selectors import report_data
from danvan.reports.views import attachment

DOWNLOADS = {
    "docx": ExportJob.Kind.REPORT_DOCX,
    "xlsx": ExportJob.Kind.REPORT_XLSX,
    "pdf": ExportJob.Kind.REPORT_PDF,
}


def _reports(user):
    return scope_queryset(Report.objects.select_related("agency", "plan"), user)


def report_or_404(request, pk: int, perm: str = "reports.view_report") -> Report:
    report = _reports(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    if not request.user.has_perm(perm, report):
        raise PermissionDenied
    return report


@permission_required("reports.view_dashboard")
def report_list(request):
    reports = _reports(request.user).order_by("-period_end", "-id")[:200]
    can_create = request.user.is_superuser or agencies_where_user_works(request.user).exists()
    return render(
        request, "reports/report_list.html", {"reports": reports, "can_create": can_create}
    )


def _signing_defaults(agency) -> dict:
    prefixes, position = SIGNING.get(agency.kind, DEFAULT_SIGNING)
    return {"signing_prefixes": "\n".join(prefixes), "signer_position": position}


@permission_required("reports.view_dashboard")
def report_create(request):
    agencies = agencies_where_user_works(request.user)
    plans = Plan.objects.filter(issuing_agency__in=agencies).order_by("-year", "title")
    data = request.POST if request.method == "POST" else None
    form = ReportCreateForm(data, agencies=agencies, plans=plans, initial={"kind": "half"})
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        if not request.user.has_perm("reports.add_report", agency):
            raise PermissionDenied
        try:
            report = services.report_create(
                actor=request.user,
                agency=agency,
                period=form.cleaned_data["period"],
                plan=form.cleaned_data["plan"],
                number=form.cleaned_data["number"],
                signer_name=form.cleaned_data["signer_name"],
                recipients=_("- As above\n- Filed: Office"),
                **{
                    **_signing_defaults(agency),
                    **(
                        {"signer_position": form.cleaned_data["signer_position"]}
                        if form.cleaned_data["signer_position"]
                        else {}
                    ),
                },
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft report was created from the live figures."))
            return redirect(report)
    return render(request, "reports/report_form.html", {"form": form})


@permission_required("reports.view_dashboard")
def report_detail(request, pk: int):
    report = report_or_404(request, pk)
    data = report_data(
        report, today=timezone.localdate(), cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "parts": documents.outline(report, data),
            "data": data,
            "can_change": request.user.has_perm("reports.change_report", report),
            "can_submit": request.user.has_perm("reports.submit_report", report),
            "pdf_missing": documents.pdf_missing_parts(),
            "background": report.period.days > settings.DANVAN_REPORT_SYNC_MAX_DAYS,
        },
    )


def _narrative_labels(report: Report) -> dict[str, str]:
    labels = {}
    if report.plan_id:
        for content in report.plan.contents.order_by("number"):
            labels[f"content_{content.number}"] = f"({content.number}) {content.title}"
    labels["petitions"] = _("Citizen reception and petitions")
    labels["assessment"] = _("General assessment")
    labels["next_period"] = _("Tasks for the next period")
    return labels


@permission_required("reports.view_dashboard")
def report_edit(request, pk: int):
    report = report_or_404(request, pk, "reports.change_report")
    labels = _narrative_labels(report)
    initial = {
        "number": report.number,
        "subject": report.subject,
        "recipients": report.recipients,
        "signing_prefixes": report.signing_prefixes,
        "signer_position": report.signer_position,
        "signer_name": report.signer_name,
        "version": report.version,
        **{f"narrative_{k}": report.narratives.get(k, "") for k in labels},
    }
    data = request.POST if request.method == "POST" else None
    form = ReportEditForm(data, initial=initial, narrative_labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                actor=request.user,
                report=report,
                expected_version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(report)
    return render(request, "reports/report_edit.html", {"form": form, "report": report})


@require_POST
@permission_required("reports.view_dashboard")
def report_submit(request, pk: int):
    report = report_or_404(request, pk, "reports.submit_report")
    try:
        services.report_submit(
            actor=request.user, report=report, expected_version=int(request.POST["version"])
        )
    except (ValidationError, KeyError, ValueError) as exc:
        text = (
            "; ".join(exc.messages) if isinstance(exc, ValidationError) else _("Reload the page.")
        )
        messages.error(request, _("The report was not submitted: %(why)s") % {"why": text})
    else:
        messages.success(request, _("The report was submitted; its figures are now frozen."))
    return redirect(report)


@require_POST
@permission_required("reports.view_dashboard")
def report_download(request, pk: int, fmt: str):
    report = report_or_404(request, pk)
    if fmt not in DOWNLOADS:
        raise Http404
    kind = DOWNLOADS[fmt]
    missing = documents.pdf_missing_parts() if fmt == "pdf" else []
    if missing:
        messages.error(
            request,
            _("The PDF cannot be made on this server: it lacks %(parts)s. DOCX and XLSX work.")
            % {"parts": ", ".join(missing)},
        )
        return redirect(report)
    if report.period.days > settings.DANVAN_REPORT_SYNC_MAX_DAYS:
        job = services.export_request(actor=request.user, kind=kind, report=report)
        return redirect(job)
    name, content = services.report_file(actor=request.user, report=report, kind=kind)
    return attachment(name, content)


@permission_required("reports.view_dashboard")
def report_compare(request, pk: int):
    report = report_or_404(request, pk)
    if report.figures is None:
        messages.info(request, _("A draft has no frozen figures to compare with."))
        return redirect(report)
    live = report_data(
        report,
        today=timezone.localdate(),
        cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY,
        live=True,
    )
    rows = compare(report.figures, live)
    return render(request, "reports/report_compare.html", {"report": report, "rows": rows})
