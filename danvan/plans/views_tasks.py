"""Task pages: detail with timeline, progress posting, review, my-tasks inbox, evidence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.audit import audit_log
from danvan.core.decorators import permission_required
from danvan.org.models import Agency
from danvan.org.selectors import agencies_where_user_works
from danvan.plans.forms import ProgressForm, ReviewForm
from danvan.plans.models import Evidence, ProgressUpdate, Task
from danvan.plans.progress import progress_post, progress_review
from danvan.plans.selectors import my_tasks, task_get, task_timeline
from danvan.plans.views import _show_errors


def _task_or_404(request, pk):
    try:
        return task_get(user=request.user, pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


def _reporting_agencies(user, task):
    mine = agencies_where_user_works(user)
    involved = {task.lead_agency_id, *task.coordinating_agencies.values_list("pk", flat=True)}
    return Agency.objects.filter(pk__in=[a.pk for a in mine if a.pk in involved]).order_by("name")


@permission_required("core.view_staff_home")
def task_detail_view(request, pk):
    task = _task_or_404(request, pk)
    can_post = request.user.has_perm("plans.post_progress", task)
    form = None
    if can_post:
        form = ProgressForm(
            request.POST or None,
            request.FILES or None,
            agencies=_reporting_agencies(request.user, task),
        )
        if request.method == "POST" and form.is_valid():
            try:
                progress_post(actor=request.user, task=task, **form.cleaned_data)
            except ValidationError as exc:
                _show_errors(form, exc)
            else:
                messages.success(request, _("Your report was recorded."))
                return redirect(task)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "form": form,
            "updates": task_timeline(task=task),
            "can_review": request.user.has_perm("plans.review_progress", task),
            "occurrences": task.occurrences.order_by("due_on")
            if task.is_recurring_template
            else [],
            "children": task.children.select_related("plan", "lead_agency"),
            "review_form": ReviewForm(),
        },
    )


@require_POST
@permission_required("core.view_staff_home")
def progress_review_view(request, pk, update_pk):
    task = _task_or_404(request, pk)
    if not request.user.has_perm("plans.review_progress", task):
        raise PermissionDenied
    update = get_object_or_404(ProgressUpdate, pk=update_pk, task=task)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            progress_review(
                actor=request.user,
                update=update,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Review recorded."))
    return redirect(task)


@permission_required("core.view_staff_home")
def my_tasks_view(request):
    return render(request, "plans/my_tasks.html", {"inbox": my_tasks(user=request.user)})


@permission_required("core.view_staff_home")
def evidence_download_view(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("update"), pk=pk)
    task = _task_or_404(request, evidence.update.task_id)  # 404 unless the task is in scope
    audit_log(
        actor=request.user, action="plans.evidence_download", obj=evidence, agency=task.lead_agency
    )
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
