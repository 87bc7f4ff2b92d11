"""Reception pages: the log (Form 03, printable), recording a visit and a refusal."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.decorators import permission_required
from danvan.reception import services
from danvan.reception.forms import PeriodForm, RefusalForm, VisitForm
from danvan.reception.selectors import refusal_list, visit_list
from danvan.reception.views import agency_or_404, show_errors

LOG_PAGE_SIZE = 100


@permission_required("core.view_staff_home")
def log_view(request, agency_pk):
    """The reception log (Form 03) between two dates: paged on screen, whole when printed."""
    agency = agency_or_404(request, agency_pk, "reception.view_reception")
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = form.range(today.replace(day=1), today)
    visits = visit_list(user=request.user, agency=agency, start=start, end=end)
    context = {
        "agency": agency,
        "form": form,
        "start": start,
        "end": end,
        "visits": visits,
        "refusals": refusal_list(user=request.user, agency=agency, start=start, end=end),
        "query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
    }
    if request.GET.get("print") == "1":
        return render(request, "reception/log_print.html", context)
    page = Paginator(visits, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        page=page,
        offset=max(page.start_index() - 1, 0),
        can_record=request.user.has_perm("reception.record_visit", agency),
    )
    return render(request, "reception/log.html", context)


def _log_url(agency_pk: int, day: dt.date) -> str:
    start = day.replace(day=1)
    return f"{reverse('reception:log', args=[agency_pk])}?start={start:%Y-%m-%d}"


@permission_required("core.view_staff_home")
def visit_create_view(request, agency_pk):
    agency = agency_or_404(request, agency_pk, "reception.record_visit")
    form = VisitForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The visit was written in the reception log."))
            return redirect(_log_url(agency.pk, visit.visited_on))
    return render(request, "reception/visit_form.html", {"agency": agency, "form": form})


@permission_required("core.view_staff_home")
def refusal_create_view(request, agency_pk):
    agency = agency_or_404(request, agency_pk, "reception.record_refusal")
    form = RefusalForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            refusal = services.refusal_record(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The refusal was recorded."))
            return redirect(_log_url(agency.pk, refusal.refused_on))
    return render(
        request,
        "reception/form.html",
        {
            "agency": agency,
            "form": form,
            "title": _("Record a refusal"),
            "back_url": reverse("reception:log", args=[agency.pk]),
        },
    )
