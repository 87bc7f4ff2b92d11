"""Reception pages: the agencies, the schedule with its compliance panel, planning sessions."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.decorators import permission_required
from danvan.org.models import Agency
from danvan.org.selectors import agency_list
from danvan.reception import quota, services
from danvan.reception.forms import PeriodForm, SessionForm
from danvan.reception.models import ReceptionSession
from danvan.reception.selectors import (
    reception_agency_get,
    reception_compliance,
    session_get,
    session_list,
)


def agency_or_404(request, pk: int, perm: str) -> Agency:
    """The agency if in the user's scope (else 404) and `perm` is granted on it (else 403)."""
    try:
        agency = reception_agency_get(user=request.user, pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, agency):
        raise PermissionDenied
    return agency


def show_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _schedule_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """Two months back to the end of next month: recent compliance and the coming schedule."""
    first = quota.period_bounds(today, quota.MONTH)[0]
    start = quota.period_bounds(first - dt.timedelta(days=40), quota.MONTH)[0]
    end = quota.period_bounds(first + dt.timedelta(days=40), quota.MONTH)[1]
    return start, end


@permission_required("core.view_staff_home")
def reception_index_view(request):
    agencies = agency_list(user=request.user)
    return render(request, "reception/index.html", {"agencies": agencies})


@permission_required("core.view_staff_home")
def schedule_view(request, agency_pk):
    agency = agency_or_404(request, agency_pk, "reception.view_reception")
    form = PeriodForm(request.GET or None)
    start, end = form.range(*_schedule_range(timezone.localdate()))
    user = request.user
    return render(
        request,
        "reception/schedule.html",
        {
            "agency": agency,
            "form": form,
            "start": start,
            "end": end,
            "sessions": session_list(user=user, agency=agency, start=start, end=end),
            "compliance": reception_compliance(user=user, agency=agency, start=start, end=end),
            "can_plan": user.has_perm("reception.plan_session", agency),
            "can_mark": user.has_perm("reception.mark_session_held", agency),
            "can_record": user.has_perm("reception.record_visit", agency),
            "can_cancel": user.has_perm("reception.cancel_session", agency),
        },
    )


@permission_required("core.view_staff_home")
def session_create_view(request, agency_pk):
    agency = agency_or_404(request, agency_pk, "reception.plan_session")
    form = SessionForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_plan(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The session was put on the schedule."))
            return redirect("reception:schedule", agency_pk=agency.pk)
    return render(
        request,
        "reception/form.html",
        {
            "agency": agency,
            "form": form,
            "title": _("Plan a session"),
            "back_url": reverse("reception:schedule", args=[agency.pk]),
        },
    )


@require_POST
@permission_required("core.view_staff_home")
def session_status_view(request, agency_pk, pk):
    verbs = {"held": "mark_session_held", "cancel": "cancel_session"}
    verb = verbs.get(request.POST.get("action", ""))
    if verb is None:
        raise Http404
    agency = agency_or_404(request, agency_pk, f"reception.{verb}")
    try:
        session = session_get(user=request.user, agency=agency, pk=pk)
    except ReceptionSession.DoesNotExist:
        raise Http404 from None
    change = services.session_mark_held if verb == "mark_session_held" else services.session_cancel
    try:
        change(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reception:schedule", agency_pk=agency.pk)
