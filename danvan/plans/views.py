from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.decorators import permission_required
from danvan.core.forms import add_service_errors
from danvan.org.models import Agency
from danvan.org.selectors import agencies_where_user_works
from danvan.plans import services
from danvan.plans.forms import ContentForm, ImplementForm, PlanForm, TaskForm
from danvan.plans.models import Plan, Task
from danvan.plans.progress import implementing_plan_create
from danvan.plans.selectors import plan_get, plan_list, plan_tree


def _plan_or_404(request, pk):
    try:
        return plan_get(user=request.user, pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _show_errors(form, exc: ValidationError):
    add_service_errors(form, exc)


@permission_required("core.view_staff_home")
def plan_list_view(request):
    plans = plan_list(user=request.user).order_by("-year", "title")
    return render(request, "plans/plan_list.html", {"plans": plans})


@permission_required("plans.add_plan")
def plan_create_view(request):
    form = PlanForm(request.POST or None, agencies=agencies_where_user_works(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form})


@permission_required("core.view_staff_home")
def plan_detail_view(request, pk):
    plan = _plan_or_404(request, pk)
    agency_id = request.GET.get("agency", "")
    agency_id = int(agency_id) if agency_id.isdigit() else None
    status = request.GET.get("status", "")
    status = status if status in Task.Status.values else ""
    tree = plan_tree(user=request.user, plan=plan, agency_id=agency_id, status=status)
    agencies = Agency.objects.filter(pk__in={t.lead_agency_id for t in tree.tasks}).order_by("name")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tree": tree,
            "agency_id": agency_id,
            "status": status,
            "statuses": Task.Status.choices,
            "agencies": agencies,
            "legal_bases": plan.legal_bases.all(),
            "transitions": services.PLAN_TRANSITIONS[plan.status],
            "implement_form": ImplementForm(agencies=agencies_where_user_works(request.user)),
            "can_change_plan": request.user.has_perm("plans.change_plan", plan),
            "attachments": plan.attachments.select_related("uploaded_by"),
            "versions": plan.versions.select_related("changed_by")[:20],
            "can_implement": request.user.has_perm("plans.implement_plan", plan),
        },
    )


@permission_required("core.view_staff_home")
def plan_print_view(request, pk):
    plan = _plan_or_404(request, pk)
    tree = plan_tree(user=request.user, plan=plan)
    return render(
        request,
        "plans/plan_print.html",
        {"plan": plan, "tree": tree, "legal_bases": plan.legal_bases.all()},
    )


@permission_required("core.view_staff_home")
def plan_edit_view(request, pk):
    plan = _plan_or_404(request, pk)
    _require(request, "plans.change_plan", plan)
    initial = {
        f: getattr(plan, f)
        for f in (
            "issuing_agency",
            "number",
            "title",
            "year",
            "period_start",
            "period_end",
            "issued_on",
            "purpose",
        )
    }
    initial.update(legal_bases=plan.legal_bases.all(), version=plan.version)
    form = PlanForm(
        request.POST or None,
        initial=initial,
        agencies=Agency.objects.filter(pk=plan.issuing_agency_id),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.plan_update(actor=request.user, plan=plan, expected_version=version, **data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@require_POST
@permission_required("core.view_staff_home")
def plan_status_view(request, pk):
    plan = _plan_or_404(request, pk)
    _require(request, "plans.change_plan", plan)
    try:
        services.plan_set_status(
            actor=request.user, plan=plan, status=request.POST.get("status", "")
        )
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(plan)


@permission_required("core.view_staff_home")
def content_create_view(request, pk):
    plan = _plan_or_404(request, pk)
    _require(request, "plans.change_plan", plan)
    form = ContentForm(request.POST or None, initial={"number": plan.contents.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.content_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            return redirect(plan)
    return render(
        request, "plans/simple_form.html", {"form": form, "plan": plan, "title": _("Add a content")}
    )


@permission_required("core.view_staff_home")
def task_create_view(request, pk):
    plan = _plan_or_404(request, pk)
    _require(request, "plans.change_plan", plan)
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            return redirect(task)
    return render(
        request, "plans/simple_form.html", {"form": form, "plan": plan, "title": _("Add a task")}
    )


@require_POST
@permission_required("core.view_staff_home")
def plan_implement_view(request, pk):
    plan = _plan_or_404(request, pk)
    _require(request, "plans.implement_plan", plan)
    form = ImplementForm(request.POST, agencies=agencies_where_user_works(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose the implementing agency."))
        return redirect(plan)
    try:
        child = implementing_plan_create(actor=request.user, parent_plan=plan, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(plan)
    return redirect(child)


@permission_required("plans.add_plan")
def plan_text_import_view(request):
    """Paste a plan's text → preview the draft (contents, legal bases) → save it as a draft."""
    from danvan.plans.forms import PlanTextForm
    from danvan.plans.text_import import PlanTextError, parse_plan_text

    form = PlanTextForm(request.POST or None, agencies=agencies_where_user_works(request.user))
    parsed = None
    if request.method == "POST" and form.is_valid():
        text, agency = form.cleaned_data["text"], form.cleaned_data["issuing_agency"]
        try:
            if "confirm" in request.POST:
                plan = services.plan_import_text(
                    actor=request.user, issuing_agency=agency, text=text
                )
                messages.success(request, _("Draft plan created; check it, then issue it."))
                return redirect(plan)
            parsed = parse_plan_text(text)
        except PlanTextError as exc:
            form.add_error("text", str(exc))
        except ValidationError as exc:
            _show_errors(form, exc)
    from danvan.plans.doc_types import DOC_TYPE_LABELS

    bases = (
        [(DOC_TYPE_LABELS.get(b.doc_type, b.doc_type), b) for b in parsed.legal_bases]
        if (parsed)
        else []
    )
    return render(
        request, "plans/plan_text_import.html", {"form": form, "parsed": parsed, "bases": bases}
    )


@require_POST
@permission_required("core.view_staff_home")
def plan_attachment_add_view(request, pk):
    plan = _plan_or_404(request, pk)
    _require(request, "plans.change_plan", plan)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect(plan)
    try:
        services.plan_attachment_add(actor=request.user, plan=plan, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file was attached."))
    return redirect(plan)


@permission_required("core.view_staff_home")
def plan_attachment_download_view(request, pk):
    from django.http import FileResponse
    from django.shortcuts import get_object_or_404

    from danvan.core.audit import audit_log
    from danvan.plans.models import PlanAttachment

    attachment = get_object_or_404(PlanAttachment, pk=pk)
    plan = _plan_or_404(request, attachment.plan_id)  # 404 unless the plan is in scope
    audit_log(
        actor=request.user,
        action="plans.attachment_download",
        obj=attachment,
        agency=plan.issuing_agency,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
