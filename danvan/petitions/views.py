from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from danvan.core.decorators import permission_required
from danvan.org.models import Membership
from danvan.org.selectors import agencies_where_user_works
from danvan.petitions import sealing, services
from danvan.petitions import workflow as wf
from danvan.petitions.forms import InboxFilterForm, IntakeForm, MoveForm, PetitionerFormSet
from danvan.petitions.models import Petition
from danvan.petitions.selectors import (
    InboxFilters,
    inbox_page,
    petition_queryset,
    petitioner_label,
)

INTAKE_ROLES = (Membership.Role.LEADER, Membership.Role.OFFICER, Membership.Role.CLERK)


def _case_or_404(request, pk) -> Petition:
    try:
        return (
            petition_queryset(user=request.user)
            .select_related(
                "agency",
                "unit",
                "assigned_to",
                "sealed_identity",
                "parent",
                "previous_instance",
                "duplicate_of",
                "repeat_of",
            )
            .get(pk=pk)
        )
    except Petition.DoesNotExist:
        raise Http404 from None


def _errors_into(form, formset, exc: ValidationError) -> None:
    for field, errors in (
        exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    ).items():
        if field and field.startswith("petitioner_"):
            _, index, name = field.split("_", 2)
            formset.forms[int(index)].add_error(name, errors)
        else:
            form.add_error(field if field in form.fields else None, errors)


@permission_required("petitions.receive_petition")
def intake_view(request):
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        agencies=agencies_where_user_works(request.user, INTAKE_ROLES),
    )
    formset = PetitionerFormSet(request.POST or None, prefix="p")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        people = [
            services.PetitionerData(**f.cleaned_data)
            for f in formset.forms
            if f.cleaned_data.get("full_name") or f.cleaned_data.get("id_number")
        ]
        try:
            petition = services.petition_receive(actor=request.user, petitioners=people, **data)
        except ValidationError as exc:
            _errors_into(form, formset, exc)
        else:
            messages.success(
                request,
                _("Petition recorded. Tracking code: %(code)s") % {"code": petition.tracking_code},
            )
            return redirect(petition)
    return render(request, "petitions/intake.html", {"form": form, "formset": formset})


@permission_required("core.view_staff_home")
def inbox_view(request):
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = InboxFilters(
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        channel=data.get("channel", ""),
        unit=getattr(data.get("unit"), "pk", None),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        overdue=bool(data.get("overdue")),
        due_soon=bool(data.get("due_soon")),
        query=data.get("q", ""),
        mine=bool(data.get("mine")),
    )
    today = timezone.localdate()
    page = inbox_page(
        user=request.user, filters=filters, number=request.GET.get("page"), today=today
    )
    officers = _assignable_officers(request.user)
    return render(
        request,
        "petitions/inbox.html",
        {"form": form, "page": page, "today": today, "officers": officers},
    )


def _assignable_officers(user):
    from django.contrib.auth import get_user_model

    led = agencies_where_user_works(user, (Membership.Role.LEADER,))
    return (
        get_user_model()
        .objects.filter(
            memberships__agency__in=led,
            memberships__role__in=[Membership.Role.OFFICER, Membership.Role.LEADER],
        )
        .distinct()
        .order_by("full_name")
    )


@require_POST
@permission_required("core.view_staff_home")
def assign_view(request):
    officers = {str(o.pk): o for o in _assignable_officers(request.user)}
    officer = officers.get(request.POST.get("officer", ""))
    ids = request.POST.getlist("petition")
    cases = [
        p
        for p in petition_queryset(user=request.user).filter(pk__in=ids)
        if request.user.has_perm("petitions.assign_petition", p)
    ]
    if officer is None or not cases:
        messages.error(request, _("Choose cases of your agency and an officer."))
    else:
        count = services.petition_assign(actor=request.user, petitions=cases, officer=officer)
        messages.success(
            request, _("%(n)d case(s) assigned to %(name)s.") % {"n": count, "name": officer}
        )
    return redirect("petitions:inbox")


