"""Public pages of the citizen's journey: send a petition, see the receipt once, track it."""

import datetime as dt

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from danvan.core import ratelimit  # also registers the core.prune_rate_limits tick hook
from danvan.core.forms import add_service_errors
from danvan.portal import page_shell, track_result, tracking
from danvan.portal import services_citizen as services
from danvan.portal.forms_citizen import CONSENT_TEXT, SubmitForm, TrackForm

RECEIPT_KEY = "portal_receipt"


def _kind_guides(form: SubmitForm) -> list[dict]:
    """Each kind's radio button with its plain-language help and legal time limits."""
    today = timezone.localdate()
    return [
        {"radio": radio, "rules": services.rule_summaries(radio.data["value"], today)}
        for radio in form["kind"]
    ]


def _errors_into(form: SubmitForm, exc: ValidationError) -> None:
    # petition_receive names petitioner fields "petitioner_<i>_<field>"; this form has one.
    add_service_errors(
        form,
        exc,
        rename=lambda key: key.split("_", 2)[-1] if key.startswith("petitioner_") else key,
    )


def _over_limit(request, form: SubmitForm):
    """A 429 response if this submission goes over the per-address or per-contact limit."""
    refused = ratelimit.refuse_if_over(request, ratelimit.SUBMIT_PER_IP)
    for contact in form.contacts():
        refused = refused or ratelimit.refuse_if_over(
            request, ratelimit.SUBMIT_PER_CONTACT, ratelimit.contact_key(contact)
        )
    return refused


def _accept(request, form: SubmitForm):
    """Record a valid submission (or pretend to, for a bot); a redirect, 429 or None."""
    refused = _over_limit(request, form)
    if refused:
        return refused
    if form.is_bot:
        receipt = services.decoy_receipt(email=bool(form.cleaned_data.get("email")))
    else:
        data = form.cleaned_data
        _petition, receipt = services.portal_submit(
            kind=data["kind"],
            unit=data["unit"],
            subject=data["subject"],
            content=data["content"],
            person=form.person(),
            consent_text=str(CONSENT_TEXT) if data.get("consent") else "",
            files=data.get("files") or [],
        )
    request.session[RECEIPT_KEY] = receipt.as_session()
    return redirect("portal:submit_done")


@never_cache
@require_http_methods(["GET", "POST"])
def submit_view(request):
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and (form.is_valid() or form.is_bot):
        try:
            return _accept(request, form)
        except ValidationError as exc:
            _errors_into(form, exc)
    return render(request, "portal/submit.html", {"form": form, "kinds": _kind_guides(form)})


@never_cache
def submit_done_view(request):
    """The receipt, shown once: the secret is gone from the session after this page."""
    receipt = request.session.pop(RECEIPT_KEY, None)
    if not receipt:
        return redirect("portal:track")
    due_on = dt.date.fromisoformat(receipt["due_on"])
    return render(request, "portal/receipt.html", {"receipt": receipt, "due_on": due_on})


def _public_view_html(found: tracking.Found) -> str:
    """The found case's result, rendered for each lookup from the rows read with the case.

    Not cached: a citizen rarely looks the same case up twice in a row, so a cache mostly
    missed, and its get and set (a round trip with Redis) cost as much as rendering (measured
    with the benchmark's 500 distinct cases, docs/performance.md)."""
    return mark_safe(track_result.render(tracking.portal_track(found)))  # noqa: S308 - escaped


def _track_shell_context(found: bool) -> dict:
    """What the track page's shell is rendered with: markers for the request's parts."""
    return {
        "form": TrackForm(
            {"code": page_shell.marker("code"), "factor": page_shell.marker("factor")}
        ),
        "searched": True,
        "found": page_shell.marker("found") if found else "",
        "csrf_token": page_shell.marker("csrf"),
    }


def _track_answer(request, form: TrackForm, found: str) -> HttpResponse:
    """The page for a valid lookup: from its shell (see page_shell) unless the request has
    messages to show (the template renders those)."""
    if len(get_messages(request)):
        return render(
            request, "portal/track.html", {"form": form, "searched": True, "found": found}
        )
    variant = "found" if found else "none"
    shell = page_shell.shell(
        "portal/track.html", variant, lambda: _track_shell_context(bool(found))
    )
    html = shell.fill(
        {
            "csrf": escape(get_token(request)),
            "path": escape(request.get_full_path()),
            "code": escape(form["code"].value()),
            "factor": escape(form["factor"].value()),
            "found": found,
        }
    )
    return HttpResponse(html)


@never_cache
@require_http_methods(["GET", "POST"])
def track_view(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The hit is counted with the lookup (one round trip where the counters are in
        # PostgreSQL); an invalid form still counts below, so every POST counts once.
        allowed, found = tracking.portal_find_counted(
            code=form.cleaned_data["code"],
            factor=form.cleaned_data["factor"],
            limit=ratelimit.TRACK_PER_IP,
            client=ratelimit.client_key(request),
        )
        if not allowed:
            return ratelimit.too_many_requests(request, ratelimit.TRACK_PER_IP)
        return _track_answer(request, form, _public_view_html(found) if found else "")
    if request.method == "POST":
        refused = ratelimit.refuse_if_over(request, ratelimit.TRACK_PER_IP)
        if refused:
            return refused
    context = {"form": form, "searched": request.method == "POST", "found": ""}
    return render(request, "portal/track.html", context)
