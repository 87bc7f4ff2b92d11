from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from danvan.core.calendar import WorkingCalendar
from danvan.core.deadlines import DeadlineError
from danvan.core.decorators import permission_required
from danvan.core.forms import DeadlineForm
from danvan.core.selectors import UnknownRuleError, due_date, working_calendar
from danvan.org.selectors import active_memberships, audit_event_list, is_staff_member


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def home(request):
    if not request.user.is_authenticated:
        return redirect("portal:home")  # citizens land on the portal; staff sign in from it
    if not is_staff_member(request.user):
        raise PermissionDenied(_("This account has no staff access."))
    memberships = active_memberships(request.user).select_related("agency__unit")
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "reception_warnings": _reception_warnings(request.user),
        },
    )


def _reception_warnings(user) -> list[dict]:
    """Leaders whose citizen-reception days fell short of the legal minimum in the last 90 days."""
    import datetime as dt

    from django.utils import timezone

    from danvan.org.selectors import agencies_where_user_works
    from danvan.reception.selectors import reception_compliance

    today = timezone.localdate()
    warnings = []
    for agency in agencies_where_user_works(user).select_related("unit")[:10]:
        for entry in reception_compliance(
            user=user, agency=agency, start=today - dt.timedelta(days=90), end=today
        ):
            if entry.shortfalls:
                warnings.append(
                    {"agency": agency, "role": entry.role_label, "shortfalls": entry.shortfalls}
                )
    return warnings


@permission_required("core.use_deadline_calculator")
def deadline_calculator(request):
    form = DeadlineForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        result = _calculate(form, working_calendar())
    return render(request, "core/deadline.html", {"form": form, "result": result})


def _calculate(form: DeadlineForm, calendar: WorkingCalendar) -> dict | None:
    data = form.cleaned_data
    start = data["start"]
    if data["mode"] == DeadlineForm.MODE_DAYS:
        add = calendar.add_working_days if data["unit"] == "working" else calendar.add_calendar_days
        return {"date": add(start, data["days"]), "start": start, "days": data["days"]}
    try:
        due = due_date(
            data["rule_code"],
            start,
            complex_case=data["complex_case"],
            remote=data["remote"],
            extensions=data.get("extensions") or 0,
            calendar=calendar,
        )
    except UnknownRuleError as exc:
        form.add_error("rule_code", str(exc))
        return None
    except DeadlineError as exc:
        form.add_error("extensions", str(exc))
        return None
    return {"date": due.date, "start": start, "days": due.days, "rule": due.rule}


@permission_required("core.view_audit_events")
def audit_events(request):
    events = audit_event_list(user=request.user, action=request.GET.get("action", "")[:80])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_events.html", {"page": page})


@login_required
def notifications_view(request):
    """The user's notifications; opening the page marks the shown ones read."""
    from danvan.core.notifications import mark_read, notification_list

    page = Paginator(notification_list(request.user), 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "core/notifications.html", {"page": page, "unread": set(unread)})
    mark_read(user=request.user, notification_ids=unread)
    return response


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})