@permission_required("core.view_staff_home")
def case_view(request, pk):
    petition = _case_or_404(request, pk)
    can_move = request.user.has_perm("petitions.move_petition", petition)
    actions = wf.allowed_actions(state=petition.status, kind=petition.kind) if can_move else []
    return render(
        request,
        "petitions/case.html",
        {
            "petition": petition,
            "petitioner_label": petitioner_label(petition),
            "people": [] if petition.is_sealed else petition.petitioners.all(),
            "can_reveal": request.user.has_perm("petitions.reveal_identity", petition),
            "can_generate_notice": request.user.has_perm("petitions.generate_notice", petition),
            "deadlines": _with_days_left(petition),
            "transitions": petition.transitions.select_related("actor", "target_agency"),
            "attachments": petition.attachments.filter(is_sealed=False),
            "parts": petition.parts.all(),
            "actions": actions,
            "move_form": MoveForm(initial={"version": petition.version}, near=petition.agency),
            "today": timezone.localdate(),
            "candidates": _candidates(request.user, petition) if can_move else [],
        },
    )


def _with_days_left(petition):
    today = timezone.localdate()
    deadlines = list(petition.deadlines.select_related("rule").order_by("due_on"))
    for deadline in deadlines:
        deadline.days_left = (deadline.due_on - today).days
        deadline.days_overdue = -deadline.days_left
    return deadlines


@require_POST
@permission_required("core.view_staff_home")
def move_view(request, pk):
    petition = _case_or_404(request, pk)
    if not request.user.has_perm("petitions.move_petition", petition):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect(petition)
    data = dict(form.cleaned_data)
    action, version = data.pop("action"), data.pop("version")
    opts = (
        {k: data[k] for k in ("kind", "is_complex", "is_remote", "eligibility")}
        if action == "classify"
        else {}
    )
    try:
        services.petition_move(
            actor=request.user,
            petition=petition,
            action=action,
            expected_version=version,
            reason=data["reason"],
            legal_basis=data["legal_basis"],
            target_agency=data["target_agency"],
            **opts,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Step recorded."))
    return redirect(petition)


@permission_required("core.view_staff_home")
def reveal_view(request, pk):
    petition = _case_or_404(request, pk)
    people = sealing.reveal_identity(user=request.user, petition=petition)  # 403 + audit if not
    response = render(request, "petitions/reveal.html", {"petition": petition, "people": people})
    response["Cache-Control"] = "no-store"
    return response


REASON_LABELS = {
    "same_id": _lazy("same ID number"),
    "same_phone": _lazy("same phone"),
    "similar_text": _lazy("similar text"),
    "same_unit": _lazy("same commune"),
    "recent": _lazy("recent"),
}


def _candidates(user, petition):
    """Likely earlier cases for the officer to link, with the score's reasons in words."""
    from danvan.petitions.duplicates import find_candidates, repeat_suggestion

    if petition.duplicate_of_id or petition.repeat_of_id or not petition.is_open:
        return []
    found = find_candidates(
        text=f"{petition.subject} {petition.content}",
        unit_id=petition.unit_id,
        agency_id=petition.agency_id,
        match_keys=petition.match_keys,
        received_on=petition.received_on,
        exclude_id=petition.pk,
        limit=5,
        user=user,
    )
    for candidate in found:
        object.__setattr__(
            candidate, "labels", [str(REASON_LABELS.get(r, r)) for r in candidate.score.reasons]
        )
        object.__setattr__(candidate, "suggestion", repeat_suggestion(candidate.petition))
    return found


@require_POST
@permission_required("core.view_staff_home")
def link_view(request, pk):
    from danvan.petitions.duplicates import petition_link

    petition = _case_or_404(request, pk)
    if not request.user.has_perm("petitions.move_petition", petition):
        raise PermissionDenied
    other = petition_queryset(user=request.user).filter(pk=request.POST.get("other")).first()
    relation = request.POST.get("relation")
    try:
        if other is None or relation not in ("duplicate", "repeat"):
            raise ValidationError(_("That case does not exist or is not one you can see."))
        petition_link(
            actor=request.user,
            petition=petition,
            other=other,
            relation=relation,
            expected_version=int(request.POST.get("version", 0)),
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Cases linked."))
    return redirect(petition)
